package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.master.oplog.OpLog;
import io.gfs.master.state.ChunkHealth;
import io.gfs.master.state.ClusterOperations;
import io.gfs.master.state.HeartbeatReport;
import io.gfs.master.state.LogRecord;
import io.gfs.master.state.MasterState;
import io.gfs.master.state.PermissionStatus;
import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ClusterStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * getClusterStatus takes one chunk health sample per call (each a copy of the chunk table's columns under the
 * coordinator's monitor), and its answer carries the same counts as before: under-replicated always, corrupt and
 * missing once the operator's view is wired (an active master's filtered handler).
 */
class ClusterStatusSamplingTest {
  private final TestClock clock = new TestClock();
  private final RpcClients offline = new RpcClients(io.gfs.common.rpc.RpcLimits.defaults());
  private ExecutorService pool;
  private Journal journal;
  private MasterState state;
  private MasterHandler handler;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    offline.close(); // no call ever leaves this test
    MasterConfig config = MasterConfig.from(GfsConfig.of(Map.of(GfsConfigKeys.Master.META_DIR.name(),
        dir.toString(), GfsConfigKeys.Cluster.CHUNK_SIZE_BYTES.name(), "1m")));
    state = new MasterState(config.stateSettings(), new SplittableRandom(1));
    journal = new Journal(state, OpLog.open(dir, 0, OpLog.SyncHook.NONE), dir, config.checkpointRecords(),
        config.checkpointsKept(), 0, 0);
    pool = Executors.newFixedThreadPool(1);
    handler = new MasterHandler(state, journal, new LeaseGranter(state, journal, offline, pool, clock,
        config.leaseDurationMillis()), clock, config);
    // Chunks 1-3 of /f want 3 replicas: chunk 1 has 2 live ones, chunk 2 only a corrupt one, chunk 3 none.
    long now = clock.millis();
    state.apply(new LogRecord.Create("/f", 3, now, false, true, PermissionStatus.ROOT));
    for (long handle = 1; handle <= 3; handle++) {
      state.apply(new LogRecord.AddChunk("/f", handle - 1, handle, 1, now));
    }
    state.heartbeat(report("cs-1", 7001, List.of(replica(1), replica(2)), List.of(2L)), now);
    state.heartbeat(report("cs-2", 7002, List.of(replica(1)), List.of()), now);
  }

  @AfterEach
  void stop() throws Exception {
    if (journal != null) {
      journal.close();
    }
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  private static HeartbeatReport.Replica replica(long handle) {
    return new HeartbeatReport.Replica(handle, 1, 0);
  }

  private static HeartbeatReport report(String id, int port, List<HeartbeatReport.Replica> chunks,
      List<Long> corrupt) {
    return new HeartbeatReport(id, new HostPort("127.0.0.1", port), "/default-rack", 1L << 40, 0, chunks, List.of(),
        corrupt);
  }

  @Test
  void anActiveMastersAnswerTakesOneSampleAndCarriesItsThreeCounts() throws Exception {
    handler.serveAdmin(new MasterAdmin(state, new SafeMode(), new Replicator(state, offline, pool, clock, 1, 1, 0),
        clock));
    ClusterOperations ops = state.operations();
    ChunkHealth expected = ops.chunkHealth(clock.millis());
    assertEquals(new ChunkHealth(3, 1, 2), expected, "the scenario: all three under, chunk 2 corrupt, 2 and 3 missing");

    long samplesBefore = ops.healthSamplesTaken();
    ClusterStatus status = AdminFilter.wrap(handler, new SafeMode()).getClusterStatus();
    assertEquals(1, ops.healthSamplesTaken() - samplesBefore, "health samples taken by one getClusterStatus");

    assertEquals(expected.underReplicated(), status.getUnderReplicatedChunks());
    assertEquals(expected.corrupt(), status.getCorruptChunks());
    assertEquals(expected.missing(), status.getMissingChunks());
    assertTrue(status.isSetUnderReplicatedChunks() && status.isSetCorruptChunks() && status.isSetMissingChunks());
    // The rest of the operator's view is still added.
    assertTrue(status.isSetSafeMode() && status.isSetBalancerEnabled());
    assertEquals(2, status.getChunkServers().size());
    for (ChunkServerStatus server : status.getChunkServers()) {
      assertEquals("in-service", server.getState());
    }
    assertEquals("active", status.getRole());
    assertEquals(1, status.getFileCount());
    assertEquals(3, status.getChunkCount());
  }

  @Test
  void anAnswerWithoutTheOperatorsViewCarriesTheUnderReplicatedCountOnly() throws Exception {
    ClusterOperations ops = state.operations();
    long samplesBefore = ops.healthSamplesTaken();
    ClusterStatus status = handler.getClusterStatus(); // a shadow's, or one before the admin calls are wired
    assertEquals(1, ops.healthSamplesTaken() - samplesBefore);
    assertEquals(3, status.getUnderReplicatedChunks());
    assertFalse(status.isSetCorruptChunks() || status.isSetMissingChunks() || status.isSetSafeMode());
  }

  @Test
  void anAnswerMadeBeforeTheViewWasWiredGetsItsCountsFromTheDecoration() throws Exception {
    ClusterStatus early = handler.getClusterStatus(); // the view is wired between the handler and the filter
    handler.serveAdmin(new MasterAdmin(state, new SafeMode(), new Replicator(state, offline, pool, clock, 1, 1, 0),
        clock));
    handler.decorate(early);
    assertEquals(3, early.getUnderReplicatedChunks());
    assertEquals(1, early.getCorruptChunks());
    assertEquals(2, early.getMissingChunks());
  }
}
