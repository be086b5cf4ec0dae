package io.gfs.master.state;

import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A directory: children in a sorted concurrent map, because creates in one directory run at the same time (they hold
 * only a read lock on the directory [0061]) and listings come out sorted. A directory's access time starts at 0 (as on
 * HDFS); only setTimes changes it.
 */
final class DirectoryNode extends Node {
  final ConcurrentNavigableMap<String, Node> children = new ConcurrentSkipListMap<>();

  DirectoryNode(long mtimeMillis, PermissionStatus permission) {
    super(mtimeMillis, 0, permission);
  }
}
