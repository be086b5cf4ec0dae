package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.zk.CanonicalName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With no fixed master address the chunkserver finds the master through the cluster's canonical name [0122]. */
class MasterLocatorIT {
  @TempDir
  Path dir;

  @Test
  void resolvesTheCanonicalNameAndFollowsTheMasterWhenItMoves() throws Exception {
    try (TestingServer zookeeper = new TestingServer(true);
        CuratorFramework zk = CanonicalName.connect(zookeeper.getConnectString(), 15_000)) {
      ChunkServerSettings settings = ChunkServerSettings.from(GfsConfig.of(Map.of(
          GfsConfigKeys.ChunkServer.DATA_DIRS.name(), dir.toString(),
          GfsConfigKeys.Cluster.ZOOKEEPER_CONNECT.name(), zookeeper.getConnectString(),
          GfsConfigKeys.Cluster.NAME.name(), "c1")));
      try (MasterLocator locator = MasterLocator.of(settings)) {
        assertThrows(IOException.class, locator::master);
        HostPort first = new HostPort("127.0.0.1", 1234);
        try (CanonicalName name = CanonicalName.register(zk, "/gfs", "c1", first)) {
          assertEquals(first, locator.master());
        }
        HostPort moved = new HostPort("127.0.0.1", 5678);
        try (CanonicalName name = CanonicalName.register(zk, "/gfs", "c1", moved)) {
          assertEquals(first, locator.master()); // cached until a heartbeat fails
          locator.invalidate();
          assertEquals(moved, locator.master());
        }
        HostPort shadow = new HostPort("127.0.0.1", 7777); // issue 4: the shadows it reports chunks to
        try (io.gfs.zk.ShadowRegistry registered = io.gfs.zk.ShadowRegistry.register(zk, "/gfs", "c1", shadow)) {
          long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
          while (!locator.shadows().equals(java.util.List.of(shadow))) {
            org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() < deadline, "no shadow listed");
            Thread.sleep(20);
          }
        }
      }
    }
  }
}
