package io.gfs.chunkserver.server;

import io.gfs.common.HostPort;
import io.gfs.zk.CanonicalName;
import io.gfs.zk.ShadowRegistry;
import java.io.IOException;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;

/**
 * Where the master is: a fixed address from the configuration, or the cluster's canonical name in ZooKeeper [0122],
 * resolved lazily and again after every failed heartbeat (the master may have moved); and the shadow masters
 * registered there. Used by the heartbeat thread and the shadow reporter's.
 */
abstract class MasterLocator implements AutoCloseable {
  abstract HostPort master() throws IOException;

  /** The last address did not answer: look it up again next time. */
  abstract void invalidate();

  /** The cluster's shadow masters [0123] (issue 4), to report chunks to; empty when there are none. */
  abstract List<HostPort> shadows() throws IOException;

  @Override
  public abstract void close();

  static MasterLocator fixed(HostPort address) {
    return new Fixed(address);
  }

  static MasterLocator of(ChunkServerSettings settings) {
    if (settings.masterAddress() != null) {
      return new Fixed(settings.masterAddress());
    }
    return new ZooKeeper(settings.zookeeperConnect(), settings.zookeeperRoot(), settings.clusterName(),
        settings.zookeeperSessionTimeoutMillis());
  }

  private static final class Fixed extends MasterLocator {
    private final HostPort address;

    Fixed(HostPort address) {
      this.address = address;
    }

    @Override
    HostPort master() {
      return address;
    }

    @Override
    void invalidate() {}

    @Override
    List<HostPort> shadows() {
      return List.of(); // shadow masters need ZooKeeper: they register there and the active master finds them there
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
      return address.toString();
    }
  }

  private static final class ZooKeeper extends MasterLocator {
    private final String connect;
    private final String root;
    private final String cluster;
    private final int sessionTimeoutMillis;
    private CuratorFramework zk;
    private HostPort resolved;

    ZooKeeper(String connect, String root, String cluster, int sessionTimeoutMillis) {
      this.connect = connect;
      this.root = root;
      this.cluster = cluster;
      this.sessionTimeoutMillis = sessionTimeoutMillis;
    }

    @Override
    synchronized HostPort master() throws IOException {
      if (resolved == null) {
        if (zk == null) {
          zk = CanonicalName.connect(connect, sessionTimeoutMillis);
        }
        resolved = CanonicalName.resolve(zk, root, cluster);
      }
      return resolved;
    }

    @Override
    synchronized void invalidate() {
      resolved = null;
    }

    @Override
    synchronized List<HostPort> shadows() throws IOException {
      if (zk == null) {
        zk = CanonicalName.connect(connect, sessionTimeoutMillis);
      }
      return ShadowRegistry.list(zk, root, cluster);
    }

    @Override
    public synchronized void close() {
      if (zk != null) {
        zk.close();
        zk = null;
      }
    }

    @Override
    public String toString() {
      return "cluster '" + cluster + "' via ZooKeeper " + connect;
    }
  }
}
