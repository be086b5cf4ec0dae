package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.locks.StampedLock;

/**
 * The chunk table's rows, in handle order, as parallel primitive columns: no object per chunk (issue 6's heap goal,
 * [0044-0045]: about 30 bytes a chunk - handle, version, known length, reference count, replication target, flags and
 * one reference to a usually shared {@link ReplicaSet}), in pages. Rarely set values (a waiting writer's time, corrupt copies)
 * live in side maps. {@link ChunkInfo} is a short-lived view of one row. Removed rows stay as holes (their values
 * kept) until the columns fill. New handles come from a counter, so almost every insert is an append; a lookup is a
 * binary search. Not thread-safe (the chunk monitor guards it); like TreeMap, iteration fails fast if an insert moved
 * rows meanwhile (removals only leave holes and are allowed). The one exception is {@link #lengthSum}, which reads
 * without the monitor (see {@link #rowsLock}).
 */
final class ChunkIndex {
  static final int PRESENT = 1;
  static final int GRANT_IN_PROGRESS = 2;
  static final int EVER_HELD = 4;
  static final int ALLOCATION_FAILED = 8;
  static final int TRASHED = 16;
  static final int LENGTH_REPORTED = 32;
  /** The known length is in the log (a CHUNK_LENGTHS record, or a checkpoint): see ChunkTable#takeLengthsToLog. */
  static final int LENGTH_LOGGED = 64;
  /** The handle waits in ChunkTable's queue of lengths to log: queued once however often it grows meanwhile. */
  static final int LENGTH_QUEUED = 128;
  /** {@link #lengthSum}'s answer when a chunk's length was never reported to this master and must be. */
  static final long LENGTH_NOT_REPORTED = -1;
  /**
   * Rows per page: columns are pages of this many entries (128 KiB for the long ones), never one big array, so they
   * grow a page at a time without copying and stay below G1's humongous-object size (a 1M-row long[] takes whole
   * regions, and rounding them up cost about 12 bytes a chunk).
   */
  private static final int PAGE_SHIFT = 14;
  private static final int PAGE_ROWS = 1 << PAGE_SHIFT;
  private static final int PAGE_MASK = PAGE_ROWS - 1;

  private final ReplicaArrays shared = new ReplicaArrays();
  private long[][] handles = new long[0][];
  private long[][] versions = new long[0][];
  /** Known lengths: a chunk is at most GfsConfigKeys.CHUNK_SIZE_BYTES_MAX (1 GiB) long. */
  private int[][] lengths = new int[0][];
  private int[][] references = new int[0][];
  /** Replication targets: at most MasterState.REPLICATION_MAX. */
  private byte[][] targets = new byte[0][];
  private byte[][] flags = new byte[0][];
  private ReplicaSet[][] replicas = new ReplicaSet[0][];
  /** Handle to when a writer last waited on it, for the few chunks that have one. */
  private final Map<Long, Long> clientWaitingAtMillis = new HashMap<>();
  /** Handle to the sorted ids of servers with a corrupt copy, for the few chunks that have one. */
  private final Map<Long, String[]> corruptOn = new HashMap<>();
  /** Rows in use, holes included: the handles of rows [0, used) are strictly increasing. */
  private int used;
  private int size;
  /** Bumped whenever rows move (an insert in the middle or a compaction). */
  private int moves;
  /**
   * Lets {@link #lengthSum} read without the chunk monitor, which a heartbeat that walks every chunk holds for long
   * at a million chunks while the master's selector threads answer file lookups (issue 6). Whoever changes what that
   * sum reads - the rows' order, handles, presence and lengths, the page arrays, {@code used} - does so in its write
   * lock, under the monitor as before (so never contended by another writer); the sum reads optimistically and
   * validates, or waits only for that one short change.
   */
  private final StampedLock rowsLock = new StampedLock();

  private long handleAt(int row) {
    return handles[row >>> PAGE_SHIFT][row & PAGE_MASK];
  }

  private boolean presentAt(int row) {
    return (flags[row >>> PAGE_SHIFT][row & PAGE_MASK] & PRESENT) != 0;
  }

