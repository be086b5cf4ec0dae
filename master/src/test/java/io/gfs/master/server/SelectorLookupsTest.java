package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.DiagnosticLog;
import io.gfs.common.rpc.RpcServer;
import io.gfs.thrift.gen.FileInfo;
import io.gfs.thrift.gen.ListingPage;
import io.gfs.thrift.gen.MasterService;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.common.rpc.SelectorMethods;
import io.gfs.master.oplog.OpLog;
import io.gfs.master.state.LockTable;
import io.gfs.master.state.MasterState;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: the master's RPC server answers getFileInfo and listing pages on its selector thread, but only while no
 * mutation holds or awaits a path's write lock (held until its log record is on disk): a lookup there must not wait
 * for an fsync while the selector's other connections wait for it.
 */
class SelectorLookupsTest {
  @Test
  void lookupsRunOnTheSelectorOnlyWhileNoWriteLockIsHeld(@TempDir Path dir) throws Exception {
    MasterConfig config = MasterConfig.from(GfsConfig.of(Map.of(GfsConfigKeys.Master.META_DIR.name(),
        dir.toString())));
    MasterState state = new MasterState(config.stateSettings(), new SplittableRandom(1));
    Journal journal = new Journal(state, OpLog.open(dir, 0, OpLog.SyncHook.NONE), dir, config.checkpointRecords(),
        config.checkpointsKept(), 0, 0);
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try (RpcClients offline = new RpcClients(RpcLimits.defaults())) {
      TestClock clock = new TestClock();
      MasterHandler handler = new MasterHandler(state, journal, new LeaseGranter(state, journal, offline, pool,
          clock, config.leaseDurationMillis()), clock, config);
      SelectorMethods lookups = handler.selectorMethods();
      assertEquals(Set.of("getFileInfo", "listStatusPage", "reportChunkLength", "reportReplicaLength"),
          lookups.names());
      assertEquals(Map.of("listStatusPage", (short) 4), lookups.workerIfTrue(), "a page with locations: a worker");
      assertTrue(lookups.allowedNow().getAsBoolean(), "nothing mutates");
      try (LockTable.Held mkdirs = state.lockWrite("/a/b")) {
        assertFalse(lookups.allowedNow().getAsBoolean(), "a mutation holds its write lock until its fsync");
      }
      try (LockTable.Held listing = state.lockRead("/a/b")) {
        assertTrue(lookups.allowedNow().getAsBoolean(), "another lookup");
      }
    } finally {
      journal.close();
      pool.shutdownNow();
    }
  }

  /**
   * A listing page with locations reads its files' replicas under the chunk coordinator's monitor, which a heartbeat's
   * full chunk report holds long: on the selector thread it would stall that selector's other connections, so it goes
   * to a worker, while a page without locations stays on the selector.
   */
  @Test
  void aListingWithLocationsWaitsForTheMonitorOnAWorker(@TempDir Path dir) throws Exception {
    MasterConfig config = MasterConfig.from(GfsConfig.of(Map.of(GfsConfigKeys.Master.META_DIR.name(),
        dir.toString())));
    MasterState state = new MasterState(config.stateSettings(), new SplittableRandom(1));
    Journal journal = new Journal(state, OpLog.open(dir, 0, OpLog.SyncHook.NONE), dir, config.checkpointRecords(),
        config.checkpointsKept(), 0, 0);
    ExecutorService pool = Executors.newFixedThreadPool(1);
    ExecutorService threads = Executors.newCachedThreadPool();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // One selector thread: both connections below are read by it.
    RpcLimits limits = RpcLimits.from(GfsConfig.of(Map.of(GfsConfigKeys.Rpc.SELECTOR_THREADS.name(), "1")));
    RpcServer server = null;
    try (RpcClients offline = new RpcClients(limits); RpcClients lister = new RpcClients(limits);
        RpcClients looker = new RpcClients(limits)) {
      TestClock clock = new TestClock();
      MasterHandler handler = new MasterHandler(state, journal, new LeaseGranter(state, journal, offline, pool,
          clock, config.leaseDurationMillis()), clock, config);
      handler.mkdirs("/d", "u", "g", (short) 0755);
      handler.create("/d/f", false, false, 3, "u", "g", (short) 0644); // no chunk, yet its locations take the monitor
      server = RpcServer.start("selector-lookups", new HostPort("127.0.0.1", 0), new MasterService.Processor<>(handler),
          limits, DiagnosticLog.Settings.memoryOnly(100), handler.selectorMethods());
      HostPort address = new HostPort("127.0.0.1", server.port());
      Field field = MasterState.class.getDeclaredField("coordinator");
      field.setAccessible(true);
      Object coordinator = field.get(state);
      Future<?> holder = threads.submit(() -> {
        synchronized (coordinator) { // as a heartbeat's full chunk report does
          held.countDown();
          // Longer than the getFileInfo bound below, so that a stalled selector fails there; finally releases it.
          assertTrue(release.await(300, TimeUnit.SECONDS), "the test let the monitor go");
        }
        return null;
      });
      assertTrue(held.await(60, TimeUnit.SECONDS), "the holder took the monitor");
      long before = server.callsRunOnSelector();
      Future<ListingPage> located = threads.submit(() -> lister.master(address,
          c -> c.listStatusPage("/d", "", 10, true)));
      awaitBlockedOn(coordinator);
      // The old code ran the located listing on the selector thread, blocked there, so this call was never read and
      // the bounded wait failed (TimeoutException); now the selector answers it while the listing waits on a worker.
      FileInfo info = threads.submit(() -> looker.master(address, c -> c.getFileInfo("/d/f")))
          .get(60, TimeUnit.SECONDS);
      assertEquals("/d/f", info.getPath());
      assertFalse(located.isDone(), "the located listing waits for the monitor");
      release.countDown();
      ListingPage page = located.get(60, TimeUnit.SECONDS);
      assertEquals(1, page.getEntriesSize());
      assertTrue(page.getEntries().get(0).isSetChunks(), "a located entry: " + page);
      holder.get(60, TimeUnit.SECONDS);
      ListingPage plain = looker.master(address, c -> c.listStatusPage("/d", "", 10, false));
      assertFalse(plain.getEntries().get(0).isSetChunks(), "no locations: " + plain);
      assertEquals(2, server.callsRunOnSelector() - before, "getFileInfo and the listing without locations");
    } finally {
      release.countDown();
      if (server != null) {
        server.close();
      }
      threads.shutdownNow();
      journal.close();
      pool.shutdownNow();
    }
  }

  /** Bounded poll until some thread is blocked entering the monitor of {@code lock}. */
  private static void awaitBlockedOn(Object lock) throws InterruptedException {
    int identity = System.identityHashCode(lock);
    long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)).noneMatch(
        (ThreadInfo t) -> t.getThreadState() == Thread.State.BLOCKED && t.getLockInfo() != null
            && t.getLockInfo().getIdentityHashCode() == identity)) {
      assertTrue(System.nanoTime() < deadlineNanos, "no call reached the chunk coordinator's monitor");
      Thread.sleep(10);
    }
  }
}
