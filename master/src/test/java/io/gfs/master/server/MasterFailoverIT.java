package io.gfs.master.server;

import static io.gfs.master.server.MasterItCluster.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.chunkserver.server.ChunkServer;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.MasterService;
import io.gfs.zk.CanonicalName;
import io.gfs.zk.ZnodeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, election and fencing with a real ZooKeeper (Curator's TestingServer), two real masters sharing one meta
 * directory and three real chunkservers that find the active master through the alias.
 */
class MasterFailoverIT {
  private static final String CLUSTER = "ha";
  @TempDir
  Path metaDir;
  @TempDir
  Path chunkDir;

  private final RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(30_000));
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private TestingServer zk;

  @AfterEach
  void tearDown() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      try {
        cleanup.get(i).close();
      } catch (Exception e) {
        // keep closing the rest
      }
    }
    rpc.close();
  }

  private GfsConfig masterConfig() {
    Map<String, String> values = new HashMap<>();
    values.put(GfsConfigKeys.Master.META_DIR.name(), metaDir.toString());
    values.put(GfsConfigKeys.Master.PORT.name(), "0");
    values.put(GfsConfigKeys.Master.HOST.name(), "127.0.0.1");
    values.put(GfsConfigKeys.Master.HEARTBEAT_INTERVAL_MS.name(), "200");
    values.put(GfsConfigKeys.Master.HA_ENABLED.name(), "true");
    values.put(GfsConfigKeys.Cluster.NAME.name(), CLUSTER);
    values.put(GfsConfigKeys.Cluster.ZOOKEEPER_CONNECT.name(), zk.getConnectString());
    // Takeovers here follow a close or a forced expiry, never the timeout: a long session, so that a stall on a loaded
    // machine never ends a term the test did not end (an extra election would change every epoch it checks).
    values.put(GfsConfigKeys.Cluster.ZOOKEEPER_SESSION_TIMEOUT_MS.name(), "10000");
    return GfsConfig.of(values);
  }

  private MasterServer startMaster() throws IOException {
    MasterServer master = MasterServer.start(masterConfig());
    cleanup.add(master);
    return master;
  }

  private CompletableFuture<MasterServer> startStandby() {
    CompletableFuture<MasterServer> standby = CompletableFuture.supplyAsync(() -> {
      try {
        return startMaster();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    cleanup.add(() -> standby.thenAccept(MasterServer::close));
    return standby;
  }

  private ChunkServer startChunkServer(int index) throws IOException {
    Path dir = chunkDir.resolve("cs" + index);
    Files.createDirectories(dir);
    ChunkServer server = ChunkServer.start(GfsConfig.of(Map.of(
        GfsConfigKeys.ChunkServer.DATA_DIRS.name(), dir.toString(),
        GfsConfigKeys.ChunkServer.HOST.name(), "127.0.0.1",
        GfsConfigKeys.ChunkServer.PORT.name(), "0",
        GfsConfigKeys.Cluster.NAME.name(), CLUSTER,
        GfsConfigKeys.Cluster.ZOOKEEPER_CONNECT.name(), zk.getConnectString(),
        GfsConfigKeys.ChunkServer.CAPACITY_BYTES.name(), Long.toString(1L << 40),
        // The epoch fence is what this test is about: a deposed master's orders carry tokens the chunkservers still
        // accept (old keys live until their tokens expire), so the raw orders below come without one and tokens are
        // off here; AccessTokenIT tests tokens.
        GfsConfigKeys.Cluster.ACCESS_TOKENS_ENABLED.name(), "false")));
    cleanup.add(server);
    return server;
  }

  private <R> R call(MasterServer master, RpcClients.Call<MasterService.Client, R> call) throws Exception {
    return rpc.master(master.address(), call);
  }

  @Test
  void standbyTakesOverWithAHigherEpochEveryCreateAndTheAlias() throws Exception {
    zk = new TestingServer();
    cleanup.add(zk);
    MasterServer first = startMaster();
    assertEquals(1, first.epoch());
    CompletableFuture<MasterServer> standby = startStandby();
    for (int i = 0; i < 50; i++) {
      int n = i;
      call(first, m -> {
        m.create("/f" + n, false, true, 3, null, null, (short) -1);
        return null;
      });
    }
    try (CuratorFramework client = CanonicalName.connect(zk.getConnectString(), 5000)) {
      assertEquals(first.address(), CanonicalName.resolve(client, "/gfs", CLUSTER));
      Thread.sleep(300); // a wrong implementation would let the standby serve beside the active master by now
      assertFalse(standby.isDone(), "the standby waits while the active master leads");
      first.close();
      MasterServer second = standby.get(60, TimeUnit.SECONDS);
      assertEquals(2, second.epoch());
      assertEquals(50, call(second, m -> m.listStatus("/")).size());
      assertEquals("active", call(second, m -> m.getClusterStatus()).getRole());
      awaitTrue(() -> second.address().equals(CanonicalName.resolve(client, "/gfs", CLUSTER)),
          "the alias names the new active master");
    }
  }

  @Test
  void aMasterWhoseSessionExpiresStepsDownAndChunkserversRefuseItsEpoch() throws Exception {
    zk = new TestingServer();
    cleanup.add(zk);
    MasterServer first = startMaster();
    CompletableFuture<MasterServer> standby = startStandby();
    List<ChunkServer> chunkServers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      chunkServers.add(startChunkServer(i));
    }
    awaitTrue(() -> call(first, m -> m.getClusterStatus()).getChunkServers().size() == 3, "3 chunkservers live");
    call(first, m -> {
      m.create("/log", false, true, 3, null, null, (short) -1);
      return null;
    });
    ChunkLease lease = call(first, m -> m.acquireLease("/log", -1));
    assertEquals(1, lease.getVersion());

    // The session of the active master expires (as after a pause past the timeout): it steps down at once.
    first.zookeeper().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
    String reason = first.steppedDown().get(30, TimeUnit.SECONDS);
    assertTrue(reason.contains("LOST") || reason.contains("SUSPENDED") || reason.contains("leader"), reason);
    // Fail-fast: its journal refuses every commit once the term ended.
    assertThrows(io.gfs.master.ha.NotActiveException.class,
        () -> first.journal().commit(new io.gfs.master.state.LogRecord.SetVersion(lease.getHandle(), 7)));
    MasterServer second = standby.get(60, TimeUnit.SECONDS);
    assertEquals(2, second.epoch());
    awaitTrue(() -> call(second, m -> m.getClusterStatus()).getChunkServers().size() == 3,
        "the chunkservers re-register with the new master");
    // Every chunkserver heard epoch 2 (a heartbeat reply), persisted it, and now refuses the deposed master's orders.
    for (int i = 0; i < 3; i++) {
      Path epochFile = chunkDir.resolve("cs" + i).resolve("master-epoch");
      awaitTrue(() -> Files.exists(epochFile) && Files.readString(epochFile).trim().equals("2"),
          "chunkserver persisted epoch 2");
      HostPort address = chunkServers.get(i).address();
      GfsException refused = assertThrows(GfsException.class, () -> rpc.chunkServer(address, c -> {
        c.assignVersion(lease.getHandle(), 9, false, 60_000, 1, null);
        return null;
      }));
      assertEquals(ErrorCode.STALE_EPOCH, refused.getCode());
    }
    // The new master knows the chunk and grants on it in its own term.
    ChunkLease next = call(second, m -> m.acquireLease("/log", 0));
    assertEquals(2, next.getVersion());
    assertEquals(lease.getHandle(), next.getHandle());
    assertTrue(RpcErrors.fromThrift(next.getPrimary()) != null);
  }

  @Test
  void aMasterWhoseSessionExpiredNeverPublishesItsAliasAgain() throws Exception {
    zk = new TestingServer();
    cleanup.add(zk);
    MasterServer first = startMaster();
    try (CuratorFramework client = CanonicalName.connect(zk.getConnectString(), 5000)) {
      String alias = ZnodeLayout.alias("/gfs", CLUSTER);
      String barrier = ZnodeLayout.clusterNode("/gfs", CLUSTER) + "/barrier";
      assertEquals(first.address(), CanonicalName.resolve(client, "/gfs", CLUSTER));
      List<String> created = new CopyOnWriteArrayList<>();
      client.watchers().add().withMode(AddWatchMode.PERSISTENT_RECURSIVE).usingWatcher((Watcher) event -> {
        if (event.getType() == Watcher.Event.EventType.NodeCreated) {
          created.add(event.getPath());
        }
      }).forPath(ZnodeLayout.clusterNode("/gfs", CLUSTER));

      // No standby: nobody may create the alias after this. Curator's PersistentNode used to re-create it on the new
      // session's RECONNECTED when that came before the step-down closed it (a CI run caught it). Holding the master's
      // monitor keeps its close (synchronized) waiting until the master's client has a new session and every
      // RECONNECTED listener ran, so that order is forced here.
      CuratorFramework masterZk = first.zookeeper();
      java.util.concurrent.CountDownLatch newSession = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
      masterZk.getConnectionStateListenable().addListener((c, state) -> {
        if (state == ConnectionState.LOST) {
          lost.set(true);
        } else if (state == ConnectionState.RECONNECTED && lost.get()) {
          newSession.countDown();
        }
      });
      synchronized (first) {
        expireOnServer(masterZk);
        first.steppedDown().get(30, TimeUnit.SECONDS);
        assertTrue(newSession.await(30, TimeUnit.SECONDS), "the deposed master's client got a new session");
        // One round trip on the master's new session, after its RECONNECTED listeners ran: what they sent in the
        // background gets to ZooKeeper before the close below can cancel it.
        masterZk.create().withMode(CreateMode.EPHEMERAL).forPath(barrier + "-0");
      }
      first.close(); // waits for the step-down's own close: after it the master's ZooKeeper client is closed
      // Watch events come in order, so once the barrier's creation is seen every earlier creation (whatever the
      // master's client sent before it closed) was seen too.
      client.create().withMode(CreateMode.EPHEMERAL).forPath(barrier);
      awaitTrue(() -> created.contains(barrier), "the barrier's creation is seen");
      // (The deposed master's leader latch may rejoin the election in its new session until the step-down closes it;
      // the alias must not come back.)
      assertFalse(created.contains(alias), "the alias was created again after the term's session expired: " + created);
      assertThrows(IOException.class, () -> CanonicalName.resolve(client, "/gfs", CLUSTER));
    }
  }

  /**
   * Ends the master's session on the server, as a real expiry does: its ephemeral nodes go at once and the master
   * learns it when it next talks to ZooKeeper (injectSessionExpiration only makes the client believe it).
   */
  private void expireOnServer(CuratorFramework master) throws Exception {
    ZooKeeper handle = master.getZookeeperClient().getZooKeeper();
    java.util.concurrent.CountDownLatch joined = new java.util.concurrent.CountDownLatch(1);
    ZooKeeper twin = new ZooKeeper(zk.getConnectString(), 4000, event -> {
      if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
        joined.countDown();
      }
    }, handle.getSessionId(), handle.getSessionPasswd());
    try {
      assertTrue(joined.await(30, TimeUnit.SECONDS), "a second handle joined the master's session");
    } finally {
      twin.close();
    }
  }
}
