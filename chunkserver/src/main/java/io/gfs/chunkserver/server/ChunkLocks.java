package io.gfs.chunkserver.server;

import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One mutation lock per chunk: the primary holds it while it numbers, applies and forwards a mutation, so the
 * secondaries receive serial numbers in order [0101-0102]; version changes and deletes take it too. A lock exists only
 * while someone holds or waits for it. Per handle rather than striped: two primaries waiting on each other's
 * secondaries must never find their unrelated chunks sharing a stripe.
 */
final class ChunkLocks {
  private final Map<Long, Holder> locks = new HashMap<>();
  private final long waitMillisMax;

  private static final class Holder {
    final ReentrantLock lock = new ReentrantLock();
    int users;
  }

  /** Releases a chunk's lock. */
  interface Guard extends AutoCloseable {
    @Override
    void close();
  }

  ChunkLocks(long waitMillisMax) {
    this.waitMillisMax = waitMillisMax;
  }

  /** The chunk's lock, or BUSY after waiting too long (a mutation ahead of us is stuck on a slow secondary). */
  Guard lock(long handle) throws GfsException {
    Holder holder;
    synchronized (locks) {
      holder = locks.computeIfAbsent(handle, h -> new Holder());
      holder.users++;
    }
    boolean locked = false;
    try {
      locked = holder.lock.tryLock(waitMillisMax, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (!locked) {
        release(handle, holder);
      }
    }
    if (!locked) {
      throw RpcErrors.error(ErrorCode.BUSY, "chunk %s is busy with another mutation for over %s ms", handle,
          waitMillisMax);
    }
    return () -> {
      holder.lock.unlock();
      release(handle, holder);
    };
  }

  private void release(long handle, Holder holder) {
    synchronized (locks) {
      if (--holder.users == 0) {
        locks.remove(handle);
      }
    }
  }

  /** Whether someone holds or waits for the chunk's lock right now (a hint: it may change at once). */
  boolean inUse(long handle) {
    synchronized (locks) {
      return locks.containsKey(handle);
    }
  }

  /** Locks in existence (held or awaited); for tests. */
  int size() {
    synchronized (locks) {
      return locks.size();
    }
  }
}
