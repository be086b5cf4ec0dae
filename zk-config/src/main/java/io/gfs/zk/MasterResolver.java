package io.gfs.zk;

import io.gfs.common.Check;
import io.gfs.common.HostPort;
import java.io.IOException;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;

/**
 * Where a cluster's masters are, looked up in ZooKeeper: the active master through the canonical-name alias [0122]
 * and the shadow masters through their registry [0123]. Connects on the first lookup and keeps the alias's address
 * until a caller says it failed (or names the master a NOT_MASTER reply pointed to). The one resolver chunkservers
 * and clients share, so they agree on how a cluster name becomes an address. Thread-safe.
 */
public final class MasterResolver implements AutoCloseable {
  private final String connectString;
  private final int sessionTimeoutMillis;
  private final String root;
  private final String cluster;
  private CuratorFramework zk;
  private HostPort cached;
  private boolean closed;

  public MasterResolver(String connectString, int sessionTimeoutMillis, String root, String cluster) {
    Check.argument(connectString != null && !connectString.isBlank(), "empty ZooKeeper connect string");
    Check.argument(cluster != null && !cluster.isBlank(), "empty cluster name");
    this.connectString = connectString;
    this.sessionTimeoutMillis = sessionTimeoutMillis;
    this.root = root;
    this.cluster = cluster;
  }

  /** The active master: the cached address, else the alias's (IOException when ZooKeeper or the alias is missing). */
  public synchronized HostPort master() throws IOException {
    if (closed || cached == null) {
      cached = CanonicalName.resolve(connected(), root, cluster);
    }
    return cached;
  }

  /** That address failed (null: whichever is cached): resolve the alias again next time, unless it changed since. */
  public synchronized void invalidate(HostPort failed) {
    if (failed == null || failed.equals(cached)) {
      cached = null;
    }
  }

  /** A server named the active master (a NOT_MASTER hint): use it until it fails. */
  public synchronized void redirect(HostPort master) {
    cached = Check.notNull(master, "master");
  }

  /** The registered shadow masters, empty when there are none (connects if this resolver has not yet). */
  public synchronized List<HostPort> shadows() throws IOException {
    return ShadowRegistry.list(connected(), root, cluster);
  }

  /** Whether this resolver holds a ZooKeeper session now (a caller may then ask cheaply without connecting). */
  public synchronized boolean isConnected() {
    return zk != null;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (zk != null) {
      zk.close();
      zk = null;
    }
  }

  @Override
  public String toString() {
    return "cluster '" + cluster + "' via ZooKeeper " + connectString;
  }

  private CuratorFramework connected() throws IOException {
    if (closed) {
      throw new IOException("the master resolver of cluster '" + cluster + "' is closed");
    }
    if (zk == null) {
      zk = CanonicalName.connect(connectString, sessionTimeoutMillis);
    }
    return zk;
  }
}
