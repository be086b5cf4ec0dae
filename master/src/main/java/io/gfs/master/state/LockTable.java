package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Per-path read-write locks, allocated when first needed and freed when the last user lets go [0059, 0062]. A set of
 * locks is always taken in one total order, by depth and then by name, so two operations can never wait on each other
 * in a cycle. An operation takes read locks on every ancestor and a read or write lock on its target [0057-0058]:
 * creates in one directory share the directory's read lock and run together, while a rename or delete of that
 * directory needs its write lock and waits for them.
 */
public final class LockTable {
  /** One path to lock; write wins when the same path is asked for twice. */
  public record Request(String path, int depth, boolean write) {}

  private static final Comparator<Request> ORDER =
      Comparator.comparingInt(Request::depth).thenComparing(Request::path);

  private final Map<String, Entry> locks = new ConcurrentHashMap<>();
  /** Write locks held or waited for: lookups run on an RPC selector thread only while none is (issue 6). */
  private final AtomicInteger writeLocks = new AtomicInteger();

  /**
   * A path's lock and how many operations use it. Users are counted with a CAS, not under the map's bin lock: every
   * operation takes the root's and its ancestors' entries, and 32 threads serialised on those bins in the metadata
   * benchmark (issue 6). An entry whose count reached 0 is dead for good and leaves the map; a late user retries.
   */
  private static final class Entry {
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final AtomicInteger users = new AtomicInteger(1);

    boolean join() {
      for (int u = users.get(); u > 0; u = users.get()) {
        if (users.compareAndSet(u, u + 1)) {
          return true;
        }
      }
      return false;
    }
  }

  /** Read locks on every ancestor of each path, and the given mode on each path itself. */
  public static List<Request> plan(List<List<String>> paths, List<Boolean> writes) {
    Check.argument(paths.size() == writes.size(), "paths and modes differ in length");
    if (paths.size() == 1) {
      return single(paths.get(0), writes.get(0)); // nearly every call: already in order, nothing to merge
    }
    // All requests in lock order; the same path has the same depth, so its requests end up side by side and merge
    // there (no map of the paths: a rename's plan was ~6% of its master CPU at 32 threads, issue 6).
    List<Request> all = new ArrayList<>();
    for (int p = 0; p < paths.size(); p++) {
      all.addAll(single(paths.get(p), writes.get(p)));
    }
    all.sort(ORDER);
    List<Request> merged = new ArrayList<>(all.size());
    for (Request request : all) {
      int last = merged.size() - 1;
      if (last >= 0 && merged.get(last).path().equals(request.path())) {
        if (request.write() && !merged.get(last).write()) {
          merged.set(last, request);
        }
      } else {
        merged.add(request);
      }
    }
    return List.copyOf(merged);
  }

  /** One path's plan, root first: each ancestor's key extends its parent's (not one join per depth). */
  private static List<Request> single(List<String> components, boolean write) {
    Request[] out = new Request[components.size() + 1];
    out[0] = new Request("/", 0, write && components.isEmpty());
    StringBuilder key = new StringBuilder();
    for (int depth = 1; depth <= components.size(); depth++) {
      key.append('/').append(components.get(depth - 1));
      out[depth] = new Request(key.toString(), depth, write && depth == components.size());
    }
    return List.of(out);
  }

  /** Blocks until every lock is held. */
  public Held lock(List<Request> plan) {
    List<Entry> entries = new ArrayList<>(plan.size());
    for (Request request : plan) {
      Entry entry = entryOf(request.path());
      if (request.write()) {
        writeLocks.incrementAndGet(); // counted while waiting too: a waiting writer holds back new readers
      }
      lockOf(entry, request).lock();
      entries.add(entry);
    }
    return new Held(plan, entries);
  }

  /** Takes every lock without waiting, or none. */
  public Optional<Held> tryLock(List<Request> plan) {
    List<Entry> entries = new ArrayList<>(plan.size());
    for (Request request : plan) {
      Entry entry = entryOf(request.path());
      if (!lockOf(entry, request).tryLock()) {
        release(request.path(), entry);
        new Held(plan.subList(0, entries.size()), entries).close();
        return Optional.empty();
      }
      if (request.write()) {
        writeLocks.incrementAndGet();
      }
      entries.add(entry);
    }
    return Optional.of(new Held(plan, entries));
  }

  /**
   * Whether any write lock is held or waited for at this moment. A mutation keeps its write lock until its log record
   * is on disk, so a lookup may wait that long only while this is true.
   */
  public boolean writeLocked() {
    return writeLocks.get() > 0;
  }

  /** Locks currently allocated: zero when no operation runs (they are freed when unused). */
  public int allocatedLocks() {
    return locks.size();
  }

  /** The path's entry with one more user: a live one from the map, or a new one put there. */
  private Entry entryOf(String path) {
    while (true) {
      Entry entry = locks.get(path);
      if (entry == null) {
        Entry created = new Entry();
        entry = locks.putIfAbsent(path, created);
        if (entry == null) {
          return created;
        }
      }
      if (entry.join()) {
        return entry;
      }
      // Its last user is removing it right now (a dead entry never comes back): the next look finds it gone.
    }
  }

  private static Lock lockOf(Entry entry, Request request) {
    return request.write() ? entry.lock.writeLock() : entry.lock.readLock();
  }

  private void release(String path, Entry entry) {
    if (entry.users.decrementAndGet() == 0) {
      locks.remove(path, entry);
    }
  }

  /** The locks of one operation; closing releases them in reverse order and frees unused ones. */
  public final class Held implements AutoCloseable {
    private final List<Request> plan;
    private final List<Entry> entries;
    private boolean closed;

    private Held(List<Request> plan, List<Entry> entries) {
      this.plan = plan;
      this.entries = entries;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      for (int i = entries.size() - 1; i >= 0; i--) {
        Entry entry = entries.get(i);
        lockOf(entry, plan.get(i)).unlock();
        if (plan.get(i).write()) {
          writeLocks.decrementAndGet();
        }
        release(plan.get(i).path(), entry);
      }
    }
  }
}
