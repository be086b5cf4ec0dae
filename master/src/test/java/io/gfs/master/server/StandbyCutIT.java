package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.master.oplog.LogEntry;
import io.gfs.master.oplog.OpLog;
import io.gfs.master.oplog.RecordCodec;
import io.gfs.master.state.LogRecord;
import io.gfs.thrift.gen.FileInfo;
import io.gfs.thrift.gen.LogAck;
import io.gfs.thrift.gen.LogBatch;
import io.gfs.thrift.gen.LogEpoch;
import io.gfs.zk.CanonicalName;
import io.gfs.zk.MasterElection;
import io.gfs.zk.ZnodeLayout;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, a real standby MasterServer whose log holds an unacknowledged suffix from its own earlier term: the active
 * master's epoch table makes it cut the suffix and reload its state from the cut log in place; elected next, it serves
 * without the cut records and with the active master's. The test itself plays the active master of epoch 2 (it holds
 * the election and ships batches over RPC), so every step is deterministic.
 */
class StandbyCutIT {
  private static final String ROOT = "/gfs";
  private static final String CLUSTER = "cut";

  @TempDir
  Path dir;

  private final RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(30_000));
  private final MasterLaunches started = new MasterLaunches("StandbyCutIT");
  private final List<Integer> ports = new ArrayList<>();
  private TestingServer zk;
  private CuratorFramework client;
  private MasterElection held;

  /**
   * Every master this test started ends with it, pass or fail (MasterLaunches.stop): master 1, still a standby, is
   * interrupted before master 0 closes, so it is never elected during the teardown and need not be waited for; a start
   * that does not end within the patience fails the test.
   */
  @AfterEach
  void tearDown() throws Exception {
    List<String> stillRunning;
    try {
      stillRunning = started.stop();
    } finally {
      rpc.close();
      if (held != null) {
        held.close();
      }
      if (client != null) {
        client.close();
      }
      if (zk != null) {
        zk.close();
      }
    }
    assertEquals(List.of(), stillRunning, "master starts still running after teardown");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private GfsConfig config(int index) {
    Map<String, String> values = new HashMap<>();
    values.put(GfsConfigKeys.Master.META_DIR.name(), dir.resolve("meta" + index).toString());
    values.put(GfsConfigKeys.Master.PORT.name(), Integer.toString(ports.get(index)));
    values.put(GfsConfigKeys.Master.HOST.name(), "127.0.0.1");
    values.put(GfsConfigKeys.Master.HA_ENABLED.name(), "true");
    values.put(GfsConfigKeys.Master.LOG_REPLICAS.name(), "127.0.0.1:" + ports.get(1 - index));
    values.put(GfsConfigKeys.Master.LOG_ACKS_REQUIRED.name(), "majority");
    values.put(GfsConfigKeys.Cluster.NAME.name(), CLUSTER);
    values.put(GfsConfigKeys.Cluster.ZOOKEEPER_ROOT.name(), ROOT);
    values.put(GfsConfigKeys.Cluster.ZOOKEEPER_CONNECT.name(), zk.getConnectString());
    // Takeovers here follow a close or a forced expiry, never the timeout: a long session, so that a stall on a loaded
    // machine never ends a term the test did not end (an extra election would change every epoch it checks).
    values.put(GfsConfigKeys.Cluster.ZOOKEEPER_SESSION_TIMEOUT_MS.name(), "10000");
    values.put(GfsConfigKeys.Rpc.CALL_TIMEOUT_MS.name(), "15000"); // bounds the probe of a closed peer at teardown
    return GfsConfig.of(values);
  }

  private CompletableFuture<MasterServer> launch(int index) {
    return started.start(index, config(index));
  }

  private static LogRecord record(String what) {
    return what.startsWith("term ") ? new LogRecord.NewTerm(Long.parseLong(what.substring(5)), 1)
        : new LogRecord.Create(what, 3, 1, false, true);
  }

  /** A batch of the test's own term (epoch 2), with its log's epoch table: term 1 from 1, term 2 from 3. */
  private static LogBatch batch(long first, String... records) {
    List<ByteBuffer> frames = new ArrayList<>();
    for (int i = 0; i < records.length; i++) {
      frames.add(ByteBuffer.wrap(RecordCodec.frame(new LogEntry(first + i, record(records[i])))));
    }
    LogBatch batch = new LogBatch(2, first, frames);
    batch.setEpochs(List.of(new LogEpoch(1, 1), new LogEpoch(2, 3)));
    batch.setPrevEpoch(first - 1 >= 3 ? 2 : first - 1 >= 1 ? 1 : 0);
    return batch;
  }

  /** Ships until the standby serves replicateLog (it starts in the background). */
  private LogAck ship(int index, LogBatch batch) throws Exception {
    HostPort address = new HostPort("127.0.0.1", ports.get(index));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try {
        return rpc.master(address, c -> c.replicateLog(batch));
      } catch (org.apache.thrift.transport.TTransportException notYet) {
        rpc.forget(address);
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
        Thread.sleep(50);
      }
    }
  }

  private void awaitCandidates(int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (client.getChildren().forPath(ZnodeLayout.election(ROOT, CLUSTER)).size() < count) {
      assertTrue(System.nanoTime() < deadline, "the standby did not join the election within 120 s");
      Thread.sleep(20);
    }
  }

  @Test
  void aStandbyCutsItsUnacknowledgedSuffixReloadsAndServesWithoutIt() throws Exception {
    zk = new TestingServer();
    ports.add(freePort());
    ports.add(freePort());
    client = CanonicalName.connect(zk.getConnectString(), 15_000);
    MasterElection.Listener ignore = reason -> { };
    try (MasterElection first = MasterElection.join(client, ROOT, CLUSTER, "former-active", ignore)) {
      assertEquals(1, first.awaitLeadership()); // master 0's earlier term
    }
    held = MasterElection.join(client, ROOT, CLUSTER, "the-test", ignore);
    assertEquals(2, held.awaitLeadership()); // the test leads epoch 2 from here on

    // Master 0 led epoch 1 and flushed /unacked locally before it crashed: no replica got it.
    Path meta0 = dir.resolve("meta0");
    Files.createDirectories(meta0);
    try (OpLog log = OpLog.open(meta0, 0, OpLog.SyncHook.NONE)) {
      log.appendAndWait(record("term 1"));
      log.appendAndWait(record("/a"));
      log.appendAndWait(record("/unacked"));
    }
    launch(0);
    awaitCandidates(2);
    CompletableFuture<MasterServer> second = launch(1); // joins after master 0: master 0 leads next
    awaitCandidates(3);

    // The test's log (epoch 2): term 1, /a, term 2, /acked - /acked is acknowledged once master 1 has it.
    assertEquals(4, ship(1, batch(1, "term 1", "/a", "term 2", "/acked")).getLastSequence());
    LogAck cut = ship(0, batch(5));
    assertEquals(2, cut.getLastSequence(), "master 0 cut /unacked (sequence 3, epoch 1; the test's 3 is epoch 2)");
    assertEquals(1, cut.getLastEpoch());
    LogAck caughtUp = ship(0, batch(3, "term 2", "/acked"));
    assertEquals(4, caughtUp.getLastSequence());
    assertEquals(2, caughtUp.getLastEpoch());

    held.close(); // the test's term ends; master 0 is next in line
    held = null;
    MasterServer active = started.server(0).get(120, TimeUnit.SECONDS);
    assertEquals(3, active.epoch());
    rpc.forget(active.address()); // the pooled connection was to its standby service, closed on election
    List<String> names = new ArrayList<>();
    for (FileInfo f : rpc.master(active.address(), c -> c.listStatus("/"))) {
      names.add(f.getPath());
    }
    assertEquals(List.of("/a", "/acked"), names.stream().sorted().toList(),
        "the reloaded state holds the test's records and not the cut one");
    assertTrue(!second.isDone() || second.isCompletedExceptionally() || second.get() != active);
  }
}
