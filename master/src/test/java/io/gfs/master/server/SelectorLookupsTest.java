package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
