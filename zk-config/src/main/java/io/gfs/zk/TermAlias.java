package io.gfs.zk;

import java.io.IOException;
import io.gfs.common.Check;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alias of an elected master: an ephemeral znode of the session that won the election, never re-created once that
 * session is gone. A term ends with its session (the leader latch's node goes with it), so an alias kept alive past the
 * session, as Curator's PersistentNode does on RECONNECTED, would name a deposed master while the next term's epoch is
 * already out (found by MetadataUnderFaultsIT). Closing deletes the node only if this session still owns it, so a late
 * close never removes the next master's alias.
 */
final class TermAlias implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TermAlias.class);
  private static final int CREATE_ATTEMPTS_MAX = 20;

  private final CuratorFramework zk;
  private final String path;
  private final long ownerSession;
  private volatile boolean closed;

  private TermAlias(CuratorFramework zk, String path, long ownerSession) {
    this.zk = zk;
    this.path = path;
    this.ownerSession = ownerSession;
  }

  /**
   * Creates the alias in the caller's current session. The caller holds the election, so a node another session left
   * is a deposed master's (its term is over) and is replaced.
   */
  static TermAlias create(CuratorFramework zk, String path, byte[] data) throws Exception {
    long session = sessionId(zk);
    for (int attempt = 0; attempt < CREATE_ATTEMPTS_MAX; attempt++) {
      Stat created = new Stat();
      try {
        zk.create().storingStatIn(created).withMode(CreateMode.EPHEMERAL).forPath(path, data);
      } catch (KeeperException.NodeExistsException exists) {
        replaceStale(zk, path, session);
        continue;
      }
      if (created.getEphemeralOwner() != session) {
        // The session ended between reading its id and the create: so did the term. Nothing may name us now.
        deleteIfOwnedBy(zk, path, created.getEphemeralOwner());
        throw new IOException("the ZooKeeper session of the term ended while registering " + path);
      }
      return new TermAlias(zk, path, session);
    }
    throw new IOException("could not create alias " + path + ": " + CREATE_ATTEMPTS_MAX + " attempts raced others");
  }

  private static void replaceStale(CuratorFramework zk, String path, long session) throws Exception {
    Stat old = new Stat();
    byte[] held;
    try {
      held = zk.getData().storingStatIn(old).forPath(path);
    } catch (KeeperException.NoNodeException gone) {
      return;
    }
    Check.state(old.getEphemeralOwner() != session, "alias %s already exists in this session: registered twice", path);
    LOG.warn("replacing alias {} = '{}' left by session 0x{} (its term is over)", path,
        new String(held, StandardCharsets.UTF_8), Long.toHexString(old.getEphemeralOwner()));
    try {
      zk.delete().withVersion(old.getVersion()).forPath(path);
    } catch (KeeperException.NoNodeException | KeeperException.BadVersionException raced) {
      // gone or changed meanwhile: the next attempt looks again
    }
  }

  private static void deleteIfOwnedBy(CuratorFramework zk, String path, long owner) throws Exception {
    Stat stat = zk.checkExists().forPath(path);
    if (stat != null && stat.getEphemeralOwner() == owner) {
      try {
        zk.delete().withVersion(stat.getVersion()).forPath(path);
      } catch (KeeperException.NoNodeException | KeeperException.BadVersionException raced) {
        // someone else's now, or gone
      }
    }
  }

  private static long sessionId(CuratorFramework zk) throws Exception {
    long id = zk.getZookeeperClient().getZooKeeper().getSessionId();
    if (id == 0) {
      throw new IOException("no ZooKeeper session: cannot register the alias");
    }
    return id;
  }

  /** The session whose term this alias names. */
  long ownerSession() {
    return ownerSession;
  }

  /** Deletes the alias if this term's session still owns it; after the session ended there is nothing left to do. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (zk.getZookeeperClient().getZooKeeper().getSessionId() != ownerSession) {
        return; // the node ended with its session
      }
      deleteIfOwnedBy(zk, path, ownerSession);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while removing alias " + path, e);
    } catch (Exception e) {
      throw new IOException("cannot remove alias " + path + " (it goes when the session ends): " + e.getMessage(), e);
    }
  }
}
