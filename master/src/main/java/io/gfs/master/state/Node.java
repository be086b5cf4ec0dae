package io.gfs.master.state;

import io.gfs.common.Check;

/**
 * A namespace tree node. A node carries its own name as bytes (issue 6's heap goal: no String and no map entry per
 * child); its parent's {@link ChildArray} keeps the children sorted by it, and a rename renames the node only while it
 * is in no directory. Fields are volatile: a listing reads a child's fields under its parent's read lock while a setter
 * holds the child's write lock.
 */
abstract sealed class Node permits DirectoryNode, FileNode {
  private volatile long mtimeMillis;
  private volatile PermissionStatus permission;

  Node(long mtimeMillis, PermissionStatus permission) {
    this.mtimeMillis = mtimeMillis;
    this.permission = Check.notNull(permission, "permission");
  }

  long mtimeMillis() {
    return mtimeMillis;
  }

  abstract long accessTimeMillis();

  abstract void setAccessTime(long millis);

  /** The name this node has in its directory ("" for the root). */
  abstract String name();

  /** The sign of key compared with this node's name, as key.compareTo(name()) gives. */
  abstract int compareToName(String key);

  /** Gives the node another name; only while it is in no directory (its parent's order depends on it). */
  abstract void rename(String name);

  /** Called before the modification time changes, while it still has its old value. */
  abstract void beforeMtimeChange();

  PermissionStatus permission() {
    return permission;
  }

  void setPermission(PermissionStatus value) {
    permission = Check.notNull(value, "permission");
  }

  void touch(long millis) {
    // Replayed records may arrive out of wall-clock order (concurrent operations); never move time backwards.
    if (millis > mtimeMillis) {
      beforeMtimeChange();
      mtimeMillis = millis;
    }
  }

  /** setTimes and checkpoint restore: exactly the given time, earlier or later. */
  void restoreMtime(long millis) {
    if (millis != mtimeMillis) {
      beforeMtimeChange();
      mtimeMillis = millis;
    }
  }

  boolean isDirectory() {
    return this instanceof DirectoryNode;
  }
}
