package io.gfs.master.server;

import io.gfs.common.rpc.RpcClients;
import io.gfs.master.state.LeasePlan;
import io.gfs.master.state.LeaseView;
import io.gfs.master.state.LockTable;
import io.gfs.master.state.LogRecord;
import io.gfs.master.state.MasterState;
import io.gfs.thrift.gen.GfsException;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * acquireLease's version-bump protocol [0079-0080, 0092]: under the file's write lock, plan; if a grant is needed, send
 * assignVersion to every target in parallel, the first one with the lease duration (it becomes primary), then log the
 * new version before the client hears of the lease (a new chunk is logged before anyone is told). Targets that fail are left out; if the intended primary
 * failed, another that succeeded is made primary. The state then records who holds the version and the lease.
 */
final class LeaseGranter {
  /** Issue 7: signs the MASTER tokens of this class's orders (none until the server sets it). */
  private volatile MasterSecurity security = MasterSecurity.NONE;
  private static final Logger LOG = LoggerFactory.getLogger(LeaseGranter.class);

  private final MasterState state;
  private final Journal journal;
  private final RpcClients rpc;
  private final ExecutorService rpcPool;
  private final InstantSource clock;
  private final long leaseDurationMillis;
  private final SnapshotService snapshots;

  LeaseGranter(MasterState state, Journal journal, RpcClients rpc, ExecutorService rpcPool, InstantSource clock,
      long leaseDurationMillis) {
    this.state = state;
    this.journal = journal;
    this.rpc = rpc;
    this.rpcPool = rpcPool;
    this.clock = clock;
    this.leaseDurationMillis = leaseDurationMillis;
    this.snapshots = new SnapshotService(state, journal, rpc, rpcPool, clock);
  }

  /** Snapshots share this granter's RPC pool: their lease revocations and local copies are grant-like RPCs. */
  /** Issue 7 hook: the master's orders carry a MASTER access token signed by the current key. */
  void secure(MasterSecurity security) {
    this.security = security;
    snapshots.secure(security);
  }

  SnapshotService snapshots() {
    return snapshots;
  }

  LeaseView acquire(String path, long chunkIndex) throws IOException, GfsException {
    try (LockTable.Held locks = state.lockWrite(path)) {
      LeasePlan plan = state.planLease(path, chunkIndex, clock.millis());
      while (plan instanceof LeasePlan.Abandon abandon) {
        // A last chunk logged but never created anywhere (the master died in between): drop it, allocate afresh.
        LOG.warn("abandoning chunk {} (handle {}) of {}: logged but never held by any chunkserver",
            abandon.chunkIndex(), abandon.handle(), path);
        journal.commit(abandon.record());
        plan = state.planLease(path, chunkIndex, clock.millis());
      }
      if (plan instanceof LeasePlan.CopyOnWrite copy) {
        snapshots.copyOnWrite(copy); // a chunk shared with a snapshot: copy it locally first [0116]
        plan = state.planLease(path, chunkIndex, clock.millis());
      }
      if (plan instanceof LeasePlan.Existing existing) {
        return existing.lease();
      }
      LeasePlan.Grant grant = (LeasePlan.Grant) plan;
      List<String> succeeded = new ArrayList<>();
      if (grant.record() instanceof LogRecord.AddChunk) {
        // A new chunk: its handle must be in the log before any chunkserver holds it (no data can exist yet).
        commitOrAbort(grant);
        String primary = assign(grant, succeeded);
        return state.completeGrant(grant, succeeded, primary, clock.millis());
      }
      // A version bump: the replicas first, then the log [0079-0080], as the seed orders it. A master that dies in
      // between left replicas AHEAD of its log, which the next master adopts from their reports; logging first would
      // leave the log ahead of every replica and the next master would call all of them stale (found by
      // HaFailoverProcessIT: NO_CHUNKSERVERS for good after a kill). No client hears of the lease before the log.
      String primary = assign(grant, succeeded);
      if (primary != null) {
        commitOrAbort(grant);
      }
      return state.completeGrant(grant, succeeded, primary, clock.millis());
    }
  }

  private void commitOrAbort(LeasePlan.Grant grant) throws IOException {
    boolean logged = false;
    try {
      journal.commit(grant.record());
      logged = true;
    } finally {
      if (!logged) {
        state.abortGrant(grant);
      }
    }
  }

  /** Tells every target its new version; returns the primary's id (or null) and fills succeeded. */
  private String assign(LeasePlan.Grant grant, List<String> succeeded) {
    List<CompletableFuture<Boolean>> calls = new ArrayList<>();
    for (int i = 0; i < grant.targets().size(); i++) {
      LeasePlan.Target target = grant.targets().get(i);
      long duration = i == 0 ? leaseDurationMillis : 0;
      calls.add(CompletableFuture.supplyAsync(() -> assignVersion(grant, target, duration), rpcPool));
    }
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).join()) {
        succeeded.add(grant.targets().get(i).serverId());
      }
    }
    String intended = grant.targets().get(0).serverId();
    if (succeeded.contains(intended)) {
      return intended;
    }
    for (LeasePlan.Target target : grant.targets()) {
      if (succeeded.contains(target.serverId()) && assignVersion(grant, target, leaseDurationMillis)) {
        return target.serverId();
      }
    }
    return null;
  }

  private boolean assignVersion(LeasePlan.Grant grant, LeasePlan.Target target, long durationMillis) {
    try {
      rpc.chunkServer(target.address(), c -> {
        // HA hook (issue 4): the term's epoch fences this grant off once a newer master spoke to the chunkserver.
        c.assignVersion(grant.handle(), grant.version(), grant.create(), durationMillis, journal.term().epoch(),
            security.masterToken(grant.handle()));
        return null;
      });
      return true;
    } catch (GfsException e) {
      LOG.warn("assignVersion(chunk {}, version {}) refused by {}: {} {}", grant.handle(), grant.version(),
          target.address(), e.getCode(), e.getMessage());
      return false;
    } catch (TException | RuntimeException e) {
      LOG.warn("assignVersion(chunk {}, version {}) to {} failed: {}", grant.handle(), grant.version(),
          target.address(), e.toString());
      rpc.forget(target.address());
      return false;
    }
  }
}
