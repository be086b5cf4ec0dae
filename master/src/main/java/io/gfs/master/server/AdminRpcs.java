package io.gfs.master.server;

import io.gfs.common.rpc.RpcErrors;
import io.gfs.master.state.ChunkHealth;
import io.gfs.thrift.gen.AdminAction;
import io.gfs.thrift.gen.BalancerStatus;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.DecommissionStatus;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.MasterService;
import io.gfs.thrift.gen.SafeModeStatus;

/**
 * The operator RPCs of the master service (issue 8: safe mode, balancer, decommission), kept apart from the file
 * system calls of {@link MasterHandler}, which extends this class. They answer through {@link MasterAdmin}, wired in
 * once the master is active; before that (or on a handler that only reads, like a shadow's) they answer NOT_MASTER.
 */
abstract class AdminRpcs implements MasterService.Iface {
  private volatile MasterAdmin admin;

  /** Wires the admin calls to an active master's services. */
  final void serveAdmin(MasterAdmin admin) {
    this.admin = admin;
  }

  /**
   * Sets a cluster status answer's chunk health counts from one sample: the under-replicated count always, and the
   * corrupt and missing counts of the operator's view once it is wired (an active master), so that
   * {@link MasterAdmin#decorate} need not take a second sample of the whole chunk table for them.
   */
  final void setChunkHealth(ClusterStatus status, ChunkHealth health) {
    status.setUnderReplicatedChunks(health.underReplicated());
    if (admin != null) {
      status.setCorruptChunks(health.corrupt());
      status.setMissingChunks(health.missing());
    }
  }

  /** Adds the operator's view to a cluster status answer, once wired (see {@link AdminFilter}). */
  final void decorate(ClusterStatus status) {
    MasterAdmin wired = admin;
    if (wired != null) {
      wired.decorate(status);
    }
  }

  /** A caller who changes the cluster must be the superuser (the handler checks it; nothing checks by default). */
  void checkOperator(String operation) {
  }

  @Override
  public SafeModeStatus safeMode(AdminAction action) throws GfsException {
    return HandlerGuard.call("safeMode", () -> {
      operator(action, "safeMode");
      return admin("safeMode").safeMode(action);
    });
  }

  @Override
  public BalancerStatus balancer(AdminAction action) throws GfsException {
    return HandlerGuard.call("balancer", () -> {
      operator(action, "balancer");
      return admin("balancer").balancer(action);
    });
  }

  @Override
  public DecommissionStatus decommission(String server, AdminAction action) throws GfsException {
    return HandlerGuard.call("decommission", () -> {
      operator(action, "decommission");
      return admin("decommission").decommission(server, action);
    });
  }

  private void operator(AdminAction action, String operation) {
    if (action != AdminAction.GET) {
      checkOperator(operation);
    }
  }

  private MasterAdmin admin(String operation) throws GfsException {
    MasterAdmin wired = admin;
    if (wired == null) {
      throw RpcErrors.error(ErrorCode.NOT_MASTER, "%s: admin calls go to the active master", operation);
    }
    return wired;
  }
}
