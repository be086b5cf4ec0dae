package io.gfs.master.state;

import io.gfs.common.Check;
import io.gfs.common.HostPort;
import java.util.List;

/**
 * What acquireLease must do. Either a valid lease already exists, or a grant is needed: log the record (ADD_CHUNK for
 * a new chunk, SET_VERSION for a version bump) BEFORE any chunkserver hears the version, then tell every target its new
 * version, make one of them primary, and report the outcome with {@link MasterState#completeGrant} (or
 * {@link MasterState#abortGrant} when logging failed).
 */
public sealed interface LeasePlan {
  record Existing(LeaseView lease) implements LeasePlan {}

  /** A chunkserver the grant goes to. */
  record Target(String serverId, HostPort address) {}

  /** create: the targets create the chunk (a new chunk, or one whose creation failed everywhere). */
  record Grant(long chunkIndex, long handle, long version, boolean create, LogRecord record, List<Target> targets)
      implements LeasePlan {
    public Grant {
      Check.argument(!targets.isEmpty(), "a grant needs targets");
      targets = List.copyOf(targets);
    }
  }
}