  /** Like Arrays.binarySearch over the handles of rows [0, used). */
  private int search(long handle) {
    if (used == 0 || handleAt(used - 1) < handle) {
      return -(used + 1); // past the last row: new chunks and a restore's sorted handles, so no binary search
    }
    int low = 0;
    int high = used - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      long value = handleAt(mid);
      if (value < handle) {
        low = mid + 1;
      } else if (value > handle) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -(low + 1);
  }

  ChunkInfo get(long handle) {
    int i = search(handle);
    return i >= 0 && presentAt(i) ? new ChunkInfo(this, handle, i) : null;
  }

  boolean containsKey(long handle) {
    return get(handle) != null;
  }

  int size() {
    return size;
  }

  ReplicaArrays shared() {
    return shared;
  }

  /** Adds a chunk whose handle is not in the index: version as given, no length, no replicas, no references. */
  ChunkInfo put(long handle, long version) {
    return new ChunkInfo(this, handle, putRow(handle, version));
  }

  /**
   * The sum of these chunks' known lengths (0 for a handle not in the index): a file's length; with reportedOnly,
   * {@link #LENGTH_NOT_REPORTED} when one of them lacks {@link #LENGTH_REPORTED}. Safe WITHOUT the chunk monitor,
   * unlike every other method: an optimistic read of the columns, validated against {@link #rowsLock} (a search over
   * rows a writer is moving can read a stale page, or throw); if a change came between, it reads again under the read
   * lock, which waits for that one change only, never for the monitor's holder. The reported flag is set without the
   * lock and never cleared, so a read that misses it only sends the caller back for another try.
   */
  long lengthSum(List<Long> handleList, boolean reportedOnly) {
    long stamp = rowsLock.tryOptimisticRead();
    if (stamp != 0) {
      try {
        long sum = lengthSumUnguarded(handleList, reportedOnly);
        if (rowsLock.validate(stamp)) {
          return sum;
        }
      } catch (RuntimeException e) {
        if (rowsLock.validate(stamp)) {
          throw e; // no change came between: a real failure
        }
      }
    }
    stamp = rowsLock.readLock();
    try {
      return lengthSumUnguarded(handleList, reportedOnly);
    } finally {
      rowsLock.unlockRead(stamp);
    }
  }

  private long lengthSumUnguarded(List<Long> handleList, boolean reportedOnly) {
    long total = 0;
    for (long handle : handleList) {
      int i = search(handle);
      if (i >= 0 && presentAt(i)) {
        if (reportedOnly && (flags[i >>> PAGE_SHIFT][i & PAGE_MASK] & LENGTH_REPORTED) == 0) {
          return LENGTH_NOT_REPORTED;
        }
        total += lengths[i >>> PAGE_SHIFT][i & PAGE_MASK];
      }
    }
    return total;
  }

  /**
   * A checkpoint's chunk: added and filled in place, with no view object (restart speed, issue 6). Its length, when
   * the checkpoint knew one, is a floor, which the log holds too where logged says so; a whole one is complete.
   */
  void restore(long handle, long version, int referenceCount, int replicationTarget, boolean trashed,
      int lengthBytes, boolean logged, boolean whole) {
    if (replicationTarget < 0 || replicationTarget > Byte.MAX_VALUE || lengthBytes < 0) { // not Check: no varargs
      throw new IllegalStateException("replication target " + replicationTarget + " or length " + lengthBytes
          + " of chunk " + handle);
    }
    int row;
    long stamp = rowsLock.writeLock();
    try {
      row = putRowLocked(handle, version);
      lengths[row >>> PAGE_SHIFT][row & PAGE_MASK] = lengthBytes;
    } finally {
      rowsLock.unlockWrite(stamp);
    }
    int p = row >>> PAGE_SHIFT;
    int r = row & PAGE_MASK;
    references[p][r] = referenceCount;
    targets[p][r] = (byte) replicationTarget;
    int f = trashed ? flags[p][r] | TRASHED : flags[p][r] & ~TRASHED;
    if (lengthBytes > 0) {
      f |= (logged ? LENGTH_LOGGED : 0) | (whole ? LENGTH_REPORTED : 0);
    }
    flags[p][r] = (byte) f;
  }

  private int putRow(long handle, long version) {
    long stamp = rowsLock.writeLock();
    try {
      return putRowLocked(handle, version);
    } finally {
      rowsLock.unlockWrite(stamp);
    }
  }

