package io.gfs.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import java.io.IOException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.curator.test.KillSession;
import org.junit.jupiter.api.Test;

class CanonicalNameIT {
  @Test
  void registeredAddressResolvesAndDisappearsOnClose() throws Exception {
    try (TestingServer server = new TestingServer();
        CuratorFramework master = CanonicalName.connect(server.getConnectString(), 5000);
        CuratorFramework client = CanonicalName.connect(server.getConnectString(), 5000)) {
      assertThrows(IOException.class, () -> CanonicalName.resolve(client, "/gfs", "prod"));
      HostPort address = new HostPort("127.0.0.1", 7700);
      CanonicalName name = CanonicalName.register(master, "/gfs", "prod", address);
      assertEquals(address, CanonicalName.resolve(client, "/gfs", "prod"));
      name.close();
      assertThrows(IOException.class, () -> CanonicalName.resolve(client, "/gfs", "prod"));
    }
  }

  @Test
  void aliasComesBackAfterSessionLoss() throws Exception {
    try (TestingServer server = new TestingServer();
        CuratorFramework master = CanonicalName.connect(server.getConnectString(), 5000);
        CuratorFramework client = CanonicalName.connect(server.getConnectString(), 5000)) {
      HostPort address = new HostPort("10.0.0.1", 7701);
      try (CanonicalName name = CanonicalName.register(master, "/gfs", "c1", address)) {
        KillSession.kill(master.getZookeeperClient().getZooKeeper());
        long deadline = System.nanoTime() + 30_000_000_000L;
        HostPort seen = null;
        while (System.nanoTime() < deadline) {
          try {
            seen = CanonicalName.resolve(client, "/gfs", "c1");
            break;
          } catch (IOException absentForNow) {
            Thread.sleep(50);
          }
        }
        assertEquals(address, seen);
        assertTrue(name.path().endsWith("/clusters/c1/alias"));
      }
    }
  }

  @Test
  void restartedMasterReplacesTheAliasOfItsOldSession() throws Exception {
    try (TestingServer server = new TestingServer();
        CuratorFramework client = CanonicalName.connect(server.getConnectString(), 5000)) {
      CuratorFramework first = CanonicalName.connect(server.getConnectString(), 20_000);
      CanonicalName.register(first, "/gfs", "c2", new HostPort("127.0.0.1", 1));
      // Simulate a crash: the old session's ephemeral node lingers until the session times out.
      first.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
      try (CuratorFramework second = CanonicalName.connect(server.getConnectString(), 5000);
          CanonicalName name = CanonicalName.register(second, "/gfs", "c2", new HostPort("127.0.0.1", 2))) {
        assertEquals(new HostPort("127.0.0.1", 2), CanonicalName.resolve(client, "/gfs", "c2"));
      } finally {
        first.close();
      }
    }
  }

  @Test
  void badClusterNamesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> ZnodeLayout.alias("/gfs", "a/b"));
    assertThrows(IllegalArgumentException.class, () -> ZnodeLayout.alias("/gfs", ""));
    assertThrows(IllegalArgumentException.class, () -> ZnodeLayout.alias("gfs", "ok"));
    assertEquals("/gfs/clusters/ok/alias", ZnodeLayout.alias("/gfs", "ok"));
    assertEquals("/clusters/ok/alias", ZnodeLayout.alias("/", "ok"));
  }
}
