package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.LogBatch;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, replicated op log [0121]: three masters, each on its own meta directory (no shared storage), the active one
 * shipping its log to the other two under the majority rule. The standby elected after the active master goes away
 * holds every acknowledged record; a deposed master's batches are refused.
 */
class ReplicatedLogIT {
  @TempDir
  Path dir;

  private final RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(30_000));
  private final MasterLaunches started = new MasterLaunches("ReplicatedLogIT");
  private final List<Integer> ports = new ArrayList<>();
  private TestingServer zk;

  /**
   * Every master this test started ends with it, pass or fail (MasterLaunches.stop: pending starts interrupted
   * first, then every returned server closed); a start that does not end within the patience fails the test.
   */
  @AfterEach
  void tearDown() throws Exception {
    List<String> stillRunning;
    try {
      stillRunning = started.stop();
    } finally {
      rpc.close();
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
    List<String> others = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      if (i != index) {
        others.add("127.0.0.1:" + ports.get(i));
      }
    }
    Map<String, String> values = new HashMap<>();
    values.put(GfsConfigKeys.Master.META_DIR.name(), dir.resolve("meta" + index).toString());
    values.put(GfsConfigKeys.Master.PORT.name(), Integer.toString(ports.get(index)));
    values.put(GfsConfigKeys.Master.HOST.name(), "127.0.0.1");
    values.put(GfsConfigKeys.Master.HA_ENABLED.name(), "true");
    values.put(GfsConfigKeys.Master.LOG_REPLICAS.name(), String.join(",", others));
    values.put(GfsConfigKeys.Master.LOG_ACKS_REQUIRED.name(), "majority");
    values.put(GfsConfigKeys.Cluster.NAME.name(), "rep");
    values.put(GfsConfigKeys.Cluster.ZOOKEEPER_CONNECT.name(), zk.getConnectString());
    // Takeovers here follow a close or a forced expiry, never the timeout: a long session, so that a stall on a loaded
    // machine never ends a term the test did not end (an extra election would change every epoch it checks).
    values.put(GfsConfigKeys.Cluster.ZOOKEEPER_SESSION_TIMEOUT_MS.name(), "10000");
    return GfsConfig.of(values);
  }

  private CompletableFuture<MasterServer> launch(int index) {
    return started.start(index, config(index));
  }

  /** The master that is elected next among the launched ones; a standby that stepped aside is launched again. */
  private MasterServer awaitActive(List<CompletableFuture<MasterServer>> candidates, List<Integer> indexes)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < candidates.size(); i++) {
        CompletableFuture<MasterServer> f = candidates.get(i);
        if (f.isDone() && !f.isCompletedExceptionally()) {
          return f.get();
        }
        if (f.isCompletedExceptionally()) {
          candidates.set(i, launch(indexes.get(i))); // stepped aside (a peer was ahead): back as a standby
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no master elected within 120 s");
  }

  private void create(MasterServer master, String path) throws Exception {
    rpc.master(master.address(), c -> {
      c.create(path, false, true, 1, null, null, (short) -1);
      return null;
    });
  }

  @Test
  void theNextActiveMasterHasEveryAcknowledgedRecordWithoutSharedStorage() throws Exception {
    zk = new TestingServer();
    for (int i = 0; i < 3; i++) {
      ports.add(freePort());
    }
    List<CompletableFuture<MasterServer>> candidates = new ArrayList<>(List.of(launch(0), launch(1), launch(2)));
    List<Integer> indexes = new ArrayList<>(List.of(0, 1, 2));
    MasterServer first = awaitActive(candidates, indexes);
    assertEquals(1, first.epoch());
    for (int i = 0; i < 200; i++) {
      create(first, "/a/f" + i);
    }
    int firstIndex = ports.indexOf(first.address().port());
    candidates.remove(firstIndex);
    indexes.remove(firstIndex);
    first.close();
    rpc.forget(first.address());

    MasterServer second = awaitActive(candidates, indexes);
    assertTrue(second.epoch() >= 2, "epoch " + second.epoch());
    assertEquals(200, rpc.master(second.address(), c -> c.listStatus("/a")).size());
    // The old active master comes back as a standby on its own log and is caught up by the new one.
    candidates.add(launch(firstIndex));
    for (int i = 0; i < 50; i++) {
      create(second, "/b/f" + i);
    }
    assertEquals(50, rpc.master(second.address(), c -> c.listStatus("/b")).size());

    // A deposed master's batch (epoch 1) is refused by the replicas, which follow the newer epoch.
    int standbyIndex = -1;
    for (int i = 0; i < 3; i++) {
      if (ports.get(i) != second.address().port()) {
        standbyIndex = i;
        break;
      }
    }
    HostPort standby = new HostPort("127.0.0.1", ports.get(standbyIndex));
    GfsException stale = assertThrows(GfsException.class,
        () -> rpc.master(standby, c -> c.replicateLog(new LogBatch(1, 1_000_000, List.of()))));
    assertEquals(ErrorCode.STALE_EPOCH, stale.getCode());
    // And the new active master refuses any batch at or below its own epoch.
    GfsException refused = assertThrows(GfsException.class, () -> rpc.master(second.address(),
        c -> c.replicateLog(new LogBatch(second.epoch(), 1, List.of()))));
    assertEquals(ErrorCode.STALE_EPOCH, refused.getCode());
    // A standby answers client calls NOT_MASTER.
    GfsException notMaster = assertThrows(GfsException.class, () -> rpc.master(standby, c -> c.listStatus("/")));
    assertEquals(ErrorCode.NOT_MASTER, notMaster.getCode());
  }
}
