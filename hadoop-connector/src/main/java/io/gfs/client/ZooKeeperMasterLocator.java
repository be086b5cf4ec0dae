package io.gfs.client;

import io.gfs.common.HostPort;
import io.gfs.zk.MasterResolver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Resolves gfs://CLUSTER/ through the canonical-name alias the master registers in ZooKeeper [0122], with the
 * resolver chunkservers use too ({@link MasterResolver}): connects lazily on the first lookup and keeps the address
 * until a call to it fails.
 */
final class ZooKeeperMasterLocator implements MasterLocator {
  private final MasterResolver resolver;

  ZooKeeperMasterLocator(String connectString, int sessionTimeoutMillis, String root, String cluster) {
    this.resolver = new MasterResolver(connectString, sessionTimeoutMillis, root, cluster);
  }

  @Override
  public HostPort locate() throws IOException {
    return resolver.master();
  }

  @Override
  public HostPort shadow() {
    if (!resolver.isConnected()) {
      return null; // ZooKeeper was never reached: no shadow to offer either
    }
    try {
      List<HostPort> shadows = resolver.shadows();
      return shadows.isEmpty() ? null : shadows.get(ThreadLocalRandom.current().nextInt(shadows.size()));
    } catch (IOException e) {
      return null; // ZooKeeper unreachable too: no shadow to offer
    }
  }

  @Override
  public void invalidate(HostPort failed) {
    resolver.invalidate(failed);
  }

  @Override
  public void redirect(HostPort master) {
    resolver.redirect(master);
  }

  @Override
  public void close() {
    resolver.close();
  }
}
