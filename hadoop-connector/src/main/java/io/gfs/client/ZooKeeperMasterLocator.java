package io.gfs.client;

import io.gfs.common.Check;
import io.gfs.common.HostPort;
import io.gfs.zk.CanonicalName;
import java.io.IOException;
import org.apache.curator.framework.CuratorFramework;

/**
 * Resolves gfs://CLUSTER/ through the canonical-name alias the master registers in ZooKeeper [0122]. Connects lazily
 * on the first lookup and keeps the address until a call to it fails.
 */
final class ZooKeeperMasterLocator implements MasterLocator {
  private final String connectString;
  private final int sessionTimeoutMillis;
  private final String root;
  private final String cluster;
  private CuratorFramework zookeeper;
  private HostPort cached;
  private boolean closed;

  ZooKeeperMasterLocator(String connectString, int sessionTimeoutMillis, String root, String cluster) {
    Check.argument(!connectString.isBlank(), "empty ZooKeeper connect string");
    Check.argument(cluster != null && !cluster.isBlank(), "empty cluster name");
    this.connectString = connectString;
    this.sessionTimeoutMillis = sessionTimeoutMillis;
    this.root = root;
    this.cluster = cluster;
  }

  @Override
  public synchronized HostPort locate() throws IOException {
    if (closed) {
      throw new IOException("master locator for cluster '" + cluster + "' is closed");
    }
    if (cached == null) {
      if (zookeeper == null) {
        zookeeper = CanonicalName.connect(connectString, sessionTimeoutMillis);
      }
      cached = CanonicalName.resolve(zookeeper, root, cluster);
    }
    return cached;
  }

  @Override
  public synchronized HostPort shadow() {
    if (closed || zookeeper == null) {
      return null;
    }
    try {
      java.util.List<HostPort> shadows = io.gfs.zk.ShadowRegistry.list(zookeeper, root, cluster);
      return shadows.isEmpty() ? null
          : shadows.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(shadows.size()));
    } catch (IOException e) {
      return null; // ZooKeeper unreachable too: no shadow to offer
    }
  }

  @Override
  public synchronized void invalidate(HostPort failed) {
    if (failed == null || failed.equals(cached)) {
      cached = null;
    }
  }

  @Override
  public synchronized void redirect(HostPort master) {
    cached = Check.notNull(master, "master");
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (zookeeper != null) {
      zookeeper.close();
      zookeeper = null;
    }
  }
}
