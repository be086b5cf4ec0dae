package io.gfs.zk;

import io.gfs.common.Check;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Election of the active master among several master processes of one cluster (issue 4), with a fencing epoch per term.
 *
 * <p>Curator's LeaderLatch picks the leader. A latch alone can briefly leave two processes believing they lead (a paused
 * leader resumes before it notices its session is gone; see CURATOR-620), so each term also takes a strictly
 * increasing epoch from the {@code epoch} znode by compare-and-set, and everything the master tells chunkservers carries
 * it: a server that has seen a higher epoch refuses the old leader's instructions. That, not the latch, is the safety
 * argument; the latch only keeps takeovers fast and rare.
 *
 * <p>One election is one term: once leadership is lost (the latch says so, or the ZooKeeper connection is SUSPENDED or
 * LOST, which comes before the session can expire and a rival win), the listener is told exactly once and this object
 * never leads again. The master steps down and a new process (or a restarted one) joins as a standby.
 */
public final class MasterElection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterElection.class);

  /** Told once, from a Curator thread, when this participant stops leading (or can no longer be sure it leads). */
  @FunctionalInterface
  public interface Listener {
    void leadershipLost(String reason);

    /**
     * The connection to ZooKeeper is SUSPENDED (true) or back in the same session (false). While suspended the
     * leader cannot know it still leads: it should refuse mutations until the connection is back, and the term ends
     * (leadershipLost) if the session is LOST instead.
     */
    default void connectionSuspended(boolean suspended) {}
  }

  private final CuratorFramework zk;
  private final String root;
  private final String cluster;
  private final LeaderLatch latch;
  private final Listener listener;
  private final AtomicBoolean lost = new AtomicBoolean();
  private final ConnectionStateListener connectionWatch = this::connectionChanged;
  private volatile boolean leading;
  private volatile long epoch;

  private MasterElection(CuratorFramework zk, String root, String cluster, String participantId, Listener listener) {
    this.zk = zk;
    this.root = root;
    this.cluster = cluster;
    this.listener = listener;
    this.latch = new LeaderLatch(zk, ZnodeLayout.election(root, cluster), participantId);
  }

  /** Joins the election as {@code participantId} (the master's address is a good id); does not wait. */
  public static MasterElection join(CuratorFramework zk, String root, String cluster, String participantId,
      Listener listener) throws IOException {
    Check.notNull(listener, "listener");
    MasterElection election = new MasterElection(zk, root, cluster, participantId, listener);
    try {
      zk.createContainers(ZnodeLayout.election(root, cluster));
      election.latch.addListener(new LeaderLatchListener() {
        @Override
        public void isLeader() {}

        @Override
        public void notLeader() {
          election.lose("the leader latch reports leadership lost");
        }
      });
      zk.getConnectionStateListenable().addListener(election.connectionWatch);
      election.latch.start();
    } catch (Exception e) {
      election.close();
      throw new IOException("cannot join the master election of cluster '" + cluster + "': " + e.getMessage(), e);
    }
    return election;
  }

  /**
   * Blocks until this participant leads, then opens a new term: returns its epoch, greater than every earlier term's.
   * IOException if leadership was lost meanwhile or the wait was interrupted.
   */
  public long awaitLeadership() throws IOException {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting to lead cluster '" + cluster + "'", e);
    } catch (java.io.EOFException e) {
      throw new IOException("left the election of cluster '" + cluster + "' before leading", e);
    }
    long next = nextEpoch(zk, root, cluster);
    // The latch may have moved while the epoch was taken: a term that does not lead after taking its epoch is void
    // (its epoch is simply skipped; the next leader takes a higher one).
    if (!latch.hasLeadership() || lost.get()) {
      throw new IOException("lost the election of cluster '" + cluster + "' while opening epoch " + next);
    }
    epoch = next;
    leading = true;
    LOG.info("leading cluster '{}' in epoch {}", cluster, next);
    return next;
  }

  /** True from {@link #awaitLeadership()} until leadership is lost or the election closed. */
  public boolean isLeader() {
    return leading && !lost.get();
  }

  /** This term's epoch (0 before leading). */
  public long epoch() {
    return epoch;
  }

  /** The latest term's epoch in ZooKeeper (0 if no master ever led the cluster). */
  public static long currentEpoch(CuratorFramework zk, String root, String cluster) throws IOException {
    try {
      byte[] data = zk.getData().forPath(ZnodeLayout.epoch(root, cluster));
      return parse(data);
    } catch (KeeperException.NoNodeException e) {
      return 0;
    } catch (Exception e) {
      throw new IOException("cannot read the epoch of cluster '" + cluster + "': " + e.getMessage(), e);
    }
  }

  /** Raises the cluster's epoch by one with compare-and-set on the znode's version, so no two terms share one. */
  static long nextEpoch(CuratorFramework zk, String root, String cluster) throws IOException {
    String path = ZnodeLayout.epoch(root, cluster);
    for (int attempt = 0; attempt < 100; attempt++) {
      try {
        Stat stat = new Stat();
        long current;
        try {
          current = parse(zk.getData().storingStatIn(stat).forPath(path));
        } catch (KeeperException.NoNodeException e) {
          zk.create().creatingParentContainersIfNeeded().forPath(path, bytes(1));
          return 1;
        }
        zk.setData().withVersion(stat.getVersion()).forPath(path, bytes(current + 1));
        return current + 1;
      } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException raced) {
        LOG.info("epoch of cluster '{}' moved under us; retrying", cluster);
      } catch (Exception e) {
        throw new IOException("cannot raise the epoch of cluster '" + cluster + "': " + e.getMessage(), e);
      }
    }
    throw new IOException("the epoch of cluster '" + cluster + "' kept moving; 100 attempts failed");
  }

  private static byte[] bytes(long epoch) {
    return Long.toString(epoch).getBytes(StandardCharsets.UTF_8);
  }

  private static long parse(byte[] data) throws IOException {
    String text = new String(data, StandardCharsets.UTF_8).trim();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IOException("epoch znode holds '" + text + "', not a number", e);
    }
  }

  private void connectionChanged(CuratorFramework client, ConnectionState state) {
    if (!leading) {
      return;
    }
    // SUSPENDED comes at the first missed ZooKeeper answer, before the session can expire on the server and a rival
    // can win: the leader stops mutating at once. Losing one ZooKeeper server suspends the connection only until the
    // client reconnects to another in the same session; the term goes on then. LOST ends it (the connection is
    // created with the session error policy, so the latch too keeps leadership through a reconnect).
    if (state == ConnectionState.SUSPENDED) {
      LOG.warn("ZooKeeper connection suspended: cluster '{}' takes no mutations until it is back", cluster);
      listener.connectionSuspended(true);
    } else if (state == ConnectionState.RECONNECTED) {
      LOG.info("ZooKeeper connection back in the same session: cluster '{}' takes mutations again", cluster);
      listener.connectionSuspended(false);
    } else if (state == ConnectionState.LOST) {
      lose("ZooKeeper connection " + state);
    }
  }

  private void lose(String reason) {
    if (!leading || !lost.compareAndSet(false, true)) {
      return;
    }
    leading = false;
    LOG.warn("no longer leading cluster '{}' (epoch {}): {}", cluster, epoch, reason);
    try {
      listener.leadershipLost(reason);
    } catch (RuntimeException e) {
      LOG.error("leadership-lost listener failed", e);
    }
  }

  /** Leaves the election (a standby leaves the queue; a leader hands over at once). */
  @Override
  public void close() {
    zk.getConnectionStateListenable().removeListener(connectionWatch);
    boolean wasLeading = leading;
    leading = false;
    lost.set(true);
    try {
      latch.close();
    } catch (IOException | IllegalStateException e) {
      LOG.debug("closing the leader latch: {}", e.toString());
    }
    if (wasLeading) {
      LOG.info("left the lead of cluster '{}' (epoch {})", cluster, epoch);
    }
  }
}
