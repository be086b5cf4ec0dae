package io.gfs.zk;

import io.gfs.common.HostPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * The canonical name of a cluster's master [0122]: clients know only gfs://CLUSTER/, and resolve CLUSTER to the
 * serving master's address through an ephemeral alias znode the master keeps. Curator's PersistentNode re-creates the
 * alias after a session loss, and after a restart replaces the node a previous session left behind.
 */
public final class CanonicalName implements AutoCloseable {
  private static final long CONNECT_WAIT_MILLIS = 20_000;
  private static final long REGISTER_WAIT_MILLIS = 20_000;

  private final PersistentNode node;
  private final String path;

  private CanonicalName(PersistentNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** A started client, connected, or an IOException naming the ensemble. */
  public static CuratorFramework connect(String connectString, int sessionTimeoutMillis) throws IOException {
    return connect(connectString, sessionTimeoutMillis, ZooKeeperAcl.OPEN);
  }

  /**
   * As {@link #connect(String, int)}; znodes this client creates get {@code acl}'s ACL, and the session authenticates
   * with its credentials if it has any (issue 4: only masters need them under the creator mode).
   */
  public static CuratorFramework connect(String connectString, int sessionTimeoutMillis, ZooKeeperAcl acl)
      throws IOException {
    CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder().aclProvider(acl.provider());
    if (acl.authenticates()) {
      builder.authorization(acl.scheme(), acl.auth());
    }
    CuratorFramework client = builder
        .connectString(connectString)
        .sessionTimeoutMs(sessionTimeoutMillis)
        .connectionTimeoutMs((int) Math.min(sessionTimeoutMillis, 15_000))
        .retryPolicy(new ExponentialBackoffRetry(100, 6, 5_000))
        // Only a lost session is an error for recipes (the leader latch keeps leadership across a reconnect to
        // another ZooKeeper server); MasterElection pauses mutations while the connection is suspended.
        .connectionStateErrorPolicy(new org.apache.curator.framework.state.SessionConnectionStateErrorPolicy())
        .build();
    client.start();
    try {
      if (!client.blockUntilConnected((int) CONNECT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        client.close();
        throw new IOException("cannot reach ZooKeeper at '" + connectString + "' within " + CONNECT_WAIT_MILLIS + " ms");
      }
    } catch (InterruptedException e) {
      client.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to ZooKeeper at '" + connectString + "'", e);
    }
    return client;
  }

  /** Publishes the master's address as the cluster's alias; keeps it published until {@link #close()}. */
  public static CanonicalName register(CuratorFramework zk, String root, String cluster, HostPort address)
      throws IOException {
    String path = ZnodeLayout.alias(root, cluster);
    byte[] data = address.toString().getBytes(StandardCharsets.UTF_8);
    try {
      zk.createContainers(ZnodeLayout.clusterNode(root, cluster));
    } catch (Exception e) {
      throw new IOException("cannot create " + ZnodeLayout.clusterNode(root, cluster) + ": " + e.getMessage(), e);
    }
    PersistentNode node = new PersistentNode(zk, CreateMode.EPHEMERAL, false, path, data);
    node.start();
    try {
      if (!node.waitForInitialCreate(REGISTER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        node.close();
        throw new IOException("could not create alias " + path + " within " + REGISTER_WAIT_MILLIS + " ms");
      }
      // A node left by this master's previous session may have blocked the create; make sure ours holds our data.
      // Synchronously: PersistentNode.setData writes in the background, and a late write would overwrite whatever
      // anyone (an operator, the next master) puts there after register returned.
      if (!Arrays.equals(zk.getData().forPath(path), data)) {
        zk.setData().forPath(path, data);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      node.close();
      throw new IOException("interrupted while registering " + path, e);
    } catch (Exception e) {
      node.close();
      throw new IOException("cannot register alias " + path + ": " + e.getMessage(), e);
    }
    return new CanonicalName(node, path);
  }

  /** The address registered for the cluster, or an IOException saying no master is registered. */
  public static HostPort resolve(CuratorFramework zk, String root, String cluster) throws IOException {
    String path = ZnodeLayout.alias(root, cluster);
    byte[] data;
    try {
      data = zk.getData().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      throw new IOException("no master is registered for cluster '" + cluster + "' (znode " + path + " is absent)");
    } catch (Exception e) {
      throw new IOException("cannot read " + path + " from ZooKeeper: " + e.getMessage(), e);
    }
    try {
      return HostPort.parse(new String(data, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IOException("alias " + path + " holds a malformed address: " + e.getMessage(), e);
    }
  }

  public String path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    node.close();
  }
}
