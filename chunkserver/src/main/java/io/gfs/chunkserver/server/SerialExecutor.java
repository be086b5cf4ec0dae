package io.gfs.chunkserver.server;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs the tasks given to it one at a time, in order, on threads of another executor, and keeps running queued ones on
 * the same thread: a task that queues the next while it runs (a forward finishing and so starting the next piece's)
 * has it run right after it there, with no hand-off to another thread. Only one of its tasks runs at any time.
 */
final class SerialExecutor implements Executor {
  private final Executor threads;
  private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
  /** True while a drain runs or is handed to {@link #threads}; it empties {@link #queued} before it ends. */
  private boolean draining;

  SerialExecutor(Executor threads) {
    this.threads = threads;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (queued) {
      queued.addLast(task);
      if (draining) {
        return;
      }
      draining = true;
    }
    try {
      threads.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (queued) {
        draining = false;
        queued.clear(); // the pool is shut down: nothing queued here will run, as with the pool's own queue
      }
      throw e;
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (queued) {
        next = queued.pollFirst();
        if (next == null) {
          draining = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        // A task's own failure is its business (a CompletableFuture's never throws); the queue goes on.
        Thread.UncaughtExceptionHandler handler = Thread.currentThread().getUncaughtExceptionHandler();
        handler.uncaughtException(Thread.currentThread(), e);
      }
    }
  }
}
