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

  /**
   * The file's last chunk was logged but never held by any chunkserver (see {@link LogRecord.AbandonChunk}): log the
   * record, then plan again (the chunk index now allocates a new chunk).
   */
  record Abandon(long chunkIndex, long handle, LogRecord.AbandonChunk record) implements LeasePlan {}

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

  /**
   * The chunk is shared with a snapshot [0116]: before any lease, every target (a live current replica of sourceHandle)
   * copies it locally to newHandle at version (copyChunkLocal); then record is logged, the outcome reported with
   * {@link MasterState#completeCopy}, and acquireLease plans again (now on newHandle, a chunk of this file alone).
   */
  record CopyOnWrite(long chunkIndex, long sourceHandle, long newHandle, long version, LogRecord.CopyOnWrite record,
      List<Target> targets) implements LeasePlan {
    public CopyOnWrite {
      Check.argument(!targets.isEmpty(), "a copy needs targets");
      targets = List.copyOf(targets);
    }
  }

  /** A lease revoked before a snapshot: its primary is told to drop it, or the master waits until expiryMillis. */
  record Revoked(long handle, long version, HostPort primary, long expiryMillis) {}
}
