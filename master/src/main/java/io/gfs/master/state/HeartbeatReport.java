package io.gfs.master.state;

import io.gfs.common.Check;
import io.gfs.common.HostPort;
import java.util.List;

/** One chunkserver heartbeat: who it is, its space, its FULL chunk report and its requests [0048, 0093]. */
public record HeartbeatReport(String serverId, HostPort address, String rack, long capacityBytes, long usedBytes,
    List<Replica> chunks, List<Long> leaseExtensionRequests, List<Long> corruptChunks) {
  /** One chunk the server holds. */
  public record Replica(long handle, long version, long lengthBytes) {}

  public HeartbeatReport {
    Check.notNull(address, "address");
    chunks = List.copyOf(chunks);
    leaseExtensionRequests = List.copyOf(leaseExtensionRequests);
    corruptChunks = List.copyOf(corruptChunks);
  }
}
