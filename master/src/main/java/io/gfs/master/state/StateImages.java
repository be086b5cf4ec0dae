package io.gfs.master.state;

import io.gfs.common.Check;
import io.gfs.common.GfsPaths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checkpoint images of the master's state [0052-0053]: taken from the tree and chunk table, and loaded back. */
final class StateImages {
  private StateImages() {}

  /**
   * A copy of the durable state. The caller makes sure no mutation is between log append and apply, which stalls
   * every mutation meanwhile: the files are captured as references and primitives ({@link CapturedFiles}); their
   * records and paths are built when the image is read.
   */
  static StateImage image(NamespaceTree tree, ChunkCoordinator coordinator) {
    List<StateImage.Directory> directories = new ArrayList<>();
    List<String> directoryPaths = new ArrayList<>();
    CapturedFiles files = new CapturedFiles(directoryPaths);
    List<StateImage.DirectoryPolicy> policies = new ArrayList<>();
    capture("/", tree.root(), directories, directoryPaths, files, policies);
    return new StateImage(coordinator.nextHandle(), directories, files.seal(), coordinator.imageChunks(), policies);
  }

  /** Parents before children, children in name order: the order {@link NamespaceTree#visit} gives. */
  private static void capture(String path, DirectoryNode directory, List<StateImage.Directory> directories,
      List<String> directoryPaths, CapturedFiles files, List<StateImage.DirectoryPolicy> policies) {
    if (directory.policyReplication != Policy.INHERIT || directory.policyGcRetentionMillis != Policy.INHERIT) {
      policies.add(new StateImage.DirectoryPolicy(path, directory.policyReplication,
          directory.policyGcRetentionMillis));
    }
    directories.add(new StateImage.Directory(path, directory.mtimeMillis(), directory.permission(),
        directory.accessTimeMillis()));
    int index = directoryPaths.size();
    directoryPaths.add(path);
    String prefix = path.equals("/") ? "/" : path + "/";
    for (Map.Entry<String, Node> child : directory.children.entrySet()) {
      if (child.getValue() instanceof FileNode file) {
        files.add(index, child.getKey(), file);
      } else {
        capture(prefix + child.getKey(), (DirectoryNode) child.getValue(), directories, directoryPaths, files,
            policies);
      }
    }
  }

  /**
   * Loads a checkpoint into this fresh state. Restart time matters here (issue 6: a million files in under 3 s), so
   * files are put straight into their parent directory, found by the parent's path among the image's directories
   * (listed parents first), instead of splitting and walking every file's path again.
   */
  static void restore(StateImage image, NamespaceTree tree, ChunkCoordinator coordinator) {
    Check.state(tree.root().children.isEmpty() && coordinator.chunkCount() == 0, "restore into a used state");
    Map<String, DirectoryNode> directories = restoreDirectories(image, tree);
    Map<Long, Integer> references = new HashMap<>(image.chunks().size() * 2);
    for (StateImage.File f : image.files()) {
      FileNode file = restoreFile(f, tree, directories);
      file.setAccessTime(f.accessTimeMillis());
      file.appendChunks(f.chunkHandles());
      for (Long handle : f.chunkHandles()) {
        references.merge(handle, 1, Integer::sum);
      }
    }
    // Creating children moved their parents' times forward; put back the recorded ones.
    for (StateImage.Directory d : image.directories()) {
      directories.get(d.path()).restoreMtime(d.mtimeMillis());
    }
    for (StateImage.DirectoryPolicy p : image.policies()) {
      tree.setPolicy(GfsPaths.components(p.path()), p.replication(), p.gcRetentionMillis());
    }
    coordinator.restore(image, references);
    // Replication targets and deleted marks follow from the files, as live operation set them; a chunk a live file
    // shares with a snapshot follows the live file (visited second).
    restoreTargets(coordinator, tree.root(), false, false, true);
    restoreTargets(coordinator, tree.root(), false, false, false);
  }

  /** The image's directories made, by their path as the image spells it ("/" included). */
  private static Map<String, DirectoryNode> restoreDirectories(StateImage image, NamespaceTree tree) {
    Map<String, DirectoryNode> directories = new HashMap<>(image.directories().size() * 2);
    directories.put("/", tree.root());
    for (StateImage.Directory d : image.directories()) {
      DirectoryNode directory = tree.mkdirs(GfsPaths.components(d.path()), d.mtimeMillis(), d.permission());
      if (d.permission() != null) {
        directory.setPermission(tree.intern(d.permission())); // "/" exists before the image is loaded
      }
      directory.setAccessTime(d.accessTimeMillis());
      directories.put(d.path(), directory);
    }
    return directories;
  }

  private static FileNode restoreFile(StateImage.File f, NamespaceTree tree, Map<String, DirectoryNode> directories) {
    int slash = f.path().lastIndexOf('/');
    DirectoryNode parent = slash < 0 ? null : directories.get(slash == 0 ? "/" : f.path().substring(0, slash));
    if (parent == null) {
      // Not in the image's directory list (an image built by hand): the path walk creates what is missing.
      List<String> c = GfsPaths.components(f.path());
      Check.state(tree.createFile(c, f.replication(), f.mtimeMillis(), f.permission()) == null,
          "file %s twice in checkpoint", f.path());
      return (FileNode) tree.resolve(c).node();
    }
    return tree.restoreFile(parent, f.path().substring(slash + 1), f.replication(), f.mtimeMillis(), f.permission());
  }

  /** Walks the tree once per pass, carrying "inside a snapshot" and "deleted" down instead of re-splitting paths. */
  private static void restoreTargets(ChunkCoordinator coordinator, Node node, boolean inSnapshot, boolean hidden,
      boolean snapshotPass) {
    if (node instanceof FileNode file) {
      if (inSnapshot == snapshotPass) {
        List<Long> handles = file.chunkHandles();
        coordinator.setTargets(handles, file.replication);
        coordinator.setTrashed(handles, hidden);
      }
      return;
    }
    ((DirectoryNode) node).children.forEach((name, child) -> restoreTargets(coordinator, child,
        inSnapshot || name.equals(SnapshotNames.DIRECTORY), hidden || DeletedNames.isHidden(name), snapshotPass));
  }
}
