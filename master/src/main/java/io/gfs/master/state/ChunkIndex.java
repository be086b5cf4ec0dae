package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The chunk table's handle-to-chunk map, in handle order, as two parallel arrays: sorted handles (long) and their
 * chunks, with removed entries left as holes until the arrays fill. About 12 bytes a chunk where a TreeMap entry and
 * its boxed key cost 56 (issue 6's heap goal [0044-0045]). New handles come from a counter, so almost every insert is
 * an append; a lookup is a binary search. Not thread-safe (the chunk monitor guards it); like TreeMap, iteration fails
 * fast if an insert moved entries meanwhile (removals only leave holes and are allowed).
 */
final class ChunkIndex {
  private static final int INITIAL_CAPACITY = 16;
  private long[] handles = new long[INITIAL_CAPACITY];
  private ChunkInfo[] chunks = new ChunkInfo[INITIAL_CAPACITY];
  /** Slots in use, holes included: handles[0, used) is strictly increasing. */
  private int used;
  private int size;
  /** Bumped whenever entries move (an insert in the middle or a compaction). */
  private int moves;

  ChunkInfo get(long handle) {
    int i = Arrays.binarySearch(handles, 0, used, handle);
    return i >= 0 ? chunks[i] : null;
  }

  boolean containsKey(long handle) {
    return get(handle) != null;
  }

  int size() {
    return size;
  }

  /** Adds a chunk whose handle is not in the index. */
  void put(ChunkInfo chunk) {
    int i = Arrays.binarySearch(handles, 0, used, chunk.handle);
    if (i >= 0) {
      Check.state(chunks[i] == null, "chunk %s already indexed", chunk.handle);
      chunks[i] = chunk; // the hole this handle left
      size++;
      return;
    }
    if (used == handles.length) {
      makeRoom();
      i = Arrays.binarySearch(handles, 0, used, chunk.handle);
    }
    int at = -i - 1;
    if (at < used) {
      System.arraycopy(handles, at, handles, at + 1, used - at);
      System.arraycopy(chunks, at, chunks, at + 1, used - at);
      moves++;
    }
    handles[at] = chunk.handle;
    chunks[at] = chunk;
    used++;
    size++;
  }

  /** Removes and returns the chunk with this handle, or null. */
  ChunkInfo remove(long handle) {
    int i = Arrays.binarySearch(handles, 0, used, handle);
    if (i < 0 || chunks[i] == null) {
      return null;
    }
    ChunkInfo removed = chunks[i];
    chunks[i] = null;
    size--;
    while (used > 0 && chunks[used - 1] == null) {
      used--; // holes at the end go at once, so the common append stays an append
    }
    return removed;
  }

  /** Full: drop the holes if they are at least a quarter of the slots, else double. */
  private void makeRoom() {
    if (size <= used - used / 4) {
      int kept = 0;
      for (int i = 0; i < used; i++) {
        if (chunks[i] != null) {
          handles[kept] = handles[i];
          chunks[kept] = chunks[i];
          kept++;
        }
      }
      Arrays.fill(chunks, kept, used, null);
      Check.state(kept == size, "chunk index holds %s chunks, counted %s", kept, size);
      used = kept;
      moves++;
    }
    if (used == handles.length || used > handles.length - handles.length / 4) {
      int capacity = Math.max(INITIAL_CAPACITY, handles.length * 2);
      handles = Arrays.copyOf(handles, capacity);
      chunks = Arrays.copyOf(chunks, capacity);
    }
  }

  /** The chunks in handle order (a live view). */
  Collection<ChunkInfo> values() {
    return new AbstractCollection<>() {
      @Override
      public Iterator<ChunkInfo> iterator() {
        return new Iterator<>() {
          private final int expectedMoves = moves;
          private int next = advance(0);

          private int advance(int from) {
            int i = from;
            while (i < used && chunks[i] == null) {
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
            return chunks[next++];
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
