package io.gfs.hadoop;

import io.gfs.client.state.ChunkMath;
import io.gfs.client.state.ChunkReplicas;
import io.gfs.common.HostPort;
import java.util.List;
import org.apache.hadoop.fs.BlockLocation;

/** Chunks as Hadoop block locations: one per chunk, at the chunk's file offset, hosts from its replicas. */
final class BlockLocations {
  private BlockLocations() {}

  static BlockLocation[] of(List<ChunkReplicas> chunks, long chunkSizeBytes, long fileLengthBytes) {
    BlockLocation[] out = new BlockLocation[chunks.size()];
    for (int i = 0; i < out.length; i++) {
      ChunkReplicas chunk = chunks.get(i);
      List<HostPort> replicas = chunk.replicas();
      String[] names = new String[replicas.size()];
      String[] hosts = new String[replicas.size()];
      for (int r = 0; r < names.length; r++) {
        names[r] = replicas.get(r).toString();
        hosts[r] = replicas.get(r).host();
      }
      long offset = ChunkMath.chunkStart(chunk.chunkIndex(), chunkSizeBytes);
      long length = ChunkMath.bytesInChunk(chunk.chunkIndex(), chunkSizeBytes, fileLengthBytes);
      out[i] = new BlockLocation(names, hosts, offset, length);
    }
    return out;
  }
}
