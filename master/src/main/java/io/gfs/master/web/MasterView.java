package io.gfs.master.web;

import io.gfs.common.rpc.DiagnosticLog;
import io.gfs.common.rpc.RpcEvent;
import io.gfs.master.state.MasterState;
import io.gfs.thrift.gen.ClusterStatus;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the master's pages and metrics read, as the master comes up: nothing while it starts, its recovered state as a
 * standby, and its own getClusterStatus answer (the same one operators and test clusters get, with the admin view and
 * a shadow's lag) once it serves. Each field is set once by the master's start-up thread and read by page threads.
 */
final class MasterView {
  /** A status answer is reused this long: a page and a scrape at once pay for one chunk-table pass. */
  static final long STATUS_REUSE_MILLIS = 1000;

  private final String clusterName;
  private volatile String role = "starting";
  private volatile long epoch;
  private volatile MasterState state;
  private volatile Supplier<ClusterStatus> status;
  private volatile DiagnosticLog diagnostics;
  private volatile String rpcAddress;
  private ClusterStatus cached;
  private long cachedAtNanos;

  MasterView(String clusterName) {
    this.clusterName = clusterName;
  }

  void recovered(MasterState recovered, String roleNow) {
    this.state = recovered;
    this.role = roleNow;
  }

  void serving(String roleNow, long epochNow, String address, Supplier<ClusterStatus> statusSource,
      DiagnosticLog log) {
    this.epoch = epochNow;
    this.rpcAddress = address;
    this.status = statusSource;
    this.diagnostics = log;
    this.role = roleNow;
  }

  String clusterName() {
    return clusterName;
  }

  String role() {
    return role;
  }

  long epoch() {
    return epoch;
  }

  MasterState state() {
    return state;
  }

  String rpcAddress() {
    return rpcAddress;
  }

  /** getClusterStatus as it answers now (at most {@link #STATUS_REUSE_MILLIS} old), or null before it serves. */
  synchronized ClusterStatus cachedStatus() {
    Supplier<ClusterStatus> source = status;
    if (source == null) {
      return null;
    }
    long now = System.nanoTime();
    if (cached == null || now - cachedAtNanos > STATUS_REUSE_MILLIS * 1_000_000) {
      try {
        cached = source.get();
      } catch (RuntimeException e) {
        return null; // stepping down or closing: the page shows what it can without it
      }
      cachedAtNanos = now;
    }
    return cached.deepCopy();
  }

  List<RpcEvent> recentEvents() {
    DiagnosticLog log = diagnostics;
    return log == null ? List.of() : log.recentEvents();
  }
}
