package io.gfs.master.server;

import io.gfs.common.Check;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.master.state.BalanceReport;
import io.gfs.master.state.ChunkHealth;
import io.gfs.master.state.ClusterOperations;
import io.gfs.master.state.DrainProgress;
import io.gfs.master.state.MasterState;
import io.gfs.thrift.gen.AdminAction;
import io.gfs.thrift.gen.BalancerStatus;
import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.DecommissionStatus;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.SafeModeStatus;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the admin RPCs do on an active master (issue 8): safe mode, the balancer switch, decommissioning chunkservers,
 * and the operator's additions to the cluster status (corrupt and missing chunks, each server's service state). The
 * decisions live in the state ({@link ClusterOperations}); this class reads the clock, logs what operators did and
 * starts a re-replication scan at once when a drain begins.
 */
final class MasterAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(MasterAdmin.class);

  private final MasterState state;
  private final SafeMode safeMode;
  private final Replicator replicator;
  private final InstantSource clock;

  MasterAdmin(MasterState state, SafeMode safeMode, Replicator replicator, InstantSource clock) {
    this.state = Check.notNull(state, "state");
    this.safeMode = Check.notNull(safeMode, "safeMode");
    this.replicator = Check.notNull(replicator, "replicator");
    this.clock = Check.notNull(clock, "clock");
  }

  SafeModeStatus safeMode(AdminAction action) {
    switch (checked(action)) {
      case START -> {
        if (!safeMode.on()) {
          LOG.warn("safe mode entered by an operator: namespace mutations are refused");
        }
        safeMode.enter();
      }
      case STOP -> {
        if (safeMode.on()) {
          LOG.warn("safe mode left by an operator");
        }
        safeMode.leave();
      }
      default -> { }
    }
    return new SafeModeStatus(safeMode.on(), safeMode.on() ? "entered by an operator" : "off");
  }

  BalancerStatus balancer(AdminAction action) {
    ClusterOperations ops = state.operations();
    switch (checked(action)) {
      case START -> {
        ops.setBalancerEnabled(true);
        LOG.info("balancer enabled by an operator");
        replicator.scan();
      }
      case STOP -> {
        ops.setBalancerEnabled(false);
        LOG.info("balancer disabled by an operator (moves in flight finish)");
      }
      default -> { }
    }
    BalanceReport r = ops.balanceReport(clock.millis());
    return new BalancerStatus(r.enabled(), r.utilizationSpread(), r.threshold(), r.movesInFlight(), r.balanced());
  }

  DecommissionStatus decommission(String server, AdminAction action) throws GfsException {
    ClusterOperations ops = state.operations();
    String serverId = ops.findServer(Check.notNull(server, "server")).orElseThrow(() -> RpcErrors.error(
        ErrorCode.NOT_FOUND, "no chunkserver '%s' (give its server id or host:port as 'gfs admin report' lists it)",
        server));
    switch (checked(action)) {
      case START -> {
        ops.startDrain(serverId);
        LOG.warn("decommissioning chunkserver {} ({}): no new replicas there, its chunks are copied elsewhere",
            serverId, server);
        replicator.scan(); // start copying now rather than on the next scan
      }
      case STOP -> {
        if (ops.stopDrain(serverId)) {
          LOG.warn("chunkserver {} back in service (decommission stopped)", serverId);
        }
      }
      default -> { }
    }
    return status(ops.drainProgress(serverId, clock.millis()));
  }

  /**
   * The operator's view added to getClusterStatus's answer. The handler sets the chunk health counts from its one
   * sample ({@link AdminRpcs#setChunkHealth}); only an answer without them (made before this view was wired) takes one.
   */
  void decorate(ClusterStatus status) {
    long now = clock.millis();
    ClusterOperations ops = state.operations();
    if (!status.isSetCorruptChunks()) {
      ChunkHealth health = ops.chunkHealth(now);
      status.setCorruptChunks(health.corrupt());
      status.setMissingChunks(health.missing());
      status.setUnderReplicatedChunks(health.underReplicated());
    }
    status.setSafeMode(safeMode.on());
    status.setBalancerEnabled(ops.balanceReport(now).enabled());
    if (status.getChunkServers() != null) {
      for (ChunkServerStatus server : status.getChunkServers()) {
        server.setState(ops.isDraining(server.getServerId())
            ? ops.drainProgress(server.getServerId(), now).stateName() : "in-service");
      }
    }
  }

  private static DecommissionStatus status(DrainProgress p) {
    return new DecommissionStatus(p.serverId(), RpcErrors.toThrift(p.address()), p.stateName(), p.live(),
        p.chunkCount(), p.chunksRemaining());
  }

  private static AdminAction checked(AdminAction action) {
    Check.argument(action != null, "no admin action");
    return action;
  }
}
