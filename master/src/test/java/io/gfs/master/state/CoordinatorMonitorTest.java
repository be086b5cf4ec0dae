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
 * Nor must the status of a file with chunks: the master answers it on an RPC selector thread, whose other connections
 * would all wait with it.
 */
class CoordinatorMonitorTest {
  private static ChunkCoordinator coordinator() {
    return new ChunkCoordinator(
        new MasterState.Settings(StateFixture.CHUNK_SIZE, StateFixture.LEASE_MILLIS, StateFixture.DEAD_AFTER_MILLIS, 3),
        new SplittableRandom(1));
  }

  @Test
  void aFilesLengthIsReadWhileAnotherThreadHoldsTheMonitor() throws Exception {
    ChunkCoordinator coordinator = coordinator();
    coordinator.applyAdd(7, 1, 3, false);
    coordinator.applyAdd(9, 1, 3, false);
    coordinator.reportLength(7, StateFixture.CHUNK_SIZE);
    coordinator.reportLength(9, 17);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<?> holder = threads.submit(() -> {
        synchronized (coordinator) { // as a heartbeat that walks every chunk does
          held.countDown();
          release.await();
        }
        return null;
      });
      assertTrue(held.await(60, TimeUnit.SECONDS), "the holder took the monitor");
      // 8 is no chunk (any more): it counts 0, as a deleted chunk of a snapshot's file did under the monitor.
      Future<Long> length = threads.submit(() -> coordinator.knownLengthBytes(List.of(7L, 8L, 9L)));
      // Bounded: the read takes microseconds; with the length read under the monitor it waited here until the holder
      // let go, which it does only after this check.
      assertEquals(StateFixture.CHUNK_SIZE + 17, length.get(60, TimeUnit.SECONDS));
      release.countDown();
      holder.get(60, TimeUnit.SECONDS);
    } finally {
      release.countDown();
      threads.shutdownNow();
    }
  }

  @Test
  void callsWithoutChunksDoNotWaitForTheMonitor() throws Exception {
    ChunkCoordinator coordinator = coordinator();
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