  private int putRowLocked(long handle, long version) {
    int i = search(handle);
    if (i >= 0) {
      Check.state(!presentAt(i), "chunk %s already indexed", handle);
      clear(i, handle, version); // the hole this handle left
      size++;
      return i;
    }
    if (used == capacity()) {
      makeRoom();
      i = search(handle);
    }
    int at = -i - 1;
    for (int row = used; row > at; row--) {
      copyRow(row - 1, row); // into the middle: a late-logged handle, rare
    }
    if (at < used) {
      moves++;
    }
    clear(at, handle, version);
    used++;
    size++;
    return at;
  }

  private int capacity() {
    return handles.length << PAGE_SHIFT;
  }

  private void clear(int row, long handle, long version) {
    int p = row >>> PAGE_SHIFT;
    int r = row & PAGE_MASK;
    handles[p][r] = handle;
    versions[p][r] = version;
    lengths[p][r] = 0;
    references[p][r] = 0;
    targets[p][r] = 1;
    flags[p][r] = PRESENT;
    replicas[p][r] = ReplicaSet.EMPTY;
  }

  private void copyRow(int from, int to) {
    int fp = from >>> PAGE_SHIFT;
    int fr = from & PAGE_MASK;
    int tp = to >>> PAGE_SHIFT;
    int tr = to & PAGE_MASK;
    handles[tp][tr] = handles[fp][fr];
    versions[tp][tr] = versions[fp][fr];
    lengths[tp][tr] = lengths[fp][fr];
    references[tp][tr] = references[fp][fr];
    targets[tp][tr] = targets[fp][fr];
    flags[tp][tr] = flags[fp][fr];
    replicas[tp][tr] = replicas[fp][fr];
  }

  /** Removes the chunk with this handle; false if there is none. Its row stays readable until reused. */
  boolean remove(long handle) {
    int i = search(handle);
    if (i < 0 || !presentAt(i)) {
      return false;
    }
    long stamp = rowsLock.writeLock();
    try {
      flags[i >>> PAGE_SHIFT][i & PAGE_MASK] &= (byte) ~PRESENT;
      while (used > 0 && !presentAt(used - 1)) {
        used--; // holes at the end go at once, so the common append stays an append
      }
    } finally {
      rowsLock.unlockWrite(stamp);
    }
    clientWaitingAtMillis.remove(handle);
    corruptOn.remove(handle);
    size--;
    return true;
  }

  /** Full: drop the holes if they are at least a quarter of the rows, else add a page. */
  private void makeRoom() {
    if (size <= used - used / 4) {
      int kept = 0;
      for (int row = 0; row < used; row++) {
        if (presentAt(row)) {
          if (kept != row) {
            copyRow(row, kept);
          }
          kept++;
        }
      }
      for (int row = kept; row < used; row++) {
        replicas[row >>> PAGE_SHIFT][row & PAGE_MASK] = null;
      }
      Check.state(kept == size, "chunk index holds %s chunks, counted %s", kept, size);
      used = kept;
      moves++;
    }
    if (used == capacity()) {
      int pages = handles.length + 1;
      handles = Arrays.copyOf(handles, pages);
      versions = Arrays.copyOf(versions, pages);
      lengths = Arrays.copyOf(lengths, pages);
      references = Arrays.copyOf(references, pages);
      targets = Arrays.copyOf(targets, pages);
      flags = Arrays.copyOf(flags, pages);
      replicas = Arrays.copyOf(replicas, pages);
      int p = pages - 1;
      handles[p] = new long[PAGE_ROWS];
      versions[p] = new long[PAGE_ROWS];
      lengths[p] = new int[PAGE_ROWS];
      references[p] = new int[PAGE_ROWS];
      targets[p] = new byte[PAGE_ROWS];
      flags[p] = new byte[PAGE_ROWS];
      replicas[p] = new ReplicaSet[PAGE_ROWS];
    }
  }

  /**
   * The row of this handle: present, or a removed chunk's row not reused yet (a hole, or past the end after the tail
   * was trimmed), so a view of a removed chunk still reads its last values; -1 once the row was reused.
   */
  int rowOf(long handle, int hint) {
    if (hint < used && handleAt(hint) == handle) {
      return hint;
    }
    int i = search(handle);
    if (i >= 0) {
      return i;
    }
    return hint < capacity() && handleAt(hint) == handle ? hint : -1;
  }

