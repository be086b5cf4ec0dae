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

  /** A copy of the durable state. The caller makes sure no mutation is between log append and apply. */
  static StateImage image(NamespaceTree tree, ChunkCoordinator coordinator) {
    List<StateImage.Directory> directories = new ArrayList<>();
    List<StateImage.File> files = new ArrayList<>();
    List<StateImage.DirectoryPolicy> policies = new ArrayList<>();
    tree.visit((path, node) -> {
      if (node instanceof DirectoryNode d && (d.policyReplication != Policy.INHERIT
          || d.policyGcRetentionMillis != Policy.INHERIT)) {
        policies.add(new StateImage.DirectoryPolicy(path, d.policyReplication, d.policyGcRetentionMillis));
      }
      if (node instanceof FileNode file) {
        files.add(new StateImage.File(path, file.replication, file.mtimeMillis(), file.chunkHandles(),
            file.permission(), file.accessTimeMillis()));
      } else {
        directories.add(new StateImage.Directory(path, node.mtimeMillis(), node.permission(),
            node.accessTimeMillis()));
      }
    });
    return new StateImage(coordinator.nextHandle(), directories, files, coordinator.imageChunks(), policies);
  }

  /** Loads a checkpoint into this fresh state. */
  static void restore(StateImage image, NamespaceTree tree, ChunkCoordinator coordinator) {
    Check.state(tree.root().children.isEmpty() && coordinator.chunkCount() == 0, "restore into a used state");
    Map<Long, Integer> references = new HashMap<>();
    for (StateImage.Directory d : image.directories()) {
      List<String> c = GfsPaths.components(d.path());
      DirectoryNode directory = tree.mkdirs(c, d.mtimeMillis(), d.permission());
      if (d.permission() != null) {
        directory.setPermission(tree.intern(d.permission())); // "/" exists before the image is loaded
      }
      directory.setAccessTime(d.accessTimeMillis());
    }
    for (StateImage.File f : image.files()) {
      List<String> c = GfsPaths.components(f.path());
      Check.state(tree.createFile(c, f.replication(), f.mtimeMillis(), f.permission()) == null,
          "file %s twice in checkpoint", f.path());
      FileNode file = (FileNode) tree.resolve(c).node();
      file.setAccessTime(f.accessTimeMillis());
      file.appendChunks(f.chunkHandles());
      f.chunkHandles().forEach(h -> references.merge(h, 1, Integer::sum));
    }
    // Creating children moved their parents' times forward; put back the recorded ones.
    for (StateImage.Directory d : image.directories()) {
      tree.resolve(GfsPaths.components(d.path())).node().restoreMtime(d.mtimeMillis());
    }
    for (StateImage.DirectoryPolicy p : image.policies()) {
      tree.setPolicy(GfsPaths.components(p.path()), p.replication(), p.gcRetentionMillis());
    }
    coordinator.restore(image, references);
    // Replication targets and deleted marks follow from the files, as live operation set them; a chunk a live file
    // shares with a snapshot follows the live file (visited second).
    tree.visit((path, node) -> restoreTargets(coordinator, path, node, true));
    tree.visit((path, node) -> restoreTargets(coordinator, path, node, false));
  }

  private static void restoreTargets(ChunkCoordinator coordinator, String path, Node node, boolean snapshotPass) {
    if (node instanceof FileNode file && SnapshotNames.inSnapshot(GfsPaths.components(path)) == snapshotPass) {
      List<Long> handles = file.chunkHandles();
      coordinator.setTargets(handles, file.replication);
      coordinator.setTrashed(handles, DeletedNames.anyHidden(GfsPaths.components(path)));
    }
  }
}
