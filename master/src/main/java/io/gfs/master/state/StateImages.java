package io.gfs.master.state;

import java.util.ArrayList;
import java.util.List;

/** Checkpoint images of the master's state [0052-0053]: taken from the tree and chunk table, and loaded back. */
final class StateImages {
  /** Longest list presized from a count. */
  private static final int SIZE_HINT_MAX = 1 << 24;

  private StateImages() {}

  /**
   * A copy of the durable state. The caller makes sure no mutation is between log append and apply, which stalls
   * every mutation meanwhile: the files are captured as references and primitives ({@link CapturedFiles}), their names
   * left as bytes in their nodes' arrays; the checkpoint writer reads those bytes as they are.
   */
  static StateImage image(NamespaceTree tree, ChunkCoordinator coordinator) {
    // Sized from the tree's counts (exact while mutations wait, and only hints): no column is copied as it grows.
    List<StateImage.Directory> directories = new ArrayList<>((int) Math.min(tree.directoryCount(), SIZE_HINT_MAX));
    CapturedFiles files = new CapturedFiles(directories, tree.fileCount());
    List<StateImage.DirectoryPolicy> policies = new ArrayList<>();
    capture("/", tree.root(), directories, files, policies);
    return new StateImage(coordinator.nextHandle(), directories, files.seal(), coordinator.imageChunks(), policies);
  }

  /** Parents before children, children in name order: the order {@link NamespaceTree#visit} gives. */
  private static void capture(String path, DirectoryNode directory, List<StateImage.Directory> directories,
      CapturedFiles files, List<StateImage.DirectoryPolicy> policies) {
    if (directory.policyReplication != Policy.INHERIT || directory.policyGcRetentionMillis != Policy.INHERIT) {
      policies.add(new StateImage.DirectoryPolicy(path, directory.policyReplication,
          directory.policyGcRetentionMillis));
    }
    int index = directories.size();
    directories.add(new StateImage.Directory(path, directory.mtimeMillis(), directory.permission(),
        directory.accessTimeMillis()));
    String prefix = path.equals("/") ? "/" : path + "/";
    // One copy of the child array per directory, no name decoded: a file's name stays in its node's array.
    for (Node child : directory.children.snapshot()) {
      if (child instanceof FileNode file) {
        files.add(index, file);
      } else {
        capture(prefix + child.name(), (DirectoryNode) child, directories, files, policies);
      }
    }
  }

  /** Loads an image into this fresh state: the same path a checkpoint streams through ({@link StateRestore}). */
  static void restore(StateImage image, NamespaceTree tree, ChunkCoordinator coordinator) {
    image.sendTo(new StateRestore(tree, coordinator));
  }
}
