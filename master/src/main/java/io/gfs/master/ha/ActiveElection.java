package io.gfs.master.ha;

import io.gfs.zk.MasterElection;
import java.io.IOException;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits to become the cluster's active master and opens the term. Losing the election afterwards revokes the term at
 * once (every later commit fails, before anything else happens) and then tells the server to step down.
 */
public final class ActiveElection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ActiveElection.class);

  private final MasterElection election;
  private volatile MasterTerm term;

  private ActiveElection(MasterElection election) {
    this.election = election;
  }

  /**
   * Joins the election and blocks until this master leads; {@code stepDown} runs once (on a ZooKeeper thread) if the
   * term later ends, after the term was revoked.
   */
  public static ActiveElection await(CuratorFramework zk, String root, String cluster, String participantId,
      Consumer<String> stepDown) throws IOException {
    ActiveElection[] self = new ActiveElection[1];
    MasterElection election = MasterElection.join(zk, root, cluster, participantId, new MasterElection.Listener() {
      @Override
      public void leadershipLost(String reason) {
        MasterTerm current = self[0] == null ? null : self[0].term;
        if (current != null) {
          current.revoke(reason);
        }
        stepDown.accept(reason);
      }

      @Override
      public void connectionSuspended(boolean suspended) {
        MasterTerm current = self[0] == null ? null : self[0].term;
        if (current != null) {
          current.suspend(suspended);
        }
      }
    });
    self[0] = new ActiveElection(election);
    LOG.info("standby master {} waiting to lead cluster '{}'", participantId, cluster);
    try {
      long epoch = election.awaitLeadership();
      self[0].term = MasterTerm.elected(epoch);
      if (!election.isLeader()) {
        // Lost between taking the epoch and publishing the term: the listener saw no term to revoke.
        self[0].term.revoke("lost the election while opening the term");
        throw new IOException("lost the election of cluster '" + cluster + "' while opening epoch " + epoch);
      }
    } catch (IOException | RuntimeException e) {
      election.close();
      throw e;
    }
    return self[0];
  }

  public MasterTerm term() {
    return term;
  }

  /** Leaves the election; a still-active term is revoked first, so nothing commits after the hand-over. */
  @Override
  public void close() {
    MasterTerm current = term;
    if (current != null) {
      current.revoke("the master is closing");
    }
    election.close();
  }
}
