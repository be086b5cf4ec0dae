package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BiConsumer;

/**
 * A directory's children sorted by name in one array, found by binary search, as HDFS's INodeDirectory keeps them (a
 * sorted list). It replaced a ConcurrentSkipListMap with String keys, whose entry, index and key cost about 84 bytes
 * per child (issue 6's heap goal [0044-0045]); the names now live in the nodes ({@link Node#compareToName}). Creates in
 * one directory run at the same time under its read lock [0061], so the array has its own lock: mutations take it
 * exclusively, lookups read optimistically (no write to shared memory per path component) and fall back to the read
 * lock when a mutation overlapped. Iteration is weakly consistent, like the map's: it copies a batch of entries at a
 * time under the read lock and resumes after the last name, so a visitor may change the directory. The method names
 * are the map's, so callers read as before.
 */
final class ChildArray {
  private static final Node[] EMPTY = new Node[0];
  /** Entries copied per lock hold while iterating. */
  static final int BATCH = 128;
  private final StampedLock lock = new StampedLock();
  private Node[] nodes = EMPTY;
  private int size;

  /** The entries after a name (or from it, inclusive), in name order. */
  record Tail(ChildArray children, String after, boolean inclusive) {
    Iterable<Map.Entry<String, Node>> entrySet() {
      return () -> children.new Cursor(after, inclusive);
    }
  }

  Node get(String name) {
    long stamp = lock.tryOptimisticRead();
    if (stamp != 0) {
      Node found = null;
      boolean torn = false;
      try {
        found = find(name);
      } catch (RuntimeException e) {
        // A mutation moved entries under the search (a null slot or a stale size): retried under the lock.
        if (lock.validate(stamp)) {
          throw e;
        }
        torn = true;
      }
      if (!torn && lock.validate(stamp)) {
        return found;
      }
    }
    stamp = lock.readLock();
    try {
      return find(name);
    } finally {
      lock.unlockRead(stamp);
    }
  }

  boolean containsKey(String name) {
    return get(name) != null;
  }

  int size() {
    long stamp = lock.readLock();
    try {
      return size;
    } finally {
      lock.unlockRead(stamp);
    }
  }

  boolean isEmpty() {
    return size() == 0;
  }

  /** Puts node under name (renaming the node, which must be in no directory, if needed); returns the previous. */
  Node put(String name, Node node) {
    return insert(name, node, true);
  }

  /** Puts node under name unless the name is taken; returns the node already there, or null when it was put. */
  Node putIfAbsent(String name, Node node) {
    return insert(name, node, false);
  }

  Node remove(String name) {
    long stamp = lock.writeLock();
    try {
      Node[] a = nodes;
      int n = size;
      int at = search(a, n, name);
      if (at < 0) {
        return null;
      }
      Node removed = a[at];
      System.arraycopy(a, at + 1, a, at, n - at - 1);
      a[n - 1] = null;
      size = n - 1;
      if (a.length > 8 && size < a.length / 4) {
        nodes = Arrays.copyOf(a, a.length / 2); // a directory emptied by deletes gives its slots back
      }
      return removed;
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  /** Every child in name order (weakly consistent: see the class comment). */
  void forEach(BiConsumer<String, Node> visitor) {
    for (Map.Entry<String, Node> entry : entrySet()) {
      visitor.accept(entry.getKey(), entry.getValue());
    }
  }

  Iterable<Map.Entry<String, Node>> entrySet() {
    return () -> new Cursor(null, false);
  }

  /**
   * The children in name order, copied in one step under the read lock, no name decoded: for a checkpoint's capture,
   * which visits a million files while every mutation waits (issue 6), where the batched cursor decoded each name and
   * made an entry per child.
   */
  Node[] snapshot() {
    long stamp = lock.readLock();
    try {
      return Arrays.copyOf(nodes, size);
    } finally {
      lock.unlockRead(stamp);
    }
  }

  /** The names in order, copied. */
  List<String> keySet() {
    List<String> names = new ArrayList<>();
    forEach((name, child) -> names.add(name));
    return names;
  }

  Tail tailMap(String after, boolean inclusive) {
    return new Tail(this, Check.notNull(after, "after"), inclusive);
  }

  /** Asserts the order: every slot in use holds a node, names strictly ascending. */
  void checkInvariants() {
    long stamp = lock.readLock();
    try {
      Check.state(size >= 0 && size <= nodes.length, "size %s of %s slots", size, nodes.length);
      for (int i = 0; i < size; i++) {
        Check.state(nodes[i] != null, "slot %s of %s empty", i, size);
        Check.state(i == 0 || nodes[i].compareToName(nodes[i - 1].name()) < 0, "%s not after %s",
            nodes[i].name(), i == 0 ? "" : nodes[i - 1].name());
      }
    } finally {
      lock.unlockRead(stamp);
    }
  }

  private Node insert(String name, Node node, boolean replace) {
    Check.notNull(node, "node");
    Check.argument(!name.isEmpty() && name.indexOf('/') < 0, "bad child name '%s'", name);
    if (node.compareToName(name) != 0) {
      node.rename(name);
    }
    long stamp = lock.writeLock();
    try {
      Node[] a = nodes;
      int n = size;
      // Names arriving in order (a checkpoint's restore, numbered files) go at the end without a search.
      int found = n > 0 && a[n - 1].compareToName(name) > 0 ? -(n + 1) : search(a, n, name);
      if (found >= 0) {
        Node previous = a[found];
        if (replace) {
          a[found] = node;
        }
        return previous;
      }
      int at = -(found + 1);
      if (n == a.length) {
        a = Arrays.copyOf(a, n + (n >> 1) + 2);
      }
      System.arraycopy(a, at, a, at + 1, n - at);
      a[at] = node;
      nodes = a;
      size = n + 1;
      return null;
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  private Node find(String name) {
    Node[] a = nodes;
    int at = search(a, Math.min(size, a.length), name);
    return at >= 0 ? a[at] : null;
  }

  /** The index of name, or -(insertion point + 1). */
  private static int search(Node[] a, int n, String name) {
    int low = 0;
    int high = n - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      int c = a[middle].compareToName(name);
      if (c > 0) {
        low = middle + 1;
      } else if (c < 0) {
        high = middle - 1;
      } else {
        return middle;
      }
    }
    return -(low + 1);
  }

  /** Up to BATCH entries after (or from) a name, null meaning from the start, copied under the read lock. */
  private List<Map.Entry<String, Node>> batch(String after, boolean inclusive) {
    long stamp = lock.readLock();
    try {
      Node[] a = nodes;
      int n = size;
      int start = 0;
      if (after != null) {
        int at = search(a, n, after);
        start = at >= 0 ? (inclusive ? at : at + 1) : -(at + 1);
      }
      int end = Math.min(n, start + BATCH);
      List<Map.Entry<String, Node>> out = new ArrayList<>(Math.max(0, end - start));
      for (int i = start; i < end; i++) {
        out.add(Map.entry(a[i].name(), a[i]));
      }
      return out;
    } finally {
      lock.unlockRead(stamp);
    }
  }

  private final class Cursor implements Iterator<Map.Entry<String, Node>> {
    private List<Map.Entry<String, Node>> entries;
    private int next;

    Cursor(String after, boolean inclusive) {
      entries = batch(after, inclusive);
    }

    @Override
    public boolean hasNext() {
      if (next == entries.size() && entries.size() == BATCH) {
        entries = batch(entries.get(BATCH - 1).getKey(), false);
        next = 0;
      }
      return next < entries.size();
    }

    @Override
    public Map.Entry<String, Node> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return entries.get(next++);
    }
  }
}