  long version(int row) {
    return versions[row >>> PAGE_SHIFT][row & PAGE_MASK];
  }

  void version(int row, long value) {
    versions[row >>> PAGE_SHIFT][row & PAGE_MASK] = value;
  }

  long length(int row) {
    return lengths[row >>> PAGE_SHIFT][row & PAGE_MASK];
  }

  void length(int row, long value) {
    Check.state(value >= 0 && value <= Integer.MAX_VALUE, "chunk length %s", value);
    int[] page = lengths[row >>> PAGE_SHIFT];
    int r = row & PAGE_MASK;
    if (page[r] != (int) value) { // a heartbeat re-reports most lengths unchanged: no lock for those
      long stamp = rowsLock.writeLock();
      page[r] = (int) value;
      rowsLock.unlockWrite(stamp);
    }
  }

  int references(int row) {
    return references[row >>> PAGE_SHIFT][row & PAGE_MASK];
  }

  void references(int row, int value) {
    references[row >>> PAGE_SHIFT][row & PAGE_MASK] = value;
  }

  int target(int row) {
    return targets[row >>> PAGE_SHIFT][row & PAGE_MASK];
  }

  void target(int row, int value) {
    Check.state(value >= 0 && value <= Byte.MAX_VALUE, "replication target %s", value);
    targets[row >>> PAGE_SHIFT][row & PAGE_MASK] = (byte) value;
  }

  boolean flag(int row, int flag) {
    return (flags[row >>> PAGE_SHIFT][row & PAGE_MASK] & flag) != 0;
  }

  /** Sets or clears flag; never {@link #PRESENT}, which only put and remove change (see {@link #lengthSum}). */
  void flag(int row, int flag, boolean on) {
    Check.state(flag != PRESENT, "flag %s: the present flag changes only with put and remove", flag);
    byte[] page = flags[row >>> PAGE_SHIFT];
    int r = row & PAGE_MASK;
    page[r] = (byte) (on ? page[r] | flag : page[r] & ~flag);
  }

  ReplicaSet replicas(int row) {
    ReplicaSet set = replicas[row >>> PAGE_SHIFT][row & PAGE_MASK];
    return set == null ? ReplicaSet.EMPTY : set; // a removed chunk's row after a compaction
  }

  void replicas(int row, ReplicaSet value) {
    replicas[row >>> PAGE_SHIFT][row & PAGE_MASK] = Check.notNull(value, "replicas");
  }

  long clientWaitingAtMillis(long handle) {
    return clientWaitingAtMillis.getOrDefault(handle, Long.MIN_VALUE);
  }

  void clientWaitingAtMillis(long handle, long millis) {
    if (millis == Long.MIN_VALUE) {
      clientWaitingAtMillis.remove(handle);
    } else {
      clientWaitingAtMillis.put(handle, millis);
    }
  }

  String[] corruptOn(long handle) {
    return corruptOn.getOrDefault(handle, ReplicaArrays.NO_IDS);
  }

  void corruptOn(long handle, String[] sortedIds) {
    if (sortedIds.length == 0) {
      corruptOn.remove(handle);
    } else {
      corruptOn.put(handle, sortedIds);
    }
  }

  /**
   * Handle, version and known length (with whether the log holds it) of every chunk, in handle order, copied from the
   * columns into three arrays: no view and no record per row (a checkpoint's capture, while every mutation waits).
   */
  CapturedChunks imageChunks() {
    long[] handleColumn = new long[size];
    long[] versionColumn = new long[size];
    int[] lengthColumn = new int[size];
    int n = 0;
    for (int row = 0; row < used; row++) {
      int p = row >>> PAGE_SHIFT;
      int r = row & PAGE_MASK;
      if ((flags[p][r] & PRESENT) != 0) {
        handleColumn[n] = handles[p][r];
        versionColumn[n] = versions[p][r];
        lengthColumn[n] = lengths[p][r] | ((flags[p][r] & LENGTH_LOGGED) != 0 ? CapturedChunks.LOGGED : 0);
        n++;
      }
    }
    Check.state(n == size, "%s present rows, size %s", n, size);
    return new CapturedChunks(handleColumn, versionColumn, lengthColumn);
  }

