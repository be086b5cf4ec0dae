package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class RecentFirstPoolTest {
  private static final long WAIT_NANOS_MAX = TimeUnit.SECONDS.toNanos(60);

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_NANOS_MAX;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what);
      Thread.sleep(1);
    }
  }

  private static Thread runOn(RecentFirstPool pool) throws InterruptedException {
    AtomicReference<Thread> ran = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    pool.execute(() -> {
      ran.set(Thread.currentThread());
      done.countDown();
    });
    assertTrue(done.await(60, TimeUnit.SECONDS), "the task never ran");
    return ran.get();
  }

  /** A ThreadPoolExecutor below its core size starts a new thread per task even with idle ones (64 per server). */
  @Test
  void tasksOneAfterAnotherRunOnTheThreadThatWentIdleLast() throws Exception {
    RecentFirstPool pool = new RecentFirstPool("test-pool", 64, 60_000);
    try {
      Set<Thread> threads = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        threads.add(runOn(pool));
        await(() -> pool.idleCount() == pool.threadCount(), "the thread did not go idle");
      }
      assertEquals(1, threads.size(), "threads used: " + threads);
      assertEquals(1, pool.threadCount());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tasksOverTheMaxWaitForAThreadAndAllRun() throws Exception {
    RecentFirstPool pool = new RecentFirstPool("test-pool", 2, 60_000);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch allRan = new CountDownLatch(10);
    try {
      for (int i = 0; i < 2; i++) {
        pool.execute(() -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
      for (int i = 0; i < 10; i++) {
        int n = i;
        pool.execute(() -> {
          order.add(n);
          allRan.countDown();
        });
      }
      assertEquals(2, pool.threadCount(), "threads beyond the max");
      assertEquals(List.of(), order, "a task ran while both threads were busy");
      release.countDown();
      assertTrue(allRan.await(60, TimeUnit.SECONDS), "waiting tasks never ran");
      assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), new HashSet<>(order));
      assertEquals(2, pool.threadCount());
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void anIdleThreadEndsAndTheNextTaskStartsAFreshOne() throws Exception {
    RecentFirstPool pool = new RecentFirstPool("test-pool", 4, 1);
    try {
      Thread first = runOn(pool);
      await(() -> pool.threadCount() == 0, "an idle thread never ended");
      first.join(60_000);
      assertTrue(!first.isAlive(), "the idle thread is still alive");
      assertTrue(runOn(pool) != first);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shutdownNowInterruptsRunningTasksAndRefusesNewOnes() throws Exception {
    RecentFirstPool pool = new RecentFirstPool("test-pool", 1, 60_000);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    pool.execute(() -> {
      started.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    });
    assertTrue(started.await(60, TimeUnit.SECONDS));
    pool.execute(() -> {
      throw new AssertionError("a task waiting at shutdown ran");
    });
    pool.shutdownNow();
    assertTrue(interrupted.await(60, TimeUnit.SECONDS), "the running task was not interrupted");
    assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
    await(() -> pool.threadCount() == 0, "threads left after shutdownNow");
  }

  /** The next piece's forward, queued by the one finishing, runs right after it on the same thread. */
  @Test
  void aSerialExecutorRunsTasksQueuedByItsTaskOnTheSameThreadInOrder() throws Exception {
    RecentFirstPool pool = new RecentFirstPool("test-pool", 8, 60_000);
    try {
      SerialExecutor serial = new SerialExecutor(pool);
      List<Integer> order = Collections.synchronizedList(new ArrayList<>());
      Set<Thread> threads = Collections.synchronizedSet(new HashSet<>());
      CountDownLatch done = new CountDownLatch(1);
      serial.execute(new Runnable() {
        int n;

        @Override
        public void run() {
          order.add(n);
          threads.add(Thread.currentThread());
          if (++n < 50) {
            serial.execute(this);
          } else {
            done.countDown();
          }
        }
      });
      assertTrue(done.await(60, TimeUnit.SECONDS));
      assertEquals(50, order.size());
      for (int i = 0; i < 50; i++) {
        assertEquals(i, order.get(i));
      }
      assertEquals(1, threads.size());
      assertEquals(1, pool.threadCount());
    } finally {
      pool.shutdownNow();
    }
  }
}
