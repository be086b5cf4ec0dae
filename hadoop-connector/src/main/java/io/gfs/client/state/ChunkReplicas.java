package io.gfs.client.state;

import io.gfs.common.Check;
import io.gfs.common.HostPort;
import java.util.List;

/**
 * Where one chunk of a file lives, as the master told the client [0088]: its handle, the version the client expects
 * replicas to have at least, the length the master knows, and the chunkservers holding it.
 */
public record ChunkReplicas(long chunkIndex, long handle, long version, long lengthBytes, List<HostPort> replicas,
    byte[] accessToken) {
  /** Without an access token (a cluster with gfs.access.tokens.enabled=false). */
  public ChunkReplicas(long chunkIndex, long handle, long version, long lengthBytes, List<HostPort> replicas) {
    this(chunkIndex, handle, version, lengthBytes, replicas, null);
  }

  /** accessToken: the master's signed READ token for the chunk (issue 7), null when none; never changed. */
  public ChunkReplicas {
    Check.argument(chunkIndex >= 0, "chunk index %s < 0", chunkIndex);
    Check.argument(lengthBytes >= 0, "chunk length %s < 0", lengthBytes);
    replicas = List.copyOf(replicas);
  }
}
