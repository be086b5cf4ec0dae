package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.zk.CanonicalName;
import io.gfs.zk.ShadowRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4, shadow masters [0123-0124]: a read-only master tailing the active master's log stream. */
class ShadowMasterIT {
  @TempDir
  Path dir;

  private GfsConfig config(TestingServer zk, String metaDir, boolean shadow) {
    Map<String, String> values = new HashMap<>();
    values.put(GfsConfigKeys.Master.META_DIR.name(), dir.resolve(metaDir).toString());
    values.put(GfsConfigKeys.Master.PORT.name(), "0");
    values.put(GfsConfigKeys.Master.HOST.name(), "127.0.0.1");
    values.put(GfsConfigKeys.Master.HA_ENABLED.name(), "true");
    values.put(GfsConfigKeys.Master.SHADOW.name(), Boolean.toString(shadow));
    values.put(GfsConfigKeys.Cluster.NAME.name(), "sh");
    values.put(GfsConfigKeys.Cluster.ZOOKEEPER_CONNECT.name(), zk.getConnectString());
    return GfsConfig.of(values);
  }

  @Test
  void aShadowCatchesUpFollowsTheStreamServesReadsAndRefusesMutations() throws Exception {
    try (TestingServer zk = new TestingServer();
        RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(30_000));
        MasterServer active = MasterServer.start(config(zk, "active", false))) {
      for (int i = 0; i < 50; i++) {
        int n = i;
        rpc.master(active.address(), c -> {
          c.create("/d/f" + n, false, true, 1, null, null, (short) -1);
          return null;
        });
      }
      try (MasterServer shadow = MasterServer.start(config(zk, "shadow", true));
          CuratorFramework client = CanonicalName.connect(zk.getConnectString(), 5000)) {
        assertEquals(List.of(shadow.address()), ShadowRegistry.list(client, "/gfs", "sh"));
        assertEquals(active.address(), CanonicalName.resolve(client, "/gfs", "sh"), "a shadow never takes the alias");
        awaitFed(rpc, active.address(), shadow.address());
        for (int i = 50; i < 60; i++) {
          int n = i;
          rpc.master(active.address(), c -> {
            c.create("/d/f" + n, false, true, 1, null, null, (short) -1);
            return null;
          });
        }
        // The first batch after it registered finds it at sequence 0: it is caught up from the active's segments.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (listed(rpc, shadow) < 60) {
          assertTrue(System.nanoTime() < deadline, "the shadow did not catch up");
          Thread.sleep(20);
        }
        assertEquals(60, rpc.master(shadow.address(), c -> c.listStatus("/d")).size());
        assertTrue(!rpc.master(shadow.address(), c -> c.getFileInfo("/d/f59")).isDirectory());
        ClusterStatus status = rpc.master(shadow.address(), c -> c.getClusterStatus());
        assertEquals("shadow", status.getRole());
        assertTrue(status.getLogLagMillis() >= 0, "lag measured: " + status.getLogLagMillis());
        assertEquals(active.lastLogSequence(), status.getLastLogSequence());
        GfsException refused = assertThrows(GfsException.class, () -> rpc.master(shadow.address(), c -> {
          c.create("/x", false, true, 1, null, null, (short) -1);
          return null;
        }));
        assertEquals(ErrorCode.READ_ONLY_SHADOW, refused.getCode());
        // The active master keeps serving when the shadow goes away: shadows are never waited for.
        shadow.close();
        rpc.master(active.address(), c -> {
          c.create("/after-shadow", false, true, 1, null, null, (short) -1);
          return null;
        });
      }
    }
  }

  /**
   * Returns once the active master feeds the shadow its log. The active master finds a new shadow with a refresh of its
   * shadow directory (every second, later on a loaded machine) and feeds it from the next batch on, so a fixed wait
   * before the writes could leave the shadow unfed for good: probes (under /probe) are written until one reaches it.
   */
  static void awaitFed(RpcClients rpc, HostPort active, HostPort shadow) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (int k = 0; ; k++) {
      String probe = "/probe/p" + k;
      rpc.master(active, c -> {
        c.create(probe, false, true, 1, null, null, (short) -1);
        return null;
      });
      long probeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      while (System.nanoTime() < probeDeadline) {
        try {
          rpc.master(shadow, c -> c.getFileInfo(probe));
          return;
        } catch (GfsException notYet) {
          Thread.sleep(20); // NOT_FOUND: not fed (yet)
        }
      }
      assertTrue(System.nanoTime() < deadline, "the active master did not feed the shadow within 60 s");
    }
  }

  private static int listed(RpcClients rpc, MasterServer shadow) throws Exception {
    try {
      return rpc.master(shadow.address(), c -> c.listStatus("/d")).size();
    } catch (GfsException e) {
      if (e.getCode() == ErrorCode.NOT_FOUND) {
        return 0; // not caught up to the first create yet
      }
      throw e;
    }
  }
}
