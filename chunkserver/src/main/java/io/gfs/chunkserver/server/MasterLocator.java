package io.gfs.chunkserver.server;

import io.gfs.common.HostPort;
import io.gfs.zk.MasterResolver;
import java.io.IOException;
import java.util.List;

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

  /** The cluster's alias and shadows through the resolver clients use too. */
  private static final class ZooKeeper extends MasterLocator {
    private final MasterResolver resolver;

    ZooKeeper(String connect, String root, String cluster, int sessionTimeoutMillis) {
      this.resolver = new MasterResolver(connect, sessionTimeoutMillis, root, cluster);
    }

    @Override
    HostPort master() throws IOException {
      return resolver.master();
    }

    @Override
    void invalidate() {
      resolver.invalidate(null);
    }

    @Override
    List<HostPort> shadows() throws IOException {
      return resolver.shadows();
    }

    @Override
    public void close() {
      resolver.close();
    }

    @Override
    public String toString() {
      return resolver.toString();
    }
  }
}
