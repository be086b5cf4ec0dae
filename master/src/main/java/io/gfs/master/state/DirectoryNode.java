package io.gfs.master.state;

import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A directory: children in a sorted concurrent map, because creates in one directory run at the same time (they hold
 * only a read lock on the directory [0061]) and listings come out sorted.
 */
final class DirectoryNode extends Node {
  final ConcurrentNavigableMap<String, Node> children = new ConcurrentSkipListMap<>();

  DirectoryNode(long mtimeMillis) {
    super(mtimeMillis);
  }
}
