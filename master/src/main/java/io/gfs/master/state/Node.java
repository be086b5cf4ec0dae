package io.gfs.master.state;

import io.gfs.common.Check;

/**
 * A namespace tree node. Nodes do not know their names: the parent's child map does, so a rename moves one entry.
 * Fields are volatile: a listing reads a child's fields under its parent's read lock while a setter holds the child's
 * write lock.
 */
abstract sealed class Node permits DirectoryNode, FileNode {
  private volatile long mtimeMillis;
  private volatile long accessTimeMillis;
  private volatile PermissionStatus permission;

  Node(long mtimeMillis, long accessTimeMillis, PermissionStatus permission) {
    this.mtimeMillis = mtimeMillis;
    this.accessTimeMillis = accessTimeMillis;
    this.permission = Check.notNull(permission, "permission");
  }

  long mtimeMillis() {
    return mtimeMillis;
  }

  long accessTimeMillis() {
    return accessTimeMillis;
  }

  PermissionStatus permission() {
    return permission;
  }

  void setPermission(PermissionStatus value) {
    permission = Check.notNull(value, "permission");
  }

  void touch(long millis) {
    // Replayed records may arrive out of wall-clock order (concurrent operations); never move time backwards.
    if (millis > mtimeMillis) {
      mtimeMillis = millis;
    }
  }

  /** setTimes and checkpoint restore: exactly the given time, earlier or later. */
  void restoreMtime(long millis) {
    mtimeMillis = millis;
  }

  void setAccessTime(long millis) {
    accessTimeMillis = millis;
  }

  boolean isDirectory() {
    return this instanceof DirectoryNode;
  }
}
