package io.gfs.master.state;

/**
 * While a checkpoint loads, per chunk handle: how many files refer to it and the replication target and deleted mark
 * those files give it, so each chunk is put in the table in one step when the chunk list comes (after the files). Issue
 * 6, restart speed: open addressing over primitive arrays instead of a map of boxed handles and a second walk of the
 * tree. A live file's values win over a snapshot's (a chunk a live file shares with a snapshot follows the live file,
 * as [0115]'s copy-on-write has it); otherwise the file given last wins, as the tree walk before this did.
 */
final class ChunkReferences {
  static final int MARK_TRASHED = 1;
  private static final int MARK_FROM_LIVE_FILE = 2;
  private static final int CAPACITY_MIN = 1 << 10;
  /** Largest handle count {@link #expect} sizes for up front (the table still grows past it). */
  private static final int EXPECTED_MAX = 1 << 24;
  /** Slots hold a handle plus one, so 0 means empty (handles are never negative: they come from a counter at 1). */
  private long[] keys = new long[CAPACITY_MIN];
  private int[] counts = new int[CAPACITY_MIN];
  private byte[] targets = new byte[CAPACITY_MIN];
  private byte[] marks = new byte[CAPACITY_MIN];
  private int size;

  /** Room for about this many distinct handles without growing (capped: a hint must not allocate without bound). */
  void expect(int handles) {
    int wanted = Integer.highestOneBit(Math.max(CAPACITY_MIN, Math.min(handles, EXPECTED_MAX)) * 2 - 1) * 2;
    if (size == 0 && wanted > keys.length) {
      keys = new long[wanted];
      counts = new int[wanted];
      targets = new byte[wanted];
      marks = new byte[wanted];
    }
  }

  /** One more file refers to the chunk. */
  void add(long handle, int replicationTarget, boolean inSnapshot, boolean trashed) {
    // Plain ifs, not Check: its varargs box the handle on every call, and this runs once per chunk of a restore.
    if (handle < 0 || handle == Long.MAX_VALUE) {
      throw new IllegalArgumentException("chunk handle " + handle);
    }
    if (replicationTarget < 0 || replicationTarget > Byte.MAX_VALUE) {
      throw new IllegalArgumentException("replication " + replicationTarget);
    }
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int slot = slot(keys, handle);
    if (keys[slot] == 0) {
      keys[slot] = handle + 1;
      size++;
    }
    counts[slot]++;
    if (!inSnapshot || (marks[slot] & MARK_FROM_LIVE_FILE) == 0) {
      targets[slot] = (byte) replicationTarget;
      marks[slot] = (byte) ((inSnapshot ? 0 : MARK_FROM_LIVE_FILE) | (trashed ? MARK_TRASHED : 0));
    }
  }

  /** The slot of a handle given to {@link #add}, or -1. */
  int find(long handle) {
    if (handle < 0 || handle == Long.MAX_VALUE) {
      return -1;
    }
    int slot = slot(keys, handle);
    return keys[slot] == 0 ? -1 : slot;
  }

  int count(int slot) {
    return counts[slot];
  }

  int target(int slot) {
    return targets[slot];
  }

  boolean trashed(int slot) {
    return (marks[slot] & MARK_TRASHED) != 0;
  }

  /** Distinct handles given. */
  int size() {
    return size;
  }

  /**
   * Where the handle sits or would go: linear probing from the handle's low bits. Handles come from a counter, so a
   * checkpoint's are mostly consecutive: they fill consecutive slots without collisions and the files' and the chunk
   * list's passes walk the arrays in order (a scattering hash made each access a cache miss: ~20% of the restore).
   */
  private static int slot(long[] keys, long handle) {
    int mask = keys.length - 1;
    int slot = (int) (handle ^ handle >>> 32) & mask;
    while (keys[slot] != 0 && keys[slot] != handle + 1) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldCounts = counts;
    byte[] oldTargets = targets;
    byte[] oldMarks = marks;
    int capacity = oldKeys.length * 2;
    keys = new long[capacity];
    counts = new int[capacity];
    targets = new byte[capacity];
    marks = new byte[capacity];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        int slot = slot(keys, oldKeys[i] - 1);
        keys[slot] = oldKeys[i];
        counts[slot] = oldCounts[i];
        targets[slot] = oldTargets[i];
        marks[slot] = oldMarks[i];
      }
    }
  }
}
