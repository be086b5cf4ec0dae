package io.gfs.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.TestingServer;
import org.apache.curator.test.KillSession;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
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
  void aTermsAliasIsNotRecreatedInTheNextSession() throws Exception {
    try (TestingServer server = new TestingServer();
        CuratorFramework master = CanonicalName.connect(server.getConnectString(), 5000);
        CuratorFramework client = CanonicalName.connect(server.getConnectString(), 5000)) {
      try (CanonicalName name = CanonicalName.registerForTerm(master, "/gfs", "t1", new HostPort("10.0.0.2", 7702))) {
        assertEquals(new HostPort("10.0.0.2", 7702), CanonicalName.resolve(client, "/gfs", "t1"));
        CountDownLatch newSession = reconnectedAfterLoss(master);
        expireOnServer(server.getConnectString(), master);
        assertTrue(newSession.await(30, TimeUnit.SECONDS), "the client got a new session");
        // Listeners run in order on one thread, so whatever an earlier listener (a PersistentNode's) sent on
        // RECONNECTED went before this create; ZooKeeper answers a session's requests in order.
        master.create().withMode(CreateMode.EPHEMERAL).forPath("/gfs/barrier");
        assertNull(master.checkExists().forPath(name.path()), "no alias in the session after the term's");
        assertThrows(IOException.class, () -> CanonicalName.resolve(client, "/gfs", "t1"));
      }
    }
  }

  @Test
  void theNextTermReplacesADeposedMastersAliasAndALateCloseLeavesIt() throws Exception {
    try (TestingServer server = new TestingServer();
        CuratorFramework deposed = CanonicalName.connect(server.getConnectString(), 20_000);
        CuratorFramework next = CanonicalName.connect(server.getConnectString(), 5000);
        CuratorFramework client = CanonicalName.connect(server.getConnectString(), 5000)) {
      CanonicalName old = CanonicalName.registerForTerm(deposed, "/gfs", "t2", new HostPort("127.0.0.1", 1));
      try (CanonicalName name = CanonicalName.registerForTerm(next, "/gfs", "t2", new HostPort("127.0.0.1", 2))) {
        assertEquals(new HostPort("127.0.0.1", 2), CanonicalName.resolve(client, "/gfs", "t2"));
        old.close();
        assertEquals(new HostPort("127.0.0.1", 2), CanonicalName.resolve(client, "/gfs", "t2"),
            "the deposed master's close leaves the next term's alias");
      }
      assertThrows(IOException.class, () -> CanonicalName.resolve(client, "/gfs", "t2"));
    }
  }

  @Test
  void aTermsAliasGoesOnClose() throws Exception {
    try (TestingServer server = new TestingServer();
        CuratorFramework master = CanonicalName.connect(server.getConnectString(), 5000);
        CuratorFramework client = CanonicalName.connect(server.getConnectString(), 5000)) {
      CanonicalName name = CanonicalName.registerForTerm(master, "/gfs", "t3", new HostPort("127.0.0.1", 3));
      assertThrows(IOException.class, () -> CanonicalName.registerForTerm(master, "/gfs", "t3",
          new HostPort("127.0.0.1", 3)), "one alias per term");
      name.close();
      assertThrows(IOException.class, () -> CanonicalName.resolve(client, "/gfs", "t3"));
      name.close();
    }
  }

  /**
   * Ends the client's session on the server, as a real expiry does (its ephemeral nodes go at once; the client learns
   * it when it next talks to the server). Curator's KillSession only makes the client believe it, and the server keeps
   * the session's nodes until its timeout.
   */
  static void expireOnServer(String connectString, CuratorFramework client) throws Exception {
    ZooKeeper handle = client.getZookeeperClient().getZooKeeper();
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper twin = new ZooKeeper(connectString, 5000, event -> {
      if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    }, handle.getSessionId(), handle.getSessionPasswd());
    try {
      assertTrue(connected.await(30, TimeUnit.SECONDS), "a second handle joined the session");
    } finally {
      twin.close(); // closes the session on the server
    }
  }

  private static CountDownLatch reconnectedAfterLoss(CuratorFramework zk) {
    CountDownLatch reconnected = new CountDownLatch(1);
    AtomicBoolean lost = new AtomicBoolean();
    zk.getConnectionStateListenable().addListener((c, state) -> {
      if (state == ConnectionState.LOST) {
        lost.set(true);
      } else if (state == ConnectionState.RECONNECTED && lost.get()) {
        reconnected.countDown();
      }
    });
    return reconnected;
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
