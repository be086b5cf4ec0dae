package io.gfs.master.state;

import io.gfs.common.Check;
import io.gfs.common.HostPort;

/**
 * A chunkserver's decommission as the master sees it: chunkCount replicas held, chunksRemaining of them not yet at
 * their target replication without this server. Drained once draining and nothing remains: stopping it then loses
 * no replica a chunk needs.
 */
public record DrainProgress(String serverId, HostPort address, boolean draining, boolean live, int chunkCount,
    int chunksRemaining) {
  public DrainProgress {
    Check.notNull(serverId, "serverId");
    Check.notNull(address, "address");
    Check.argument(chunksRemaining >= 0 && chunksRemaining <= chunkCount, "remaining %s of %s chunks",
        chunksRemaining, chunkCount);
  }

  public boolean drained() {
    return draining && chunksRemaining == 0;
  }

  /** "decommissioned", "decommissioning" or "in-service". */
  public String stateName() {
    return !draining ? "in-service" : drained() ? "decommissioned" : "decommissioning";
  }
}
