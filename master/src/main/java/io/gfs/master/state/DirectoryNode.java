package io.gfs.master.state;

/**
 * A directory: children in a sorted array with its own lock, because creates in one directory run at the same time
 * (they hold only a read lock on the directory [0061]) and listings come out sorted. A directory's access time starts
 * at 0 (as on HDFS); only setTimes changes it.
 */
final class DirectoryNode extends Node {
  final ChildArray children = new ChildArray();
  private volatile byte[] name;
  private volatile long accessTimeMillis;
  /** Policy [0069, 0084, 0120] for new files below: replication, -1 to inherit from the parent directory. */
  volatile int policyReplication = Policy.INHERIT;
  /** Policy: how long deletes below stay undeletable (0: purged at once), -1 to inherit. */
  volatile long policyGcRetentionMillis = Policy.INHERIT;

  DirectoryNode(String name, long mtimeMillis, PermissionStatus permission) {
    super(mtimeMillis, permission);
    this.name = NameBytes.encode(name);
  }

  @Override
  long accessTimeMillis() {
    return accessTimeMillis;
  }

  @Override
  void setAccessTime(long millis) {
    accessTimeMillis = millis;
  }

  @Override
  String name() {
    byte[] bytes = name;
    return NameBytes.decode(bytes, 0, bytes.length);
  }

  @Override
  int compareToName(String key) {
    byte[] bytes = name;
    return NameBytes.compare(key, bytes, 0, bytes.length);
  }

  @Override
  void rename(String newName) {
    name = NameBytes.encode(newName);
  }

  @Override
  void beforeMtimeChange() {
    // The access time is a field of its own: nothing to keep.
  }
}
