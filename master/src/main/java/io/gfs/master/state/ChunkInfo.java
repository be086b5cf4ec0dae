package io.gfs.master.state;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The master's record of one chunk. Mutable; guarded by {@link MasterState}'s chunk monitor. Its replicas are two
 * sorted parallel arrays (server ids, states) that are replaced whole on every change and usually shared with other
 * chunks ({@link ReplicaArrays}): about 190 bytes a chunk less than a map of per-replica objects (issue 6 [0044-0045]).
 */
final class ChunkInfo {
  /** What the master knows of one chunkserver's copy. Immutable, and shared between chunks when plain. */
  record Replica(long version, boolean corrupt, long confirmedAtMillis) {
    /** Never acknowledged an assignVersion since this master started (only reported). */
    static final long NEVER_CONFIRMED = Long.MIN_VALUE;
    /**
     * Acknowledged one more than the report grace ago: for the grace test ({@code now - confirmed >= grace}) the
     * same as the real time, which is then dropped so the state can be shared. Only set once {@code now >= grace}.
     */
    static final long CONFIRMED_LONG_AGO = 0;

    Replica withVersion(long value) {
      return new Replica(value, corrupt, confirmedAtMillis);
    }
  }

  final long handle;
  long version;
  long knownLengthBytes;
  int referenceCount;
  /** Sorted server ids of the replicas; only live servers (a dead server's replicas are dropped). Never written to. */
  private String[] replicaIds = ReplicaArrays.NO_IDS;
  /** The replicas' states, parallel to replicaIds. Never written to. */
  private Replica[] replicaStates = ReplicaArrays.NO_STATES;
  /** Servers that reported their copy corrupt and have not deleted it yet: never clone targets. Sorted. */
  private String[] corruptOn = ReplicaArrays.NO_IDS;
  /** A version bump is on its way to the replicas: lower-version reports are not stale yet. Not persisted. */
  boolean grantInProgress;
  /**
   * Some chunkserver held it (a grant confirmed it, or a report listed it) since this master started: a chunk that
   * had a replica is reported missing when it has none, never abandoned. Not persisted (see ChunkCoordinator).
   */
  boolean everHeld;
  /** Creation failed on every chosen server: no data can exist, so the next lease may place it afresh. */
  boolean allocationFailed;
  /** Its file is deleted but not purged yet: re-replicated after the chunks of live files [0070]. */
  boolean trashed;
  /** Replicas wanted: the replication of the file holding it. Follows the namespace; not persisted on its own. */
  int replicationTarget = 1;
  /** When a writer last asked for a lease on it while it was below target: re-replicated first for a while. */
  long clientWaitingAtMillis = Long.MIN_VALUE;

  ChunkInfo(long handle, long version) {
    this.handle = handle;
    this.version = version;
  }

  boolean isCurrent(Replica replica) {
    return replica.version() == version && !replica.corrupt();
  }

  /** The replicas by server id, in id order: a read-only snapshot (later changes replace the arrays behind it). */
  Map<String, Replica> replicas() {
    return new ReplicaMap(replicaIds, replicaStates);
  }

  /** The replica ids in order. The array is shared: callers must not write to it. */
  String[] replicaIds() {
    return replicaIds;
  }

  Replica replica(String serverId) {
    int i = Arrays.binarySearch(replicaIds, serverId);
    return i >= 0 ? replicaStates[i] : null;
  }

  /** Adds or replaces the server's replica state; true if the server was not a replica before. */
  boolean putReplica(String serverId, Replica state, ReplicaArrays shared) {
    int i = Arrays.binarySearch(replicaIds, serverId);
    Replica[] states;
    if (i >= 0) {
      states = replicaStates.clone();
      states[i] = state;
      replicaStates = shared.states(states);
      return false;
    }
    int at = -i - 1;
    int n = replicaIds.length;
    states = new Replica[n + 1];
    System.arraycopy(replicaStates, 0, states, 0, at);
    states[at] = state;
    System.arraycopy(replicaStates, at, states, at + 1, n - at);
    replicaIds = shared.ids(ReplicaArrays.with(replicaIds, serverId));
    replicaStates = shared.states(states);
    return true;
  }

  /** True if the server was a replica. */
  boolean removeReplica(String serverId, ReplicaArrays shared) {
    int i = Arrays.binarySearch(replicaIds, serverId);
    if (i < 0) {
      return false;
    }
    int n = replicaIds.length;
    Replica[] states = new Replica[n - 1];
    System.arraycopy(replicaStates, 0, states, 0, i);
    System.arraycopy(replicaStates, i + 1, states, i, n - i - 1);
    replicaIds = shared.ids(ReplicaArrays.without(replicaIds, serverId));
    replicaStates = shared.states(states);
    return true;
  }

  boolean isCorruptOn(String serverId) {
    return Arrays.binarySearch(corruptOn, serverId) >= 0;
  }

  void addCorruptOn(String serverId) {
    corruptOn = ReplicaArrays.with(corruptOn, serverId);
  }

  void removeCorruptOn(String serverId) {
    corruptOn = ReplicaArrays.without(corruptOn, serverId);
  }

  boolean hasCorruptCopies() {
    return corruptOn.length > 0;
  }

  /** The servers holding a copy reported corrupt, in id order. */
  List<String> corruptOn() {
    return List.of(corruptOn);
  }
}
