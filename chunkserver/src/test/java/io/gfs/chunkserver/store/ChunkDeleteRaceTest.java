package io.gfs.chunkserver.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gfs.chunkserver.store.BlockChecksums.ChangedBlocks;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A delete and a create of the same handle, interleaved on purpose: the create arrives while the delete is about to
 * remove the old chunk's medium. A store whose medium is found by the handle's name (FileChunkStore's files are) must
 * not lose the new chunk's medium. The interleaving is driven by a gate in the test store's deleteMedium, not by timing.
 */
class ChunkDeleteRaceTest {
  private static final long H = 42;
  private static final long PATIENCE_MILLIS = 60_000;

  private final List<Thread> started = new ArrayList<>();

  @AfterEach
  void stopThreads() throws InterruptedException {
    for (Thread thread : started) {
      thread.interrupt();
      thread.join(PATIENCE_MILLIS);
    }
  }

  @Test
  void aCreateOfTheSameHandleDuringADeleteKeepsItsNewMedium() throws Exception {
    NamedMediumStore store = new NamedMediumStore();
    store.load();
    store.create(H, 1);
    byte[] old = {1, 2, 3};
    store.write(H, 0, old, 0, old.length, false);
    CountDownLatch deleting = new CountDownLatch(1);
    CountDownLatch mayDelete = new CountDownLatch(1);
    store.beforeDeleteMedium = () -> {
      deleting.countDown();
      awaitOrFail(mayDelete, "the test to let the delete go on");
    };

    AtomicReference<Throwable> deleteFailure = new AtomicReference<>();
    Thread deleter = start("deleter", () -> store.delete(H), deleteFailure);
    awaitOrFail(deleting, "the delete to reach the medium");
    AtomicReference<Throwable> createFailure = new AtomicReference<>();
    Thread creator = start("creator", () -> store.create(H, 2), createFailure);
    // The create either went through (the old delete had already taken the chunk out of the table) or waits for the
    // store's monitor, which the deleter holds; either way its outcome no longer depends on timing.
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MILLIS);
    while (creator.isAlive() && !waitsForLockOf(creator, deleter)) {
      if (System.nanoTime() > deadline) {
        fail("the create neither finished nor waited for the deleter: " + creator.getState());
      }
      Thread.sleep(1);
    }
    mayDelete.countDown();
    deleter.join(PATIENCE_MILLIS);
    creator.join(PATIENCE_MILLIS);
    assertEquals(false, deleter.isAlive() || creator.isAlive(), "both calls returned");
    assertEquals(null, deleteFailure.get());
    assertEquals(null, createFailure.get());

    assertTrue(store.media.containsKey(H), "the re-created chunk's medium survived the delete");
    assertEquals(2, store.version(H));
    byte[] fresh = {9, 8, 7, 6};
    store.write(H, 0, fresh, 0, fresh.length, false);
    assertArrayEquals(fresh, store.read(H, 0, fresh.length));
  }

  @Test
  void aSecondDeleteFindsNothingAndTheMediumIsGone() throws IOException {
    NamedMediumStore store = new NamedMediumStore();
    store.load();
    store.create(H, 1);
    store.delete(H);
    store.delete(H);
    assertEquals(false, store.media.containsKey(H));
    assertEquals(0, store.usedBytes());
  }

  private Thread start(String name, Call call, AtomicReference<Throwable> failure) {
    Thread thread = new Thread(() -> {
      try {
        call.run();
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "ChunkDeleteRaceTest-" + name);
    thread.setDaemon(true);
    started.add(thread);
    thread.start();
    return thread;
  }

  private static boolean waitsForLockOf(Thread waiter, Thread owner) {
    ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(waiter.getId());
    return info != null && info.getThreadState() == Thread.State.BLOCKED && info.getLockOwnerId() == owner.getId();
  }

  private static void awaitOrFail(CountDownLatch latch, String what) {
    try {
      if (!latch.await(PATIENCE_MILLIS, TimeUnit.MILLISECONDS)) {
        throw new AssertionError("gave up waiting for " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    }
  }

  @FunctionalInterface
  private interface Call {
    void run() throws Exception;
  }

  /** A store whose media are found by handle, as files are by name; deleting one runs a hook first. */
  private static final class NamedMediumStore extends AbstractChunkStore<Long> {
    final Map<Long, InMemoryChunkStore.Memory> media = new ConcurrentHashMap<>();
    volatile Runnable beforeDeleteMedium = () -> { };

    @Override
    List<Found<Long>> scan() {
      return List.of();
    }

    @Override
    Long createMedium(long handle, long version) {
      media.put(handle, new InMemoryChunkStore.Memory());
      return handle;
    }

    @Override
    void persistVersion(Chunk<Long> chunk, long version) {
      // In memory: durable at once.
    }

    @Override
    <T> T withBytes(Chunk<Long> chunk, boolean write, boolean sync, BytesOperation<T> operation) throws IOException {
      InMemoryChunkStore.Memory memory = media.get(chunk.medium);
      if (memory == null) {
        throw new ChecksumMismatchException(chunk.handle, "chunk " + chunk.handle + ": medium vanished");
      }
      return operation.apply(memory);
    }

    @Override
    void persistChecksums(Chunk<Long> chunk, ChangedBlocks changed, boolean sync) {
      // The CRCs live in the chunk's BlockChecksums already.
    }

    @Override
    void deleteMedium(Chunk<Long> chunk) {
      beforeDeleteMedium.run();
      media.remove(chunk.medium); // by name, like Files.deleteIfExists
    }

    @Override
    Long createStaging(long handle, long version) {
      throw new UnsupportedOperationException("this test builds no replicas");
    }

    @Override
    Long publish(long handle, Long staging) {
      throw new UnsupportedOperationException("this test builds no replicas");
    }

    @Override
    void discardStaging(Long staging) {
      throw new UnsupportedOperationException("this test builds no replicas");
    }

    @Override
    public long availableBytes() {
      return Long.MAX_VALUE;
    }

    @Override
    public void close() {
      // Nothing to release.
    }
  }
}
