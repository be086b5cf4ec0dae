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
 * serving master's address through an ephemeral alias znode the master keeps. A master without an election
 * ({@link #register}) keeps it with Curator's PersistentNode, which re-creates the alias after a session loss and after
 * a restart replaces the node a previous session left behind. An elected master ({@link #registerForTerm}) binds it to
 * the term's session instead: the term ends with that session, and so must the alias.
 */
public final class CanonicalName implements AutoCloseable {
  private static final long CONNECT_WAIT_MILLIS = 20_000;
  private static final long REGISTER_WAIT_MILLIS = 20_000;

  private final AutoCloseable node;
  private final String path;

  private CanonicalName(AutoCloseable node, String path) {
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

  /**
   * Publishes an elected master's address as the cluster's alias for as long as its term's ZooKeeper session lasts:
   * never re-created in a later session, and replacing an alias a deposed master's session left behind. Call it only
   * while holding the election.
   */
  public static CanonicalName registerForTerm(CuratorFramework zk, String root, String cluster, HostPort address)
      throws IOException {
    String path = ZnodeLayout.alias(root, cluster);
    try {
      zk.createContainers(ZnodeLayout.clusterNode(root, cluster));
      return new CanonicalName(TermAlias.create(zk, path, address.toString().getBytes(StandardCharsets.UTF_8)), path);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while registering " + path, e);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot register alias " + path + ": " + e.getMessage(), e);
    }
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
    try {
      node.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("closing alias " + path + ": " + e.getMessage(), e);
    }
  }
}
