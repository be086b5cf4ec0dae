package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A small set of chunkserver ids, sorted, as one array sized to its contents: a chunk's corrupt-copy list is almost
 * always empty, and an empty TreeSet cost 64 bytes a chunk (issue 6). Empty sets share one array. Not thread-safe.
 */
final class ServerIdSet extends AbstractSet<String> {
  private static final String[] EMPTY = new String[0];
  private String[] ids = EMPTY;

  @Override
  public int size() {
    return ids.length;
  }

  @Override
  public boolean contains(Object id) {
    return id instanceof String s && Arrays.binarySearch(ids, s) >= 0;
  }

  @Override
  public boolean add(String id) {
    Check.notNull(id, "server id");
    int i = Arrays.binarySearch(ids, id);
    if (i >= 0) {
      return false;
    }
    int at = -i - 1;
    String[] next = new String[ids.length + 1];
    System.arraycopy(ids, 0, next, 0, at);
    next[at] = id;
    System.arraycopy(ids, at, next, at + 1, ids.length - at);
    ids = next;
    return true;
  }

  @Override
  public boolean remove(Object id) {
    int i = id instanceof String s ? Arrays.binarySearch(ids, s) : -1;
    if (i < 0) {
      return false;
    }
    if (ids.length == 1) {
      ids = EMPTY;
      return true;
    }
    String[] next = new String[ids.length - 1];
    System.arraycopy(ids, 0, next, 0, i);
    System.arraycopy(ids, i + 1, next, i, ids.length - i - 1);
    ids = next;
    return true;
  }

  @Override
  public void clear() {
    ids = EMPTY;
  }

  @Override
  public Iterator<String> iterator() {
    String[] snapshot = ids;
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < snapshot.length;
      }

      @Override
      public String next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Check.state(ids == snapshot, "server id set changed during iteration");
        return snapshot[next++];
      }
    };
  }
}