  /**
   * What a health count reads - each row's handle, version, replication target, flags and replica set - copied from
   * the columns a page at a time, with the handles that have a copy reported corrupt: the caller holds the chunk
   * monitor only for these array copies and counts after letting it go ({@link ChunkHealthSample}). Counting row by
   * row under the monitor held heartbeats, lease grants and metadata calls for seconds at a million chunks (issue 6).
   */
  ChunkHealthSample healthSample(Set<String> liveServerIds) {
    return healthSample(liveServerIds, !corruptOn.isEmpty()); // the count reads handles only to look these up
  }

  /**
   * The same copy with every handle, for a replication scan ({@link ChunkHealthSample#offTarget}); countedServerIds
   * are the servers whose replicas count toward a target (live and not draining).
   */
  ChunkHealthSample targetSample(Set<String> countedServerIds) {
    return healthSample(countedServerIds, true);
  }

  private ChunkHealthSample healthSample(Set<String> liveServerIds, boolean handlesWanted) {
    long[][] handleCopy = handlesWanted ? copyPages(handles, Arrays::copyOf) : new long[pageCount()][];
    long[] corruptHandles = new long[corruptOn.size()];
    int n = 0;
    for (long handle : corruptOn.keySet()) {
      corruptHandles[n++] = handle;
    }
    Arrays.sort(corruptHandles);
    return new ChunkHealthSample(handleCopy, copyPages(versions, Arrays::copyOf), copyPages(targets, Arrays::copyOf),
        copyPages(flags, Arrays::copyOf), copyPages(replicas, Arrays::copyOf), corruptHandles, liveServerIds, size);
  }

  /**
   * What the status pages' problem list reads - each row's handle, version, length, replication target, flags and
   * replica set, a page at a time, and the servers reported corrupt per chunk - copied so that the caller holds the
   * chunk monitor only for these copies and walks them after letting it go ({@link ChunkProblemSample}).
   */
  ChunkProblemSample problemSample(Set<String> liveServerIds) {
    // corruptOn's id arrays are replaced, never written, so a copy of the map is enough
    return new ChunkProblemSample(copyPages(handles, Arrays::copyOf), copyPages(versions, Arrays::copyOf),
        copyPages(lengths, Arrays::copyOf), copyPages(targets, Arrays::copyOf), copyPages(flags, Arrays::copyOf),
        copyPages(replicas, Arrays::copyOf), new HashMap<>(corruptOn), liveServerIds, size);
  }

  /** Copies a page's first {@code rows} entries (Arrays::copyOf for each column's element type). */
  private interface PageCopy<P> {
    P copy(P page, int rows);
  }

  private int pageCount() {
    return (used + PAGE_MASK) >>> PAGE_SHIFT;
  }

  /**
   * The rows [0, used) of one column, copied a page at a time, for a sample walked after the chunk monitor is let
   * go. A column of ReplicaSets copies only the references: the sets themselves are never written once built.
   */
  private <P> P[] copyPages(P[] column, PageCopy<P> copy) {
    P[] pages = Arrays.copyOf(column, pageCount()); // the outer array's type; every page is replaced below
    for (int p = 0; p < pages.length; p++) {
      pages[p] = copy.copy(column[p], Math.min(PAGE_ROWS, used - (p << PAGE_SHIFT)));
    }
    return pages;
  }

  /** The chunks in handle order (a live view; each element a fresh view of its row). */
  Collection<ChunkInfo> values() {
    return new AbstractCollection<>() {
      @Override
      public Iterator<ChunkInfo> iterator() {
        return new Iterator<>() {
          private final int expectedMoves = moves;
          private int next = advance(0);

          private int advance(int from) {
            int i = from;
            while (i < used && !presentAt(i)) {
              i++;
            }
            return i;
          }

          @Override
          public boolean hasNext() {
            if (moves != expectedMoves) {
              throw new ConcurrentModificationException("chunk index changed during iteration");
            }
            next = advance(next);
            return next < used;
          }

          @Override
          public ChunkInfo next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new ChunkInfo(ChunkIndex.this, handleAt(i), i);
          }
        };
      }

      @Override
      public int size() {
        return size;
      }
    };
  }
}
