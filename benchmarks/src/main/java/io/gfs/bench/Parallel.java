package io.gfs.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs one task per thread, started together, and times the whole from the common start to the last finish. */
final class Parallel {
  /** The work of one thread; {@code index} is the thread's number in [0, threads). */
  interface Task {
    void run(int index) throws Exception;
  }

  private Parallel() {}

  /** Elapsed nanoseconds from the moment every thread is ready until the last one finished. */
  static long run(int threads, Task task) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "bench-worker");
      t.setDaemon(true);
      return t;
    });
    try {
      java.util.concurrent.CyclicBarrier ready = new java.util.concurrent.CyclicBarrier(threads + 1);
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          ready.await();
          task.run(index);
          return null;
        }));
      }
      await(ready);
      long start = System.nanoTime();
      for (Future<?> f : futures) {
        join(f);
      }
      return System.nanoTime() - start;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(java.util.concurrent.CyclicBarrier barrier) throws IOException {
    try {
      barrier.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.BrokenBarrierException e) {
      throw new IOException("a worker failed before the start", e);
    }
  }

  private static void join(Future<?> future) throws IOException {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("worker failed: " + cause, cause);
    }
  }
}
