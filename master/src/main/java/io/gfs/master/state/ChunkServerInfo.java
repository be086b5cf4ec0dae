package io.gfs.master.state;

import io.gfs.common.Check;
import io.gfs.common.HostPort;

/** What the master knows of one live chunkserver, from its last heartbeat. */
public record ChunkServerInfo(String serverId, HostPort address, String rack, long capacityBytes, long usedBytes,
    long lastHeartbeatMillis) {
  public ChunkServerInfo {
    Check.argument(serverId != null && !serverId.isEmpty(), "empty server id");
    Check.notNull(address, "address");
    Check.notNull(rack, "rack");
    Check.argument(capacityBytes >= 0 && usedBytes >= 0, "negative capacity %s or used %s", capacityBytes,
        usedBytes);
  }

  /** Fraction of capacity in use; a server offering nothing counts as full. */
  public double utilization() {
    return capacityBytes <= 0 ? 1.0 : Math.min(1.0, (double) usedBytes / capacityBytes);
  }
}
