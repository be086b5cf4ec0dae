package io.gfs.chunkserver.server;

import io.gfs.common.Check;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded thread pool that hands each task to the thread that went idle LAST, for the chunkserver's forwarders and
 * fan-out. A {@code ThreadPoolExecutor} with a {@code LinkedBlockingQueue} hands it to the one idle LONGEST and starts a
 * new thread for every task until it has its core size, so one write's pieces rotated through all 64 threads, each
 * woken cold (its stack, its pooled connection's buffers, its code path out of the caches), the pattern the read side
 * lost with lent buffers (4dab8ed). Here a steady stream of tasks runs on as few threads as it needs, and threads idle
 * for {@code idleMillis} end. Tasks beyond {@code threadsMax} running wait in arrival order, without limit, as before:
 * a forwarder blocked on a slow downstream server must never refuse the next piece of another stream.
 */
final class RecentFirstPool implements Executor {
  private final String name;
  private final int threadsMax;
  private final long idleNanos;
  private final ReentrantLock lock = new ReentrantLock();
  /** Idle workers, the one that went idle last at the head. */
  private final ArrayDeque<Worker> idle = new ArrayDeque<>();
  /** Tasks that found every thread busy and the pool at its max, oldest first. */
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private final List<Worker> workers = new ArrayList<>();
  private int threadsStarted;
  private boolean shutDown;

  RecentFirstPool(String name, int threadsMax, long idleMillis) {
    Check.argument(threadsMax > 0, "threadsMax %s", threadsMax);
    Check.argument(idleMillis > 0, "idleMillis %s", idleMillis);
    this.name = name;
    this.threadsMax = threadsMax;
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
  }

  @Override
  public void execute(Runnable task) {
    Check.notNull(task, "task");
    Worker started;
    lock.lock();
    try {
      if (shutDown) {
        throw new RejectedExecutionException(name + " is shut down");
      }
      Worker recent = idle.pollFirst();
      if (recent != null) {
        recent.task = task;
        recent.wake.signal();
        return;
      }
      if (workers.size() >= threadsMax) {
        waiting.addLast(task);
        return;
      }
      started = new Worker(task, name + "-" + ++threadsStarted);
      workers.add(started);
    } finally {
      lock.unlock();
    }
    try {
      started.thread.start();
    } catch (RuntimeException | Error e) {
      // No thread (e.g. out of native threads): the task is refused, not counted as running (ThreadPoolExecutor's way).
      lock.lock();
      try {
        workers.remove(started);
      } finally {
        lock.unlock();
      }
      throw e;
    }
  }

  /** Threads alive now (running or idle); for tests. */
  int threadCount() {
    lock.lock();
    try {
      return workers.size();
    } finally {
      lock.unlock();
    }
  }

  /** Threads waiting for a task now; for tests. */
  int idleCount() {
    lock.lock();
    try {
      return idle.size();
    } finally {
      lock.unlock();
    }
  }

  /** Drops the waiting tasks, interrupts the running ones and lets every thread end. */
  void shutdownNow() {
    lock.lock();
    try {
      shutDown = true;
      waiting.clear();
      for (Worker worker : workers) {
        worker.thread.interrupt();
      }
    } finally {
      lock.unlock();
    }
  }

  /** One pool thread: runs its task, then a waiting one, else parks at the head of the idle stack. */
  private final class Worker implements Runnable {
    final Thread thread;
    final Condition wake = lock.newCondition();
    /** The next task, handed over under the lock; null while idle. */
    Runnable task;

    Worker(Runnable first, String threadName) {
      this.task = first;
      this.thread = new Thread(this, threadName);
      this.thread.setDaemon(true);
    }

    @Override
    public void run() {
      try {
        Runnable next = task;
        while (next != null) {
          try {
            next.run();
          } catch (RuntimeException | Error e) {
            Thread.UncaughtExceptionHandler handler = thread.getUncaughtExceptionHandler();
            handler.uncaughtException(thread, e);
          }
          Thread.interrupted(); // an interrupt meant for the task ends with it, as in ThreadPoolExecutor
          next = nextTask();
        }
      } finally {
        lock.lock();
        try {
          workers.remove(this);
          idle.remove(this);
        } finally {
          lock.unlock();
        }
      }
    }

    /** The next task for this thread, or null when it should end (idle too long, or the pool shut down). */
    private Runnable nextTask() {
      lock.lock();
      try {
        task = null;
        Runnable queued = waiting.pollFirst();
        if (queued != null) {
          return queued;
        }
        idle.addFirst(this);
        long leftNanos = idleNanos;
        while (task == null && !shutDown && leftNanos > 0) {
          try {
            leftNanos = wake.awaitNanos(leftNanos);
          } catch (InterruptedException e) {
            // shutdownNow, or a stray interrupt: the loop's test decides
          }
        }
        if (task == null) {
          // Leaves in the same hold as it stops waiting, so no task is queued for a thread that is ending.
          idle.remove(this);
          workers.remove(this);
        }
        return task;
      } finally {
        lock.unlock();
      }
    }
  }
}
