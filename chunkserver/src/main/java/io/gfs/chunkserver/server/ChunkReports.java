package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.state.ReplicaView;
import io.gfs.chunkserver.store.ChunkStore;
import io.gfs.chunkserver.store.NoSuchChunkException;
import io.gfs.thrift.gen.ChunkReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What this chunkserver holds, as its reports say it [0048]: every uncorrupted replica with version and length, the
 * corrupt ones apart, and the space. Heartbeats to the master and reports to shadow masters are built from it.
 */
final class ChunkReports {
  /** One look at the replicas and the disk. */
  record Snapshot(List<ChunkReport> chunks, List<Long> corruptChunks, long capacityBytes, long usedBytes) {}

  private final ChunkServerState state;
  private final ChunkStore store;
  private final long capacityBytesConfigured;

  ChunkReports(ChunkServerState state, ChunkStore store, long capacityBytesConfigured) {
    this.state = state;
    this.store = store;
    this.capacityBytesConfigured = capacityBytesConfigured;
  }

  Snapshot snapshot() throws IOException {
    List<ChunkReport> chunks = new ArrayList<>();
    List<Long> corrupt = new ArrayList<>();
    for (ReplicaView replica : state.replicas()) {
      if (replica.corrupt()) {
        corrupt.add(replica.handle());
        continue;
      }
      try {
        chunks.add(new ChunkReport(replica.handle(), replica.version(), store.lengthBytes(replica.handle())));
      } catch (NoSuchChunkException e) {
        // deleted since the snapshot; the next report simply leaves it out
      }
    }
    long usedBytes = store.usedBytes();
    long capacityBytes = capacityBytesConfigured > 0 ? capacityBytesConfigured : store.availableBytes() + usedBytes;
    return new Snapshot(chunks, corrupt, capacityBytes, usedBytes);
  }
}
