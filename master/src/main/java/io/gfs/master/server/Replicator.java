package io.gfs.master.server;

import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.master.state.ClonePlan;
import io.gfs.master.state.MasterState;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import io.gfs.master.state.LeasePlan;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out re-replication [0069-0072]: each scan asks the state for clones (it ranks and limits them), sends each
 * to its target chunkserver as copyChunkFrom(handle, version, source) on a pool as large as the clone limit, and
 * reports every outcome back. The chunkserver checks the version and the data end to end and throttles the copy;
 * the master only decides who copies what. A scan runs on the timer, and again as soon as a clone ends or a primary
 * confirms it stopped writing a chunk to be cloned, so the next clone starts when a slot frees rather than on the next
 * tick. Each clone start is logged as "clone #n of chunk h ..." in start order (tests read the order from it).
 */
final class Replicator {
  /** Issue 7: signs the MASTER tokens of this class's orders (none until the server sets it). */
  private volatile MasterSecurity security = MasterSecurity.NONE;
  private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);

  private final MasterState state;
  private final RpcClients rpc;
  private final ExecutorService clonePool;
  private final InstantSource clock;
  private final int clonesMax;
  private final int clonesPerServerMax;
  private final long notBeforeMillis;
  /** HA hook (issue 4): clones carry this epoch, so a deposed master's clone orders are refused (STALE_EPOCH). */
  private volatile long epoch;
  /** A follow-up scan is queued on the pool (so a burst of completions makes one scan, not one each). */
  private final AtomicBoolean scanQueued = new AtomicBoolean();
  /** Clones started, numbering the start log lines. */
  private final AtomicLong started = new AtomicLong();

  /**
   * startupGraceMillis: no clones until then, so that chunkservers still registering after a master start do not
   * look like lost replicas (every live one heartbeats within that time).
   */
  Replicator(MasterState state, RpcClients rpc, ExecutorService clonePool, InstantSource clock, int clonesMax,
      int clonesPerServerMax, long startupGraceMillis) {
    this.state = state;
    this.rpc = rpc;
    this.clonePool = clonePool;
    this.clock = clock;
    this.clonesMax = clonesMax;
    this.clonesPerServerMax = clonesPerServerMax;
    this.notBeforeMillis = clock.millis() + startupGraceMillis;
  }

  /** HA hook: the term's fencing epoch; set before the timers start. */
  void serveInEpoch(long epoch) {
    this.epoch = epoch;
  }

  /** One scan: plans clones and starts them; returns how many started. */
  int scan() {
    if (clock.millis() < notBeforeMillis) {
      return 0;
    }
    List<ClonePlan> clones = state.planReplication(clock.millis(), clonesMax, clonesPerServerMax);
    for (ClonePlan clone : clones) {
      LOG.info("clone #{} of chunk {} v{} from {} to {} ({})", started.incrementAndGet(), clone.handle(),
          clone.version(), clone.source(), clone.target(),
          clone.missingReplicas() > 0 ? clone.missingReplicas() + " replicas missing" : "rebalancing move");
      try {
        clonePool.execute(() -> run(clone));
      } catch (RejectedExecutionException closing) {
        state.completeClone(clone, false, clock.millis());
      }
    }
    for (LeasePlan.Revoked lease : state.takeLeasesToStop()) {
      try {
        clonePool.execute(() -> stop(lease));
      } catch (RejectedExecutionException closing) {
        state.leaseStopped(lease.handle(), lease.version(), false);
      }
    }
    return clones.size();
  }

  /** Queues one scan on the pool unless one is queued already: a slot freed, or a chunk became clonable. */
  private void scanSoon() {
    if (scanQueued.compareAndSet(false, true)) {
      try {
        clonePool.execute(() -> {
          scanQueued.set(false);
          try {
            scan();
          } catch (RuntimeException e) {
            LOG.error("re-replication scan failed", e);
          }
        });
      } catch (RejectedExecutionException closing) {
        scanQueued.set(false);
      }
    }
  }

  /**
   * Tells the primary of a chunk about to be cloned to drop its lease: assignVersion at the same version with lease 0
   * takes the chunk's mutation lock, so once it returns no mutation is under way and none follows at that version.
   */
  private void stop(LeasePlan.Revoked lease) {
    boolean stopped = false;
    try {
      rpc.chunkServer(lease.primary(), c -> {
        c.assignVersion(lease.handle(), lease.version(), false, 0, epoch, security.masterToken(lease.handle()));
        return null;
      });
      stopped = true;
    } catch (GfsException e) {
      // Its copy is corrupt (a corrupt primary serves no mutation), gone, or at a newer version: nothing writes the
      // chunk at this version there any more. Anything else: wait the lease out.
      stopped = e.getCode() == ErrorCode.CHECKSUM_MISMATCH || e.getCode() == ErrorCode.UNKNOWN_CHUNK
          || e.getCode() == ErrorCode.STALE_VERSION;
      if (!stopped) {
        LOG.warn("primary {} refused to stop its lease on chunk {} for its repair: {} {}; waiting for it to expire",
            lease.primary(), lease.handle(), e.getCode(), e.getMessage());
      }
    } catch (TException | RuntimeException e) {
      LOG.warn("could not stop the lease on chunk {} at {} for its repair ({}); waiting for it to expire",
          lease.handle(), lease.primary(), e.toString());
      rpc.forget(lease.primary());
    } finally {
      state.leaseStopped(lease.handle(), lease.version(), stopped);
      scanSoon();
    }
  }

  private void run(ClonePlan clone) {
    boolean succeeded = false;
    try {
      rpc.chunkServer(clone.target(), c -> {
        c.copyChunkFrom(clone.handle(), clone.version(), RpcErrors.toThrift(clone.source()), epoch,
            security.masterToken(clone.handle())); // the target reads the source with it
        return null;
      });
      succeeded = true;
    } catch (GfsException e) {
      LOG.warn("clone of chunk {} v{} from {} to {} refused: {} {}", clone.handle(), clone.version(), clone.source(),
          clone.target(), e.getCode(), e.getMessage());
      if (e.getCode() == ErrorCode.IO_ERROR) {
        state.chunkServerUnreachable(clone.sourceId(), clock.millis()); // the target could not read the source
      }
    } catch (TException | RuntimeException e) {
      LOG.warn("clone of chunk {} v{} from {} to {} failed: {}", clone.handle(), clone.version(), clone.source(),
          clone.target(), e.toString());
      rpc.forget(clone.target());
      state.chunkServerUnreachable(clone.targetId(), clock.millis()); // not again until it heartbeats
    } finally {
      boolean gained = state.completeClone(clone, succeeded, clock.millis());
      if (gained) {
        LOG.info("chunk {} v{} re-replicated from {} to {} ({} replicas were missing)", clone.handle(),
            clone.version(), clone.source(), clone.target(), clone.missingReplicas());
      }
      // Completion-driven: a repair's freed slot goes to the next repair now. Not after a failure (a refusal would be
      // planned again at once, thousands of times a second) nor after a rebalancing move (utilisation is known
      // from heartbeats: moves planned before the next one would see stale figures and oscillate); those wait for
      // the periodic scan.
      if (succeeded && clone.missingReplicas() > 0) {
        scanSoon();
      }
    }
  }

  /** Issue 7 hook: the master's orders carry a MASTER access token signed by the current key. */
  void secure(MasterSecurity security) {
    this.security = security;
  }

}
