package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 6: a rename or delete of a directory without files, and the status of an empty file, give the chunk
 * coordinator no chunk, and must not wait for its monitor, which a heartbeat's full chunk report holds for a while.
 */
class CoordinatorMonitorTest {
  @Test
  void callsWithoutChunksDoNotWaitForTheMonitor() throws Exception {
    ChunkCoordinator coordinator = new ChunkCoordinator(
        new MasterState.Settings(StateFixture.CHUNK_SIZE, StateFixture.LEASE_MILLIS, StateFixture.DEAD_AFTER_MILLIS, 3),
        new SplittableRandom(1));
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<?> holder = threads.submit(() -> {
        synchronized (coordinator) { // as a heartbeat's report does
          held.countDown();
          release.await();
        }
        return null;
      });
      assertTrue(held.await(60, TimeUnit.SECONDS), "the holder took the monitor");
      Future<List<LeasePlan.Revoked>> calls = threads.submit(() -> {
        coordinator.release(List.of());
        coordinator.setTrashed(List.of(), true);
        assertEquals(0, coordinator.knownLengthBytes(List.of())); // an empty file's status, as listed
        return coordinator.revokeLeases(List.of(), 1_000);
      });
      // Bounded: the calls take microseconds; before the change they waited here until the holder let go.
      assertEquals(List.of(), calls.get(60, TimeUnit.SECONDS));
      release.countDown();
      holder.get(60, TimeUnit.SECONDS);
    } finally {
      release.countDown();
      threads.shutdownNow();
    }
  }
}
