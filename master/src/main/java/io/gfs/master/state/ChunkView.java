package io.gfs.master.state;

import io.gfs.common.HostPort;
import java.util.List;

/** One chunk of a file for a reader: handle, version, known length and the live current replicas [0088]. */
public record ChunkView(long chunkIndex, long handle, long version, long lengthBytes, List<HostPort> replicas) {
  public ChunkView {
    replicas = List.copyOf(replicas);
  }
}
