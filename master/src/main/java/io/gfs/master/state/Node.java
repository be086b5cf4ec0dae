package io.gfs.master.state;

/** A namespace tree node. Nodes do not know their names: the parent's child map does, so a rename moves one entry. */
abstract sealed class Node permits DirectoryNode, FileNode {
  private volatile long mtimeMillis;

  Node(long mtimeMillis) {
    this.mtimeMillis = mtimeMillis;
  }

  long mtimeMillis() {
    return mtimeMillis;
  }

  void touch(long millis) {
    // Replayed records may arrive out of wall-clock order (concurrent operations); never move time backwards.
    if (millis > mtimeMillis) {
      mtimeMillis = millis;
    }
  }

  /** Checkpoint restore only: the exact time the image recorded. */
  void restoreMtime(long millis) {
    mtimeMillis = millis;
  }

  boolean isDirectory() {
    return this instanceof DirectoryNode;
  }
}
