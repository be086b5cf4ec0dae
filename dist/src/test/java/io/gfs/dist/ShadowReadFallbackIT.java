package io.gfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.client.GfsClient;
import io.gfs.client.GfsClientOptions;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.master.server.MasterServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4: the client library reads metadata from a shadow master [0123] while the active master is unreachable, and
 * its writes fail with an error naming the missing master.
 */
class ShadowReadFallbackIT {
  @TempDir
  Path dir;

  private GfsConfig masterConfig(TestingServer zk, String metaDir, boolean shadow) {
    Map<String, String> values = new HashMap<>();
    values.put(GfsConfigKeys.Master.META_DIR.name(), dir.resolve(metaDir).toString());
    values.put(GfsConfigKeys.Master.PORT.name(), "0");
    values.put(GfsConfigKeys.Master.HOST.name(), "127.0.0.1");
    values.put(GfsConfigKeys.Master.HA_ENABLED.name(), "true");
    values.put(GfsConfigKeys.Master.SHADOW.name(), Boolean.toString(shadow));
    values.put(GfsConfigKeys.Cluster.NAME.name(), "fb");
    values.put(GfsConfigKeys.Cluster.ZOOKEEPER_CONNECT.name(), zk.getConnectString());
    return GfsConfig.of(values);
  }

  /** Writes probes (under /probe) through the active master until one reaches the shadow (bounded: 60 s). */
  private static void awaitFed(GfsClient client, MasterServer shadow) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (var rpc = new io.gfs.common.rpc.RpcClients(io.gfs.common.rpc.RpcLimits.defaults())) {
      for (int k = 0; ; k++) {
        String probe = "/probe/p" + k;
        client.mkdirs(probe);
        long probeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < probeDeadline) {
          try {
            rpc.master(shadow.address(), c -> c.getFileInfo(probe));
            return;
          } catch (io.gfs.thrift.gen.GfsException notYet) {
            Thread.sleep(20); // NOT_FOUND: not fed (yet)
          }
        }
        assertTrue(System.nanoTime() < deadline, "the active master did not feed the shadow within 60 s");
      }
    }
  }

  @Test
  void readsGoToAShadowWhileTheActiveMasterIsGone() throws Exception {
    try (TestingServer zk = new TestingServer()) {
      MasterServer active = MasterServer.start(masterConfig(zk, "active", false));
      try (MasterServer shadow = MasterServer.start(masterConfig(zk, "shadow", true));
          GfsClient client = GfsClient.create("fb", GfsClientOptions.from(GfsConfig.of(Map.of(
              GfsConfigKeys.Client.ZOOKEEPER_CONNECT.name(), zk.getConnectString(),
              GfsConfigKeys.Client.RETRIES_MAX.name(), "3"))))) {
        // The active master finds a new shadow with a refresh of its shadow directory (every second, later on a
        // loaded machine) and feeds it from the next batch on: a fixed wait here could leave it unfed for good.
        awaitFed(client, shadow);
        for (int i = 0; i < 5; i++) {
          client.mkdirs("/data/d" + i);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
          try (var rpc = new io.gfs.common.rpc.RpcClients(io.gfs.common.rpc.RpcLimits.defaults())) {
            if (rpc.master(shadow.address(), c -> c.listStatus("/data")).size() == 5) {
              break;
            }
          } catch (Exception notYet) {
            // the shadow has not applied /data yet
          }
          assertTrue(System.nanoTime() < deadline, "the shadow did not follow");
          Thread.sleep(20);
        }
        active.close(); // the alias goes with it; no standby takes over
        assertEquals(5, client.listStatus("/data").size(), "listed through the shadow");
        assertTrue(client.getFileStatus("/data/d3").directory(), "looked up through the shadow");
        IOException write = assertThrows(IOException.class, () -> client.mkdirs("/data/new"));
        assertTrue(write.getMessage().contains("master"), write.getMessage());
      } finally {
        active.close();
      }
    }
  }
}
