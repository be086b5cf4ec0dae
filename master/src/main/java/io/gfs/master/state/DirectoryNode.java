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
  /** Policy [0069, 0084, 0120] for new files below: replication, -1 to inherit from the parent directory. */
  volatile int policyReplication = Policy.INHERIT;
  /** Policy: how long deletes below stay undeletable (0: purged at once), -1 to inherit. */
  volatile long policyGcRetentionMillis = Policy.INHERIT;

  DirectoryNode(long mtimeMillis, PermissionStatus permission) {
    super(mtimeMillis, 0, permission);
  }
}
