package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The master's record of one chunk: a view of its row in {@link ChunkIndex} (the table keeps no object per chunk,
 * issue 6 [0044-0045]). Views are made per lookup and meant to be short-lived; one stays valid while its chunk is in
 * the table (it finds its row again after rows moved) and still reads a removed chunk's last values until the row is
 * reused. Guarded by {@link MasterState}'s chunk monitor, like the index.
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

  private final ChunkIndex index;
  final long handle;
  private int row;

  ChunkInfo(ChunkIndex index, long handle, int row) {
    this.index = index;
    this.handle = handle;
    this.row = row;
  }

  private int row() {
    int found = index.rowOf(handle, row);
    Check.state(found >= 0, "chunk %s is no longer in the table", handle);
    row = found;
    return found;
  }

  long version() {
    return index.version(row());
  }

  void version(long value) {
    index.version(row(), value);
  }

  long knownLengthBytes() {
    return index.length(row());
  }

  void knownLengthBytes(long value) {
    index.length(row(), value);
  }

  int referenceCount() {
    return index.references(row());
  }

  void referenceCount(int value) {
    index.references(row(), value);
  }

  /** Replicas wanted: the replication of the file holding it. Follows the namespace; not persisted on its own. */
  int replicationTarget() {
    return index.target(row());
  }

  void replicationTarget(int value) {
    index.target(row(), value);
  }

  /** A version bump is on its way to the replicas: lower-version reports are not stale yet. Not persisted. */
  boolean grantInProgress() {
    return index.flag(row(), ChunkIndex.GRANT_IN_PROGRESS);
  }

  void grantInProgress(boolean value) {
    index.flag(row(), ChunkIndex.GRANT_IN_PROGRESS, value);
  }

  /**
   * Some chunkserver held it (a grant confirmed it, or a report listed it) since this master started: a chunk that
   * had a replica is reported missing when it has none, never abandoned. Not persisted (see ChunkCoordinator).
   */
  boolean everHeld() {
    return index.flag(row(), ChunkIndex.EVER_HELD);
  }

  void everHeld(boolean value) {
    index.flag(row(), ChunkIndex.EVER_HELD, value);
  }

  /**
   * Its known length covers every acknowledged byte: a replica at the current version reported it to this master in
   * a heartbeat, or this master allocated the chunk, empty, or the log says it is a whole chunk. (A primary's report
   * after a group of record appends does not count: it gives the end of the group's last record, without a pad that
   * may follow.) Not persisted: the log keeps only a floor of each length (LogRecord.ChunkLengths), which may lie
   * short of the last acknowledged bytes, so after a restart or a takeover a lookup that would show a length not
   * reported yet is answered BUSY (see ChunkCoordinator#reportedLengthBytes). Never cleared.
   */
  boolean lengthReported() {
    return index.flag(row(), ChunkIndex.LENGTH_REPORTED);
  }

  void lengthReported(boolean value) {
    index.flag(row(), ChunkIndex.LENGTH_REPORTED, value);
  }

  /** Its known length is in the log or a checkpoint; cleared when the length grows past it. */
  boolean lengthLogged() {
    return index.flag(row(), ChunkIndex.LENGTH_LOGGED);
  }

  void lengthLogged(boolean value) {
    index.flag(row(), ChunkIndex.LENGTH_LOGGED, value);
  }

  /** Waiting in the chunk table's queue of lengths to log. */
  boolean lengthQueued() {
    return index.flag(row(), ChunkIndex.LENGTH_QUEUED);
  }

  void lengthQueued(boolean value) {
    index.flag(row(), ChunkIndex.LENGTH_QUEUED, value);
  }

  /** Creation failed on every chosen server: no data can exist, so the next lease may place it afresh. */
  boolean allocationFailed() {
    return index.flag(row(), ChunkIndex.ALLOCATION_FAILED);
  }

  void allocationFailed(boolean value) {
    index.flag(row(), ChunkIndex.ALLOCATION_FAILED, value);
  }

  /** Its file is deleted but not purged yet: re-replicated after the chunks of live files [0070]. */
  boolean trashed() {
    return index.flag(row(), ChunkIndex.TRASHED);
  }

  void trashed(boolean value) {
    index.flag(row(), ChunkIndex.TRASHED, value);
  }

  /** When a writer last asked for a lease on it while it was below target: re-replicated first for a while. */
  long clientWaitingAtMillis() {
    return index.clientWaitingAtMillis(handle);
  }

  void clientWaitingAtMillis(long value) {
    index.clientWaitingAtMillis(handle, value);
  }

  boolean isCurrent(Replica replica) {
    return replica.version() == version() && !replica.corrupt();
  }

  /** The replicas by server id, in id order: a read-only snapshot (later changes replace the arrays behind it). */
  Map<String, Replica> replicas() {
    ReplicaSet set = index.replicas(row());
    return new ReplicaMap(set.ids(), set.states());
  }

  /** The replica ids in order (only live servers: a dead server's replicas are dropped). Shared: do not write. */
  String[] replicaIds() {
    return index.replicas(row()).ids();
  }

  Replica replica(String serverId) {
    ReplicaSet set = index.replicas(row());
    int i = Arrays.binarySearch(set.ids(), serverId);
    return i >= 0 ? set.states()[i] : null;
  }

  /** Adds or replaces the server's replica state; true if the server was not a replica before. */
  boolean putReplica(String serverId, Replica state) {
    int at = row();
    ReplicaSet set = index.replicas(at);
    String[] ids = set.ids();
    int i = Arrays.binarySearch(ids, serverId);
    Replica[] states;
    if (i >= 0) {
      states = set.states().clone();
      states[i] = state;
      index.replicas(at, index.shared().set(ids, states));
      return false;
    }
    int insert = -i - 1;
    int n = ids.length;
    states = new Replica[n + 1];
    System.arraycopy(set.states(), 0, states, 0, insert);
    states[insert] = state;
    System.arraycopy(set.states(), insert, states, insert + 1, n - insert);
    index.replicas(at, index.shared().set(ReplicaArrays.with(ids, serverId), states));
    return true;
  }

  /** True if the server was a replica. */
  boolean removeReplica(String serverId) {
    int at = row();
    ReplicaSet set = index.replicas(at);
    int i = Arrays.binarySearch(set.ids(), serverId);
    if (i < 0) {
      return false;
    }
    int n = set.ids().length;
    Replica[] states = new Replica[n - 1];
    System.arraycopy(set.states(), 0, states, 0, i);
    System.arraycopy(set.states(), i + 1, states, i, n - i - 1);
    index.replicas(at, index.shared().set(ReplicaArrays.without(set.ids(), serverId), states));
    return true;
  }

  /** Servers that reported their copy corrupt and have not deleted it yet: never clone targets for this chunk. */
  boolean isCorruptOn(String serverId) {
    return Arrays.binarySearch(index.corruptOn(handle), serverId) >= 0;
  }

  void addCorruptOn(String serverId) {
    index.corruptOn(handle, ReplicaArrays.with(index.corruptOn(handle), serverId));
  }

  void removeCorruptOn(String serverId) {
    String[] ids = index.corruptOn(handle);
    if (ids.length > 0) {
      index.corruptOn(handle, ReplicaArrays.without(ids, serverId));
    }
  }

  boolean hasCorruptCopies() {
    return index.corruptOn(handle).length > 0;
  }

  /** The servers holding a copy reported corrupt, in id order. */
  List<String> corruptOn() {
    return List.of(index.corruptOn(handle));
  }
}
