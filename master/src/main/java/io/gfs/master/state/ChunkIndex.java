package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The chunk table's rows, in handle order, as parallel primitive columns: no object per chunk (issue 6's heap goal,
 * [0044-0045]: about 30 bytes a chunk - handle, version, known length, reference count, replication target, flags and
 * one reference to a usually shared {@link ReplicaSet}). Rarely set values (a waiting writer's time, corrupt copies)
 * live in side maps. {@link ChunkInfo} is a short-lived view of one row. Removed rows stay as holes (their values
 * kept) until the columns fill. New handles come from a counter, so almost every insert is an append; a lookup is a
 * binary search. Not thread-safe (the chunk monitor guards it); like TreeMap, iteration fails fast if an insert moved
 * rows meanwhile (removals only leave holes and are allowed).
 */
final class ChunkIndex {
  static final int PRESENT = 1;
  static final int GRANT_IN_PROGRESS = 2;
  static final int EVER_HELD = 4;
  static final int ALLOCATION_FAILED = 8;
  static final int TRASHED = 16;
  private static final int INITIAL_CAPACITY = 16;

  private final ReplicaArrays shared = new ReplicaArrays();
  private long[] handles = new long[INITIAL_CAPACITY];
  private long[] versions = new long[INITIAL_CAPACITY];
  /** Known lengths: a chunk is at most GfsConfigKeys.CHUNK_SIZE_BYTES_MAX (1 GiB) long. */
  private int[] lengths = new int[INITIAL_CAPACITY];
  private int[] references = new int[INITIAL_CAPACITY];
  /** Replication targets: at most MasterState.REPLICATION_MAX. */
  private byte[] targets = new byte[INITIAL_CAPACITY];
  private byte[] flags = new byte[INITIAL_CAPACITY];
  private ReplicaSet[] replicas = new ReplicaSet[INITIAL_CAPACITY];
  /** Handle to when a writer last waited on it, for the few chunks that have one. */
  private final Map<Long, Long> clientWaitingAtMillis = new HashMap<>();
  /** Handle to the sorted ids of servers with a corrupt copy, for the few chunks that have one. */
  private final Map<Long, String[]> corruptOn = new HashMap<>();
  /** Rows in use, holes included: handles[0, used) is strictly increasing. */
  private int used;
  private int size;
  /** Bumped whenever rows move (an insert in the middle or a compaction). */
  private int moves;

  ChunkInfo get(long handle) {
    int i = Arrays.binarySearch(handles, 0, used, handle);
    return i >= 0 && (flags[i] & PRESENT) != 0 ? new ChunkInfo(this, handle, i) : null;
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
    int i = Arrays.binarySearch(handles, 0, used, handle);
    if (i >= 0) {
      Check.state((flags[i] & PRESENT) == 0, "chunk %s already indexed", handle);
      clear(i, handle, version); // the hole this handle left
      size++;
      return new ChunkInfo(this, handle, i);
    }
    if (used == handles.length) {
      makeRoom();
      i = Arrays.binarySearch(handles, 0, used, handle);
    }
    int at = -i - 1;
    if (at < used) {
      shift(at, at + 1, used - at);
      moves++;
    }
    clear(at, handle, version);
    used++;
    size++;
    return new ChunkInfo(this, handle, at);
  }

  private void clear(int i, long handle, long version) {
    handles[i] = handle;
    versions[i] = version;
    lengths[i] = 0;
    references[i] = 0;
    targets[i] = 1;
    flags[i] = PRESENT;
    replicas[i] = ReplicaSet.EMPTY;
  }

  private void shift(int from, int to, int count) {
    System.arraycopy(handles, from, handles, to, count);
    System.arraycopy(versions, from, versions, to, count);
    System.arraycopy(lengths, from, lengths, to, count);
    System.arraycopy(references, from, references, to, count);
    System.arraycopy(targets, from, targets, to, count);
    System.arraycopy(flags, from, flags, to, count);
    System.arraycopy(replicas, from, replicas, to, count);
  }

  /** Removes the chunk with this handle; false if there is none. Its row stays readable until reused. */
  boolean remove(long handle) {
    int i = Arrays.binarySearch(handles, 0, used, handle);
    if (i < 0 || (flags[i] & PRESENT) == 0) {
      return false;
    }
    flags[i] &= (byte) ~PRESENT;
    clientWaitingAtMillis.remove(handle);
    corruptOn.remove(handle);
    size--;
    while (used > 0 && (flags[used - 1] & PRESENT) == 0) {
      used--; // holes at the end go at once, so the common append stays an append
    }
    return true;
  }

  /** Full: drop the holes if they are at least a quarter of the rows, else double. */
  private void makeRoom() {
    if (size <= used - used / 4) {
      int kept = 0;
      for (int i = 0; i < used; i++) {
        if ((flags[i] & PRESENT) != 0) {
          if (kept != i) {
            shift(i, kept, 1);
          }
          kept++;
        }
      }
      Arrays.fill(replicas, kept, used, null);
      Check.state(kept == size, "chunk index holds %s chunks, counted %s", kept, size);
      used = kept;
      moves++;
    }
    if (used == handles.length || used > handles.length - handles.length / 4) {
      int capacity = Math.max(INITIAL_CAPACITY, handles.length * 2);
      handles = Arrays.copyOf(handles, capacity);
      versions = Arrays.copyOf(versions, capacity);
      lengths = Arrays.copyOf(lengths, capacity);
      references = Arrays.copyOf(references, capacity);
      targets = Arrays.copyOf(targets, capacity);
      flags = Arrays.copyOf(flags, capacity);
      replicas = Arrays.copyOf(replicas, capacity);
    }
  }

  /**
   * The row of this handle: present, or a removed chunk's row not reused yet (a hole, or past the end after the tail
   * was trimmed), so a view of a removed chunk still reads its last values; -1 once the row was reused.
   */
  int rowOf(long handle, int hint) {
    if (hint < used && handles[hint] == handle) {
      return hint;
    }
    int i = Arrays.binarySearch(handles, 0, used, handle);
    if (i >= 0) {
      return i;
    }
    return hint < handles.length && handles[hint] == handle ? hint : -1;
  }

  long version(int row) {
    return versions[row];
  }

  void version(int row, long value) {
    versions[row] = value;
  }

  long length(int row) {
    return lengths[row];
  }

  void length(int row, long value) {
    Check.state(value >= 0 && value <= Integer.MAX_VALUE, "chunk length %s", value);
    lengths[row] = (int) value;
  }

  int references(int row) {
    return references[row];
  }

  void references(int row, int value) {
    references[row] = value;
  }

  int target(int row) {
    return targets[row];
  }

  void target(int row, int value) {
    Check.state(value >= 0 && value <= Byte.MAX_VALUE, "replication target %s", value);
    targets[row] = (byte) value;
  }

  boolean flag(int row, int flag) {
    return (flags[row] & flag) != 0;
  }

  void flag(int row, int flag, boolean on) {
    flags[row] = (byte) (on ? flags[row] | flag : flags[row] & ~flag);
  }

  ReplicaSet replicas(int row) {
    ReplicaSet set = replicas[row];
    return set == null ? ReplicaSet.EMPTY : set; // a removed chunk's row after a compaction
  }

  void replicas(int row, ReplicaSet value) {
    replicas[row] = Check.notNull(value, "replicas");
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
            while (i < used && (flags[i] & PRESENT) == 0) {
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
            return new ChunkInfo(ChunkIndex.this, handles[i], i);
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
