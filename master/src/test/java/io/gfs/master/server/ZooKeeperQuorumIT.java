package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 against a real 3-server ZooKeeper ensemble (Curator's TestingCluster): losing one server leaves the service
 * running; losing the quorum stops writes (the active master steps down: it can no longer know it leads) while a
 * shadow master goes on answering reads.
 */
class ZooKeeperQuorumIT {
  @TempDir
  Path dir;

  private GfsConfig config(TestingCluster zk, String metaDir, boolean shadow) {
    Map<String, String> values = new HashMap<>();
    values.put(GfsConfigKeys.Master.META_DIR.name(), dir.resolve(metaDir).toString());
    values.put(GfsConfigKeys.Master.PORT.name(), "0");
    values.put(GfsConfigKeys.Master.HOST.name(), "127.0.0.1");
    values.put(GfsConfigKeys.Master.HA_ENABLED.name(), "true");
    values.put(GfsConfigKeys.Master.SHADOW.name(), Boolean.toString(shadow));
    values.put(GfsConfigKeys.Cluster.NAME.name(), "q");
    values.put(GfsConfigKeys.Cluster.ZOOKEEPER_CONNECT.name(), zk.getConnectString());
    values.put(GfsConfigKeys.Cluster.ZOOKEEPER_SESSION_TIMEOUT_MS.name(), "6000");
    return GfsConfig.of(values);
  }

  private static void create(RpcClients rpc, MasterServer master, String path) throws Exception {
    rpc.master(master.address(), c -> {
      c.create(path, false, true, 1, null, null, (short) -1);
      return null;
    });
  }

  private static void createRetrying(RpcClients rpc, MasterServer master, String path) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        create(rpc, master, path);
        return;
      } catch (io.gfs.thrift.gen.GfsException e) {
        assertEquals(io.gfs.thrift.gen.ErrorCode.NOT_MASTER, e.getCode(), e.getMessage());
        assertTrue(System.nanoTime() < deadline, "still refused after 30 s: " + e.getMessage());
        Thread.sleep(50);
      }
    }
  }

  @Test
  void oneServerLostServiceGoesOnQuorumLostWritesStopShadowReadsGoOn() throws Exception {
    try (TestingCluster zk = new TestingCluster(3);
        RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(10_000))) {
      zk.start();
      try (MasterServer active = MasterServer.start(config(zk, "active", false));
          MasterServer shadow = MasterServer.start(config(zk, "shadow", true))) {
        ShadowMasterIT.awaitFed(rpc, active.address(), shadow.address());
        for (int i = 0; i < 20; i++) {
          create(rpc, active, "/d/f" + i);
        }
        Iterator<InstanceSpec> servers = zk.getInstances().iterator();
        assertTrue(zk.killServer(servers.next()));
        // One of three lost: the ensemble keeps its quorum, and the master goes on taking writes.
        // The master's client may have been on the lost server: until it reconnects to another one in the same session
        // the master answers NOT_MASTER ("suspended; retry"), which clients retry.
        for (int i = 20; i < 40; i++) {
          createRetrying(rpc, active, "/d/f" + i);
        }
        assertTrue(active.steppedDown().getNow(null) == null, "the active master still leads");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (rpc.master(shadow.address(), c -> c.listStatus("/d")).size() < 40) {
          assertTrue(System.nanoTime() < deadline, "the shadow did not follow");
          Thread.sleep(20);
        }
        assertTrue(zk.killServer(servers.next()));
        // Quorum lost: the master cannot know it still leads, so it steps down and takes no more writes.
        String reason = active.steppedDown().get(60, TimeUnit.SECONDS);
        assertTrue(!reason.isEmpty(), reason); // SUSPENDED, LOST, or the latch noticing first: any way, it stepped down
        Exception refused = null;
        try {
          create(rpc, active, "/d/after-quorum-loss");
        } catch (Exception e) {
          refused = e;
        }
        assertTrue(refused != null, "a write after the quorum loss must fail");
        // Reads through the shadow go on from its state.
        assertEquals(40, rpc.master(shadow.address(), c -> c.listStatus("/d")).size());
        assertTrue(!rpc.master(shadow.address(), c -> c.getFileInfo("/d/f39")).isDirectory());
      }
    }
  }
}
