package io.gfs.chunkserver.web;

import io.gfs.common.metrics.GfsMetrics;
import io.gfs.common.metrics.RpcMetrics;
import java.util.function.Supplier;

/**
 * A chunkserver's /metrics (issue 8): RPC rates and latencies per method, bytes read from and written to its chunks,
 * checksum failures and disk errors, chunks held, capacity, leases, scrubber progress and heartbeats. Totals the
 * server keeps anyway are read at scrape time.
 */
final class ChunkServerMetrics {
  private final GfsMetrics metrics = new GfsMetrics();
  private final RpcMetrics rpc = new RpcMetrics(metrics);

  /** Vitals are reused this long: one scrape reads a dozen of them, each a pass over the replicas held. */
  static final long VITALS_REUSE_MILLIS = 1000;

  ChunkServerMetrics(MeteredChunkStore store, Supplier<ChunkServerVitals> live) {
    Supplier<ChunkServerVitals> vitals = reused(live);
    metrics.counterGauge("gfs_chunkserver_read_bytes", "Bytes read from chunks: client reads and the reads of other"
        + " chunkservers cloning a chunk from this one.",
        store::readBytes);
    metrics.counterGauge("gfs_chunkserver_written_bytes", "Bytes mutations wrote to chunks, on primaries and"
        + " secondaries alike (record-append padding and clone copies not counted).", store::writtenBytes);
    metrics.counterGauge("gfs_chunkserver_checksum_failures", "Checksum mismatches found by reads, overwrites and the"
        + " scrubber [0127].", store::checksumFailures);
    metrics.counterGauge("gfs_chunkserver_disk_errors", "Store operations the disk or file system failed.",
        store::ioErrors);
    metrics.gauge("gfs_chunkserver_chunks", "Replicas held, corrupt ones included.", () -> vitals.get().chunkCount());
    metrics.gauge("gfs_chunkserver_corrupt_chunks", "Replicas that failed verification and wait for deletion.",
        () -> vitals.get().corruptCount());
    metrics.gauge("gfs_chunkserver_capacity_bytes", "Capacity reported to the master.",
        () -> vitals.get().capacityBytes());
    metrics.gauge("gfs_chunkserver_used_bytes", "Bytes the chunks take (data and checksums).",
        () -> vitals.get().usedBytes());
    metrics.gauge("gfs_chunkserver_primary_leases", "Chunks this server is primary for now [0092].",
        () -> vitals.get().primaryLeases());
    metrics.gauge("gfs_chunkserver_push_buffer_bytes", "Pushed data waiting in the push buffer [0097].",
        () -> vitals.get().pushBufferBytes());
    metrics.counterGauge("gfs_chunkserver_heartbeats", "Heartbeats the master acknowledged.",
        () -> vitals.get().heartbeatsSent());
    metrics.counterGauge("gfs_chunkserver_scrub_verified_chunks", "Chunks the scrubber verified [0131].",
        () -> vitals.get().scrubbedChunks());
    metrics.counterGauge("gfs_chunkserver_scrub_verified_bytes", "Bytes the scrubber verified.",
        () -> vitals.get().scrubbedBytes());
    metrics.counterGauge("gfs_chunkserver_scrub_corrupt_found", "Corrupt replicas the scrubber found.",
        () -> vitals.get().scrubCorruptFound());
  }

  private static Supplier<ChunkServerVitals> reused(Supplier<ChunkServerVitals> live) {
    Object lock = new Object();
    ChunkServerVitals[] last = new ChunkServerVitals[1];
    long[] takenAtNanos = new long[1];
    return () -> {
      synchronized (lock) {
        long now = System.nanoTime();
        if (last[0] == null || now - takenAtNanos[0] > VITALS_REUSE_MILLIS * 1_000_000) {
          last[0] = live.get();
          takenAtNanos[0] = now;
        }
        return last[0];
      }
    };
  }

    RpcMetrics rpc() {
    return rpc;
  }

  GfsMetrics registry() {
    return metrics;
  }
}
