package io.gfs.master.state;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A file: its replication and its chunk handles in order. The handle list is copy-on-write: chunks are added rarely
 * (one per chunk size of data) while listings of the parent directory read it without the file's own lock.
 */
final class FileNode extends Node {
  final int replication;
  final List<Long> chunkHandles = new CopyOnWriteArrayList<>();

  FileNode(int replication, long mtimeMillis) {
    super(mtimeMillis);
    this.replication = replication;
  }
}
