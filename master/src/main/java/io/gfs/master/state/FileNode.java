package io.gfs.master.state;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A file: its target replication and its chunk handles in order. The handle list is copy-on-write: chunks are added
 * rarely (one per chunk size of data) while listings of the parent directory read it without the file's own lock.
 */
final class FileNode extends Node {
  /** The replication target; setReplication changes it (re-replication toward it is background work). */
  volatile int replication;
  final List<Long> chunkHandles = new CopyOnWriteArrayList<>();

  FileNode(int replication, long mtimeMillis, PermissionStatus permission) {
    super(mtimeMillis, mtimeMillis, permission);
    this.replication = replication;
  }
}
