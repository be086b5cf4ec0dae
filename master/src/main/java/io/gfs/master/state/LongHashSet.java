package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.Arrays;

/**
 * A set of chunk handles without boxing: open addressing with linear probing and backward-shift deletion (no
 * tombstones), 8 bytes a slot at a load of at most 3/4. The chunk table keeps one per chunkserver (the handles it holds
 * a replica of), where a TreeSet of boxed handles cost 56 bytes a replica (issue 6). Handle 0 is never issued (the
 * counter starts at 1) and marks an empty slot. Not thread-safe.
 */
final class LongHashSet {
  private static final long EMPTY = 0;
  private static final int INITIAL_CAPACITY = 16;
  private long[] slots = new long[INITIAL_CAPACITY];
  private int size;

  int size() {
    return size;
  }

  boolean contains(long handle) {
    Check.argument(handle != EMPTY, "handle 0 is never issued");
    int mask = slots.length - 1;
    for (int i = slot(handle, mask); slots[i] != EMPTY; i = (i + 1) & mask) {
      if (slots[i] == handle) {
        return true;
      }
    }
    return false;
  }

  /** True when it was not there. */
  boolean add(long handle) {
    Check.argument(handle != EMPTY, "handle 0 is never issued");
    if (size + 1 > slots.length - slots.length / 4) {
      resize(slots.length * 2);
    }
    int mask = slots.length - 1;
    int i = slot(handle, mask);
    while (slots[i] != EMPTY) {
      if (slots[i] == handle) {
        return false;
      }
      i = (i + 1) & mask;
    }
    slots[i] = handle;
    size++;
    return true;
  }

  /** True when it was there. */
  boolean remove(long handle) {
    Check.argument(handle != EMPTY, "handle 0 is never issued");
    int mask = slots.length - 1;
    int i = slot(handle, mask);
    while (slots[i] != handle) {
      if (slots[i] == EMPTY) {
        return false;
      }
      i = (i + 1) & mask;
    }
    // Backward shift: move later entries of the probe run into the gap so lookups never stop early.
    int gap = i;
    for (int j = (gap + 1) & mask; slots[j] != EMPTY; j = (j + 1) & mask) {
      int home = slot(slots[j], mask);
      boolean movable = gap <= j ? (home <= gap || home > j) : (home <= gap && home > j);
      if (movable) {
        slots[gap] = slots[j];
        gap = j;
      }
    }
    slots[gap] = EMPTY;
    size--;
    if (slots.length > INITIAL_CAPACITY && size < slots.length / 8) {
      resize(slots.length / 2); // a server that lost most of its chunks gives the memory back
    }
    return true;
  }

  /** The handles in ascending order (a copy). */
  long[] toSortedArray() {
    long[] out = new long[size];
    int n = 0;
    for (long handle : slots) {
      if (handle != EMPTY) {
        out[n++] = handle;
      }
    }
    Check.state(n == size, "set of %s handles holds %s", size, n);
    Arrays.sort(out);
    return out;
  }

  private void resize(int capacity) {
    long[] old = slots;
    slots = new long[capacity];
    size = 0;
    int mask = capacity - 1;
    for (long handle : old) {
      if (handle != EMPTY) {
        int i = slot(handle, mask);
        while (slots[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        slots[i] = handle;
        size++;
      }
    }
  }

  /** Handles are sequential: mix the bits (Stafford's variant 13 of the 64-bit finalizer) before masking. */
  private static int slot(long handle, int mask) {
    long z = handle;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return (int) (z ^ (z >>> 31)) & mask;
  }
}
