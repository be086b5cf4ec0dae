package io.gfs.master.web;

import io.gfs.common.metrics.GfsMetrics;
import io.gfs.common.metrics.RpcMetrics;
import io.gfs.master.state.MasterState;
import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ClusterStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.function.Supplier;

/**
 * The master's /metrics (issue 8): RPC rates and latencies per method, op-log sync latency, and the cluster as the
 * master sees it (files, chunks, leases, chunkservers, capacity, replication queue, corrupt and missing chunks, safe
 * mode, a shadow's lag). Cluster values come from one getClusterStatus answer per scrape ({@link MasterView}), so a
 * scrape costs one pass over the chunk table, like the status page.
 */
final class MasterMetrics {
  private final GfsMetrics metrics = new GfsMetrics();
  private final RpcMetrics rpc = new RpcMetrics(metrics);
  private final Histogram opLogSync;
  private final Counter opLogRecords;

  MasterMetrics(MasterView view) {
    opLogSync = metrics.histogram("gfs_master_oplog_sync_duration_seconds", "Time of each fsync of the operation log"
        + " (one per group-committed batch).", GfsMetrics.LATENCY_BOUNDS_SECONDS);
    opLogRecords = metrics.counter("gfs_master_oplog_synced_records", "Operation log records made durable.");
    state(view::state);
    cluster(view::cachedStatus);
    metrics.gauge("gfs_master_epoch", "This master's fencing epoch (0 without election).", view::epoch);
    metrics.gauges("gfs_master_role", "1 for this master's role: active, standby, shadow or starting.",
        new String[] {"role"}, cb -> cb.call(1, view.role()));
  }

  private void state(Supplier<MasterState> state) {
    metrics.gauge("gfs_master_files", "Files in the namespace.", () -> of(state, s -> s.fileCount()));
    metrics.gauge("gfs_master_directories", "Directories in the namespace.",
        () -> of(state, s -> s.directoryCount()));
    metrics.gauge("gfs_master_chunks", "Chunks in the chunk table.", () -> of(state, s -> s.chunkCount()));
    metrics.gauge("gfs_master_leases", "Leases held by primaries now [0092].", () -> of(state, s -> s.leaseCount()));
    metrics.gauge("gfs_master_clones_in_flight", "Re-replication and rebalancing clones running now.",
        () -> of(state, s -> s.clonesInFlight()));
    metrics.gauge("gfs_master_chunk_lengths_unlogged", "Chunk lengths learned from reports and not logged yet: what"
        + " a crash now would leave the next master to learn again.", () -> of(state, s -> s.chunkLengthsUnlogged()));
  }

  private void cluster(Supplier<ClusterStatus> status) {
    metrics.gauge("gfs_master_chunkservers_live", "Chunkservers heartbeating.",
        () -> status(status, s -> s.getChunkServersSize()));
    metrics.gauge("gfs_master_capacity_bytes", "Capacity the live chunkservers report.",
        () -> status(status, s -> s.getChunkServers().stream().mapToLong(ChunkServerStatus::getCapacityBytes).sum()));
    metrics.gauge("gfs_master_used_bytes", "Bytes the live chunkservers report used.",
        () -> status(status, s -> s.getChunkServers().stream().mapToLong(ChunkServerStatus::getUsedBytes).sum()));
    metrics.gauge("gfs_master_under_replicated_chunks", "Chunks below their target replication: the re-replication"
        + " queue [0069].", () -> status(status, s -> s.getUnderReplicatedChunks()));
    metrics.gauge("gfs_master_corrupt_chunks", "Chunks with a replica reported corrupt [0127].",
        () -> status(status, s -> s.isSetCorruptChunks() ? s.getCorruptChunks() : Double.NaN));
    metrics.gauge("gfs_master_missing_chunks", "Chunks with no live current replica.",
        () -> status(status, s -> s.isSetMissingChunks() ? s.getMissingChunks() : Double.NaN));
    metrics.gauge("gfs_master_safe_mode", "1 while the master is in safe mode (mutations refused).",
        () -> status(status, s -> s.isSafeMode() ? 1 : 0));
    metrics.gauge("gfs_master_shadow_lag_seconds", "A shadow master's lag behind the active master's log [0123];"
        + " NaN on other masters.", () -> status(status, s -> s.isSetLogLagMillis() ? s.getLogLagMillis() / 1000.0
        : Double.NaN));
    metrics.gauge("gfs_master_log_sequence", "Sequence number of the last logged record.",
        () -> status(status, s -> s.getLastLogSequence()));
  }

  private static double of(Supplier<MasterState> state, java.util.function.ToDoubleFunction<MasterState> read) {
    MasterState s = state.get();
    return s == null ? Double.NaN : read.applyAsDouble(s);
  }

  private static double status(Supplier<ClusterStatus> status,
      java.util.function.ToDoubleFunction<ClusterStatus> read) {
    ClusterStatus s = status.get();
    return s == null ? Double.NaN : read.applyAsDouble(s);
  }

  void opLogSynced(int records, long nanos) {
    opLogSync.observe(nanos / 1e9);
    opLogRecords.inc(records);
  }

  RpcMetrics rpc() {
    return rpc;
  }

  GfsMetrics registry() {
    return metrics;
  }
}
