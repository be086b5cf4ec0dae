package io.gfs.master.state;

import java.util.Map;

/** The master's record of one chunk. Mutable; guarded by {@link MasterState}'s chunk monitor. */
final class ChunkInfo {
  /** What the master knows of one chunkserver's copy. */
  static final class Replica {
    long version;
    boolean corrupt;
    /** When assignVersion last succeeded on it (a full report built before that may not list it yet). */
    long confirmedAtMillis = Long.MIN_VALUE;

    Replica(long version) {
      this.version = version;
    }
  }

  final long handle;
  long version;
  long knownLengthBytes;
  int referenceCount;
  /** serverId to replica; only live servers (a dead server's replicas are dropped). Id order: stable. */
  final Map<String, Replica> replicas = new ReplicaMap();
  /** A version bump is on its way to the replicas: lower-version reports are not stale yet. Not persisted. */
  boolean grantInProgress;
  /**
   * Some chunkserver held it (a grant confirmed it, or a report listed it) since this master started: a chunk that
   * had a replica is reported missing when it has none, never abandoned. Not persisted (see ChunkCoordinator).
   */
  boolean everHeld;
  /** Creation failed on every chosen server: no data can exist, so the next lease may place it afresh. */
  boolean allocationFailed;
  /** Replicas wanted: the replication of the file holding it. Follows the namespace; not persisted on its own. */
  int replicationTarget = 1;
  /** Its file is deleted but not purged yet: re-replicated after the chunks of live files [0070]. */
  boolean trashed;
  /** Servers that reported their copy corrupt and have not deleted it yet: never clone targets for this chunk. */
  final java.util.Set<String> corruptOn = new ServerIdSet();
  /** When a writer last asked for a lease on it while it was below target: re-replicated first for a while. */
  long clientWaitingAtMillis = Long.MIN_VALUE;

  ChunkInfo(long handle, long version) {
    this.handle = handle;
    this.version = version;
  }

  boolean isCurrent(Replica replica) {
    return replica.version == version && !replica.corrupt;
  }
}
