package io.gfs.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: under the creator ACL only the masters' credentials change the cluster's znodes; clients and chunkservers
 * still read the alias and the shadows without any. Under the open ACL anyone can (the control).
 */
class ZnodeAclIT {
  private static final ZooKeeperAcl MASTERS = ZooKeeperAcl.parse("creator", "digest:gfs:s3cret");
  private static final HostPort MASTER = new HostPort("127.0.0.1", 7800);

  @Test
  void withoutTheCredentialsNobodyMovesTheAliasOrTheEpoch() throws Exception {
    try (TestingServer server = new TestingServer();
        CuratorFramework master = CanonicalName.connect(server.getConnectString(), 5000, MASTERS);
        CuratorFramework anonymous = CanonicalName.connect(server.getConnectString(), 5000);
        CuratorFramework wrongPassword = CanonicalName.connect(server.getConnectString(), 5000,
            ZooKeeperAcl.parse("creator", "digest:gfs:guess"))) {
      CanonicalName alias = CanonicalName.register(master, "/gfs", "acl", MASTER);
      long epoch = MasterElection.nextEpoch(master, "/gfs", "acl");
      ShadowRegistry shadow = ShadowRegistry.register(master, "/gfs", "acl", new HostPort("127.0.0.1", 7801));

      // Readers need nothing.
      assertEquals(MASTER, CanonicalName.resolve(anonymous, "/gfs", "acl"));
      assertEquals(epoch, MasterElection.currentEpoch(anonymous, "/gfs", "acl"));
      assertEquals(1, ShadowRegistry.list(anonymous, "/gfs", "acl").size());

      for (CuratorFramework intruder : new CuratorFramework[] {anonymous, wrongPassword}) {
        byte[] elsewhere = "10.6.6.6:1".getBytes(StandardCharsets.UTF_8);
        assertThrows(KeeperException.NoAuthException.class,
            () -> intruder.setData().forPath(ZnodeLayout.alias("/gfs", "acl"), elsewhere));
        assertThrows(KeeperException.NoAuthException.class,
            () -> intruder.delete().forPath(ZnodeLayout.alias("/gfs", "acl")));
        assertThrows(KeeperException.NoAuthException.class,
            () -> intruder.setData().forPath(ZnodeLayout.epoch("/gfs", "acl"), "999".getBytes(StandardCharsets.UTF_8)));
        assertThrows(KeeperException.NoAuthException.class,
            () -> intruder.delete().forPath(ZnodeLayout.epoch("/gfs", "acl")));
        assertThrows(KeeperException.NoAuthException.class,
            () -> intruder.create().forPath(ZnodeLayout.shadows("/gfs", "acl") + "/10.6.6.6:1"));
        assertThrows(KeeperException.NoAuthException.class,
            () -> intruder.delete().forPath(ZnodeLayout.clusterNode("/gfs", "acl") + "/shadows/127.0.0.1:7801"));
      }
      assertEquals(MASTER, CanonicalName.resolve(anonymous, "/gfs", "acl"), "the alias still names the master");
      assertEquals(epoch + 1, MasterElection.nextEpoch(master, "/gfs", "acl"), "the masters still raise the epoch");
      shadow.close();
      alias.close();
    }
  }

  @Test
  void underTheOpenAclAnyoneCanMoveTheAlias() throws Exception {
    try (TestingServer server = new TestingServer();
        CuratorFramework master = CanonicalName.connect(server.getConnectString(), 5000);
        CuratorFramework anonymous = CanonicalName.connect(server.getConnectString(), 5000)) {
      try (CanonicalName alias = CanonicalName.register(master, "/gfs", "open", MASTER)) {
        anonymous.setData().forPath(ZnodeLayout.alias("/gfs", "open"), "10.6.6.6:1".getBytes(StandardCharsets.UTF_8));
        assertEquals(new HostPort("10.6.6.6", 1), CanonicalName.resolve(anonymous, "/gfs", "open"));
      }
    }
  }

  @Test
  void theCreatorModeNeedsCredentialsAndModesAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> ZooKeeperAcl.parse("creator", ""));
    assertThrows(IllegalArgumentException.class, () -> ZooKeeperAcl.parse("everyone", ""));
    assertThrows(IllegalArgumentException.class, () -> ZooKeeperAcl.parse("open", "digest"));
    assertTrue(ZooKeeperAcl.parse("OPEN", "").acl().get(0).getId().getScheme().equals("world"));
  }
}
