package io.gfs.zk;

import io.gfs.common.HostPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * Shadow masters of a cluster [0123]: each keeps an ephemeral child "host:port" under the cluster's shadows znode
 * (re-created after a session loss, like the alias). The active master ships its log to every shadow listed there;
 * clients read from one when the active master cannot be reached.
 */
public final class ShadowRegistry implements AutoCloseable {
  private static final long REGISTER_WAIT_MILLIS = 20_000;

  private final PersistentNode node;

  private ShadowRegistry(PersistentNode node) {
    this.node = node;
  }

  public static ShadowRegistry register(CuratorFramework zk, String root, String cluster, HostPort address)
      throws IOException {
    String parent = ZnodeLayout.shadows(root, cluster);
    String path = parent + "/" + address;
    try {
      zk.createContainers(parent);
    } catch (Exception e) {
      throw new IOException("cannot create " + parent + ": " + e.getMessage(), e);
    }
    PersistentNode node = new PersistentNode(zk, CreateMode.EPHEMERAL, false, path,
        address.toString().getBytes(StandardCharsets.UTF_8));
    node.start();
    try {
      if (!node.waitForInitialCreate(REGISTER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        node.close();
        throw new IOException("could not register shadow " + path + " within " + REGISTER_WAIT_MILLIS + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      node.close();
      throw new IOException("interrupted while registering shadow " + path, e);
    }
    return new ShadowRegistry(node);
  }

  /** The registered shadows; empty when there are none. */
  public static List<HostPort> list(CuratorFramework zk, String root, String cluster) throws IOException {
    String parent = ZnodeLayout.shadows(root, cluster);
    List<HostPort> shadows = new ArrayList<>();
    try {
      for (String child : zk.getChildren().forPath(parent)) {
        try {
          shadows.add(HostPort.parse(child));
        } catch (IllegalArgumentException ignored) {
          // not ours: only host:port children are shadows
        }
      }
    } catch (KeeperException.NoNodeException e) {
      return shadows;
    } catch (Exception e) {
      throw new IOException("cannot list " + parent + ": " + e.getMessage(), e);
    }
    return shadows;
  }

  @Override
  public void close() throws IOException {
    node.close();
  }
}
