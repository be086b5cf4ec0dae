package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.state.ScrubSchedule;
import io.gfs.chunkserver.state.Throttle;
import io.gfs.chunkserver.store.InMemoryChunkStore;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scrubber on an in-memory store and a simulated clock: sleeping moves the clock, nothing waits for real. */
class ScrubberTest {
  private static final long IDLE_MILLIS = 60_000;
  private static final long PERIOD_MILLIS = 24 * 3_600_000L;
  private static final long RATE = 8L << 20; // a 1 MiB piece every 125 ms

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final AtomicLong slept = new AtomicLong();
  private final ChunkServerState state = new ChunkServerState();
  private final InMemoryChunkStore store = new InMemoryChunkStore();
  private final RpcClients rpc = new RpcClients(RpcLimits.defaults());
  private ChunkOperations operations;
  private Scrubber scrubber;

  @BeforeEach
  void setUp() throws Exception {
    store.load();
    operations = new ChunkOperations(state, store, new ChunkLocks(1000), now::get);
    Sleeper simulated = millis -> {
      slept.addAndGet(millis);
      now.addAndGet(millis);
    };
    scrubber = new Scrubber(state, store, new ScrubSchedule(IDLE_MILLIS, PERIOD_MILLIS), new Throttle(RATE),
        now::get, simulated);
  }

  @AfterEach
  void tearDown() {
    rpc.close();
    state.checkInvariants();
  }

  private void chunk(long handle, int lengthBytes) throws Exception {
    operations.assignVersion(handle, 1, true, 0);
    byte[] data = new byte[lengthBytes];
    new Random(handle).nextBytes(data);
    store.write(handle, 0, data, 0, data.length, false);
    state.applied(handle, 1, 1, now.get());
  }

  /** Runs scrubber steps until {@code done} holds, at most {@code stepsMax} of them. */
  private void stepUntil(java.util.function.BooleanSupplier done, int stepsMax) throws InterruptedException {
    for (int i = 0; i < stepsMax && !done.getAsBoolean(); i++) {
      scrubber.step();
    }
    assertTrue(done.getAsBoolean(), "not done after " + stepsMax + " steps");
  }

  @Test
  void aFlippedBitInAnIdleChunkIsReportedWithoutAnyRead() throws Exception {
    chunk(1, 3 * Scrubber.PIECE_BYTES + 100);
    chunk(2, 500_000);
    store.flipBits(2, 300_000, 0x10);
    HeartbeatLoop heartbeats = new HeartbeatLoop("cs-test", new HostPort("127.0.0.1", 7711), "/r", 0, state,
        store, operations, rpc, MasterLocator.fixed(new HostPort("127.0.0.1", 1)), now::get);
    assertEquals(List.of(), heartbeats.request(List.of()).getCorruptChunks());
    stepUntil(() -> state.isCorrupt(2), 200); // idle after a minute of one-second naps
    assertEquals(List.of(2L), heartbeats.request(List.of()).getCorruptChunks(), "the next heartbeat reports it");
    assertEquals(1, scrubber.corruptFound());
    assertFalse(state.isCorrupt(1));
    assertEquals(1, scrubber.chunksVerified());
  }

  @Test
  void chunksBeingWrittenWaitUntilTheyAreIdle() throws Exception {
    chunk(1, 200_000);
    long written = now.get();
    scrubber.step();
    assertEquals(0, scrubber.chunksVerified());
    assertEquals(Scrubber.POLL_MILLIS_MAX, slept.get(), "a nap, then a look at the schedule again");
    stepUntil(() -> scrubber.chunksVerified() == 1, 100);
    assertTrue(now.get() >= written + IDLE_MILLIS);
  }

  @Test
  void smallChunksCostAWholePieceOfTheBudgetEach() throws Exception {
    int chunks = 10;
    for (long handle = 1; handle <= chunks; handle++) {
      chunk(handle, 1024);
    }
    now.addAndGet(IDLE_MILLIS);
    stepUntil(() -> scrubber.chunksVerified() == chunks, chunks);
    assertEquals(chunks * 1024L, scrubber.bytesVerified(), "only their own bytes are read");
    // Each pick scans every chunk held, so picks are paced as if each chunk were a piece: 125 ms at 8 MiB/s.
    assertTrue(slept.get() >= (chunks - 1) * 125L, "slept " + slept.get() + " ms");
  }

  @Test
  void verificationIsPacedToTheConfiguredRate() throws Exception {
    int pieces = 12;
    chunk(1, pieces * Scrubber.PIECE_BYTES);
    now.addAndGet(IDLE_MILLIS);
    scrubber.step();
    assertEquals(1, scrubber.chunksVerified());
    assertEquals((long) pieces * Scrubber.PIECE_BYTES, scrubber.bytesVerified());
    // The first piece goes at once; each later one waits for the one before it: 125 ms at 8 MiB/s.
    assertEquals((pieces - 1) * 125L, slept.get());
  }

  @Test
  void aChunkDeletedMeanwhileIsSkippedAndTheNextPassComesAfterThePeriod() throws Exception {
    chunk(1, 100_000);
    chunk(2, 100_000);
    now.addAndGet(IDLE_MILLIS);
    operations.delete(2);
    stepUntil(() -> scrubber.chunksVerified() == 1, 10);
    long firstPassDone = now.get();
    stepUntil(() -> scrubber.chunksVerified() == 2, 100_000);
    assertTrue(now.get() - firstPassDone >= PERIOD_MILLIS - 1000, "verified again only a period later");
    assertEquals(0, scrubber.corruptFound());
  }

  @Test
  void aFlippedByteAfterGoodPiecesInTheReusedBufferIsStillFound() throws Exception {
    // Pieces go through one buffer: a piece whose bytes were not read in would be checked against the last one's.
    chunk(1, 3 * Scrubber.PIECE_BYTES);
    chunk(2, 2 * Scrubber.PIECE_BYTES + 70_000); // the last piece is shorter than the buffer
    store.flipBits(1, 2L * Scrubber.PIECE_BYTES + 12_345, 0x01);
    store.flipBits(2, 2L * Scrubber.PIECE_BYTES + 69_999, 0x80);
    now.addAndGet(IDLE_MILLIS);
    stepUntil(() -> state.isCorrupt(1) && state.isCorrupt(2), 10);
    assertEquals(2, scrubber.corruptFound());
  }

  @Test
  void piecesAreVerifiedInOneReusedBufferNotAFreshArrayEach() throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported()
        && threads.isThreadAllocatedMemoryEnabled());
    int pieces = 12;
    chunk(1, pieces * Scrubber.PIECE_BYTES);
    now.addAndGet(IDLE_MILLIS);
    stepUntil(() -> scrubber.chunksVerified() == 1, 10); // the first pass loads and links what it uses
    now.addAndGet(PERIOD_MILLIS);
    long threadId = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(threadId);
    stepUntil(() -> scrubber.chunksVerified() == 2, 10);
    long allocated = threads.getThreadAllocatedBytes(threadId) - before;
    assertEquals(2L * pieces * Scrubber.PIECE_BYTES, scrubber.bytesVerified());
    // A fresh array per piece would be 12 MiB here; the per-call objects of the store are a few hundred bytes.
    assertTrue(allocated < Scrubber.PIECE_BYTES / 4, allocated + " bytes allocated verifying " + pieces + " pieces");
  }
}
