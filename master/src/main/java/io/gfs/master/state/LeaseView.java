package io.gfs.master.state;

import io.gfs.common.Check;
import io.gfs.common.HostPort;
import java.util.List;

/** A lease as the client gets it: who orders mutations, who follows, and for how much longer [0095-0096]. */
public record LeaseView(long chunkIndex, long handle, long version, HostPort primary, List<HostPort> secondaries,
    long leaseRemainingMillis) {
  public LeaseView {
    Check.notNull(primary, "primary");
    secondaries = List.copyOf(secondaries);
    Check.argument(!secondaries.contains(primary), "primary %s also listed as a secondary", primary);
  }
}
