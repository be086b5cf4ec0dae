package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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

  private static final class Entry {
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    int users;
  }

  /** Read locks on every ancestor of each path, and the given mode on each path itself. */
  public static List<Request> plan(List<List<String>> paths, List<Boolean> writes) {
    Check.argument(paths.size() == writes.size(), "paths and modes differ in length");
    Map<String, Request> merged = new TreeMap<>();
    for (int p = 0; p < paths.size(); p++) {
      List<String> components = paths.get(p);
      for (int depth = 0; depth <= components.size(); depth++) {
        boolean write = depth == components.size() && writes.get(p);
        String key = io.gfs.common.GfsPaths.join(components.subList(0, depth));
        Request previous = merged.get(key);
        if (previous == null || (write && !previous.write())) {
          merged.put(key, new Request(key, depth, write));
        }
      }
    }
    List<Request> ordered = new ArrayList<>(merged.values());
    ordered.sort(ORDER);
    return List.copyOf(ordered);
  }

  /** Blocks until every lock is held. */
  public Held lock(List<Request> plan) {
    List<Lock> acquired = new ArrayList<>(plan.size());
    for (Request request : plan) {
      Lock lock = lockOf(request);
      lock.lock();
      acquired.add(lock);
    }
    return new Held(plan, acquired);
  }

  /** Takes every lock without waiting, or none. */
  public Optional<Held> tryLock(List<Request> plan) {
    List<Lock> acquired = new ArrayList<>(plan.size());
    for (Request request : plan) {
      Lock lock = lockOf(request);
      if (!lock.tryLock()) {
        dereference(request.path());
        new Held(plan.subList(0, acquired.size()), acquired).close();
        return Optional.empty();
      }
      acquired.add(lock);
    }
    return Optional.of(new Held(plan, acquired));
  }

  /** Locks currently allocated: zero when no operation runs (they are freed when unused). */
  public int allocatedLocks() {
    return locks.size();
  }

  private Lock lockOf(Request request) {
    Entry entry = locks.compute(request.path(), (path, existing) -> {
      Entry e = existing == null ? new Entry() : existing;
      e.users++;
      return e;
    });
    return request.write() ? entry.lock.writeLock() : entry.lock.readLock();
  }

  private void dereference(String path) {
    locks.computeIfPresent(path, (p, entry) -> --entry.users == 0 ? null : entry);
  }

  /** The locks of one operation; closing releases them in reverse order and frees unused ones. */
  public final class Held implements AutoCloseable {
    private final List<Request> plan;
    private final List<Lock> acquired;
    private boolean closed;

    private Held(List<Request> plan, List<Lock> acquired) {
      this.plan = plan;
      this.acquired = acquired;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      for (int i = acquired.size() - 1; i >= 0; i--) {
        acquired.get(i).unlock();
        dereference(plan.get(i).path());
      }
    }
  }
}
