package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.master.oplog.OpLog;
import io.gfs.master.state.MasterState;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: what any faster mutation path must keep. A mutation answers only once its record is durable, and no answer,
 * a lookup's or a refusal's included, rests on a change that is not durable yet: MetadataUnderFaultsIT checks that the
 * namespace history stays linearizable across master SIGKILLs, and a lookup that saw a change which then died with
 * its master (the mutation's own outcome unknown) would break it, but only when a kill hits that window. HDFS-7964's
 * order (apply and release the locks before the fsync) lets readers see such changes, so it needs readers to wait for
 * what they saw; these tests say so deterministically. The op log's fsync is held back by its hook, so "durable"
 * happens exactly when the test says. Waits are bounded (they only end a hung run; nothing asserts a duration).
 */
class DurableAnswersTest {
  private static final long BOUND_SECONDS = 60;

  @TempDir
  Path dir;
  private final Semaphore syncsAllowed = new Semaphore(0);
  private final CountDownLatch syncReached = new CountDownLatch(1);
  private volatile boolean holdSyncs;
  private Journal journal;
  private MasterHandler handler;
  private ExecutorService pool;
  private ExecutorService callers;
  private RpcClients offline;

  @BeforeEach
  void start() throws Exception {
    MasterConfig config = MasterConfig.from(GfsConfig.of(Map.of(GfsConfigKeys.Master.META_DIR.name(),
        dir.toString())));
    MasterState state = new MasterState(config.stateSettings(), new SplittableRandom(1));
    OpLog log = OpLog.open(dir, 0, records -> {
      if (holdSyncs) {
        syncReached.countDown();
        try {
          if (!syncsAllowed.tryAcquire(BOUND_SECONDS, TimeUnit.SECONDS)) {
            throw new IOException("the test never let this fsync go");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException();
        }
      }
    });
    journal = new Journal(state, log, dir, config.checkpointRecords(), config.checkpointsKept(), 0, 0);
    pool = Executors.newFixedThreadPool(1);
    callers = Executors.newCachedThreadPool();
    offline = new RpcClients(RpcLimits.defaults());
    TestClock clock = new TestClock();
    handler = new MasterHandler(state, journal, new LeaseGranter(state, journal, offline, pool, clock,
        config.leaseDurationMillis()), clock, config);
  }

  @AfterEach
  void stop() {
    holdSyncs = false;
    syncsAllowed.release(1000);
    callers.shutdownNow();
    journal.close();
    pool.shutdownNow();
    offline.close();
  }

  @Test
  void aMutationAnswersOnlyOnceItsRecordIsDurable() throws Exception {
    CompletableFuture<Boolean> mkdirs = mkdirsHeldAtItsFsync("/a");
    assertFalse(mkdirs.isDone(), "no answer before the record is durable");
    syncsAllowed.release();
    assertTrue(mkdirs.get(BOUND_SECONDS, TimeUnit.SECONDS));
    assertEquals(1, journal.durableSequence(), "answered with its record on disk");
  }

  @Test
  void noLookupAnswersWithAChangeThatIsNotDurable() throws Exception {
    CompletableFuture<Boolean> mkdirs = mkdirsHeldAtItsFsync("/a");

    // A listing of the parent: nothing stops it, and it must not show /a yet.
    CompletableFuture<Integer> listed = CompletableFuture.supplyAsync(() -> call(() ->
        handler.listStatusPage("/", null, 100, false).getEntriesSize()), callers);
    assertEquals(0, listed.get(BOUND_SECONDS, TimeUnit.SECONDS), "the parent's listing shows no /a before its fsync");

    // A lookup of the path itself may wait, but must not answer "there" before the record is durable.
    CallerThread<Boolean> lookup = new CallerThread<>("lookup", () -> handler.getFileInfo("/a").isDirectory());
    lookup.startAndAwaitParkedOrDone();
    assertFalse(lookup.answer.isDone(), "a lookup answered from a change that is not durable");

    syncsAllowed.release();
    assertTrue(mkdirs.get(BOUND_SECONDS, TimeUnit.SECONDS));
    assertTrue(lookup.answer.get(BOUND_SECONDS, TimeUnit.SECONDS));
    lookup.thread.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
  }

  @Test
  void noRefusalRestsOnAChangeThatIsNotDurable() throws Exception {
    CompletableFuture<Boolean> mkdirs = mkdirsHeldAtItsFsync("/b");

    // A create of the same name is refused (a directory is there) only once that directory is durable.
    CallerThread<Boolean> create = new CallerThread<>("create", () -> {
      try {
        handler.create("/b", false, false, 3, "alice", "staff", (short) 0644);
        return false;
      } catch (GfsException e) {
        return e.getCode() == ErrorCode.ALREADY_EXISTS || e.getCode() == ErrorCode.IS_DIRECTORY;
      }
    });
    create.startAndAwaitParkedOrDone();
    assertFalse(create.answer.isDone(), "a refusal rested on a change that is not durable");

    syncsAllowed.release();
    assertTrue(mkdirs.get(BOUND_SECONDS, TimeUnit.SECONDS));
    assertTrue(create.answer.get(BOUND_SECONDS, TimeUnit.SECONDS), "refused because the directory is there");
    create.thread.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
  }

  /** Starts mkdirs of {@code path} with fsyncs held back, and returns once its record reached the fsync. */
  private CompletableFuture<Boolean> mkdirsHeldAtItsFsync(String path) throws InterruptedException {
    holdSyncs = true;
    CompletableFuture<Boolean> mkdirs = CompletableFuture.supplyAsync(() -> call(() ->
        handler.mkdirs(path, "alice", "staff", (short) 0755)), callers);
    assertTrue(syncReached.await(BOUND_SECONDS, TimeUnit.SECONDS), "the mkdirs record reached its fsync");
    return mkdirs;
  }

  /** A call on a thread of its own, so the test can see it park (on a lock, or on the log). */
  private static final class CallerThread<T> {
    final CompletableFuture<T> answer = new CompletableFuture<>();
    final Thread thread;

    CallerThread(String name, Call<T> call) {
      thread = new Thread(() -> {
        try {
          answer.complete(call.run());
        } catch (Throwable e) {
          answer.completeExceptionally(e);
        }
      }, name);
      thread.setDaemon(true);
    }

    void startAndAwaitParkedOrDone() {
      thread.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
      while (!parked() && !answer.isDone() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertTrue(parked() || answer.isDone(), "the call neither parked nor answered");
    }

    private boolean parked() {
      Thread.State s = thread.getState();
      return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
    }
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws Exception;
  }

  private static <T> T call(Call<T> call) {
    try {
      return call.run();
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }
}
