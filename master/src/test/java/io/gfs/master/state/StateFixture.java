package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.common.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Drives a MasterState the way the server does (lock, decide, "log", apply) with a fake clock, keeps every applied
 * record for replay checks, and checks invariants after every step.
 */
final class StateFixture {
  static final long CHUNK_SIZE = 1L << 20;
  static final long LEASE_MILLIS = 60_000;
  static final long DEAD_AFTER_MILLIS = 10_000;
  /** The chunkservers of the tests that need a full replica set. */
  static final List<String> THREE_SERVERS = List.of("cs1", "cs2", "cs3");

  final MasterState state;
  final List<LogRecord> log = new ArrayList<>();
  long nowMillis = 1_000_000;

  StateFixture() {
    this(3, 42);
  }

  StateFixture(int replicationDefault, long seed) {
    this(replicationDefault, seed, 0);
  }

  /** gcRetentionMillis above 0: deletes hide entries until the scan purges them. */
  StateFixture(int replicationDefault, long seed, long gcRetentionMillis) {
    state = new MasterState(new MasterState.Settings(CHUNK_SIZE, LEASE_MILLIS, DEAD_AFTER_MILLIS, replicationDefault,
        gcRetentionMillis), new SplittableRandom(seed));
  }

  /** One entry of a chunk report. */
  static HeartbeatReport.Replica replica(long handle, long version, long lengthBytes) {
    return new HeartbeatReport.Replica(handle, version, lengthBytes);
  }

  /** The three servers heartbeat and {@code path} is created: where every chunk-and-lease test starts. */
  void threeServersAnd(String path) {
    THREE_SERVERS.forEach(this::heartbeat);
    create(path);
  }

  static MasterState fresh() {
    return new MasterState(new MasterState.Settings(CHUNK_SIZE, LEASE_MILLIS, DEAD_AFTER_MILLIS, 3),
        new SplittableRandom(1));
  }

  boolean mkdirs(String path) {
    try (LockTable.Held l = state.lockWrite(path)) {
      return commit(state.decideMkdirs(path, ++nowMillis));
    }
  }

  void create(String path) {
    create(path, false, true, 0);
  }

  void create(String path, boolean overwrite, boolean createParent, int replication) {
    try (LockTable.Held l = state.lockWrite(path)) {
      commit(state.decideCreate(path, overwrite, createParent, replication, ++nowMillis));
    }
  }

  boolean remove(String path, boolean recursive) {
    try (LockTable.Held l = state.lockWrite(path)) {
      return commit(state.decideRemove(path, recursive, ++nowMillis));
    }
  }

  void rename(String source, String destination) {
    try (LockTable.Held l = state.lockRename(source, destination)) {
      commit(state.decideRename(source, destination, ++nowMillis));
    }
  }

  boolean mkdirs(String path, String owner, String group, int permission) {
    try (LockTable.Held l = state.lockWrite(path)) {
      return commit(state.decideMkdirs(path, owner, group, (short) permission, ++nowMillis));
    }
  }

  void create(String path, String owner, String group, int permission) {
    try (LockTable.Held l = state.lockWrite(path)) {
      commit(state.decideCreate(path, false, true, 0, owner, group, (short) permission, ++nowMillis));
    }
  }

  void setPermission(String path, int permission) {
    try (LockTable.Held l = state.lockWrite(path)) {
      commit(state.decideSetPermission(path, (short) permission));
    }
  }

  void setOwner(String path, String owner, String group) {
    try (LockTable.Held l = state.lockWrite(path)) {
      commit(state.decideSetOwner(path, owner, group));
    }
  }

  void setTimes(String path, long modificationTimeMillis, long accessTimeMillis) {
    try (LockTable.Held l = state.lockWrite(path)) {
      commit(state.decideSetTimes(path, modificationTimeMillis, accessTimeMillis));
    }
  }

  boolean setReplication(String path, int replication) {
    try (LockTable.Held l = state.lockWrite(path)) {
      return commit(state.decideSetReplication(path, replication));
    }
  }

  void concat(String target, String... sources) {
    List<String> paths = new ArrayList<>(List.of(sources));
    paths.add(target);
    try (LockTable.Held l = state.lockWriteAll(paths)) {
      commit(state.decideConcat(target, List.of(sources), ++nowMillis));
    }
  }

  /** Gives the file chunks of these lengths (allocated on cs1, reported by the writer). */
  List<Long> writeChunks(String path, long... lengthsBytes) {
    List<Long> handles = new ArrayList<>();
    long first = state.fileStatus(path).chunkCount();
    for (int i = 0; i < lengthsBytes.length; i++) {
      LeaseView lease = acquire(path, first + i, List.of("cs1"));
      try (LockTable.Held l = state.lockRead(path)) {
        state.reportChunkLength(path, first + i, lease.handle(), lengthsBytes[i]);
      }
      handles.add(lease.handle());
    }
    return handles;
  }

  /** Reports every chunk of the file as full, as a writer would after writing whole chunks. */
  void fill(String path) {
    try (LockTable.Held l = state.lockRead(path)) {
      for (ChunkView chunk : state.findChunks(path, 0, MasterState.FIND_CHUNKS_COUNT_MAX, nowMillis).chunks()) {
        state.reportChunkLength(path, chunk.chunkIndex(), chunk.handle(), CHUNK_SIZE);
      }
    }
  }

  /** The error a command fails with (and that nothing was logged). */
  StateError error(Runnable command) {
    int before = log.size();
    StateException e = assertThrows(StateException.class, command::run);
    assertEquals(before, log.size(), "a refused command logged something");
    state.checkInvariants();
    return e.error();
  }

  boolean commit(Decision decision) {
    decision.orThrow();
    decision.record().ifPresent(this::apply);
    return decision.answer();
  }

  void apply(LogRecord record) {
    log.add(record);
    state.apply(record);
    state.checkInvariants();
  }

  /** A heartbeat with a full chunk report. */
  HeartbeatOutcome heartbeat(String serverId, List<HeartbeatReport.Replica> chunks, List<Long> extensions,
      List<Long> corrupt) {
    HeartbeatOutcome outcome = state.heartbeat(new HeartbeatReport(serverId, address(serverId), "/r", 1L << 40,
        0, chunks, extensions, corrupt), nowMillis);
    outcome.adoptions().forEach(this::apply);
    state.checkInvariants();
    return outcome;
  }

  /** A chunkserver on a rack (empty report). */
  HeartbeatOutcome heartbeatOnRack(String serverId, String rack) {
    HeartbeatOutcome outcome = state.heartbeat(new HeartbeatReport(serverId, address(serverId), rack, 1L << 40, 0,
        List.of(), List.of(), List.of()), nowMillis);
    state.checkInvariants();
    return outcome;
  }

  HeartbeatOutcome heartbeat(String serverId, HeartbeatReport.Replica... chunks) {
    return heartbeat(serverId, List.of(chunks), List.of(), List.of());
  }

  static HostPort address(String serverId) {
    return new HostPort("10.0.0." + (serverId.hashCode() & 0x7f), 7000 + Math.abs(serverId.hashCode() % 1000));
  }

  /**
   * Runs acquireLease as the server does: plan, log, "RPC" (every target in succeeding answers yes), complete.
   */
  LeaseView acquire(String path, long chunkIndex, List<String> succeeding) {
    try (LockTable.Held l = state.lockWrite(path)) {
      LeasePlan plan = state.planLease(path, chunkIndex, nowMillis);
      while (plan instanceof LeasePlan.Abandon abandon) {
        apply(abandon.record()); // a last chunk no chunkserver ever held: dropped, then planned again
        plan = state.planLease(path, chunkIndex, nowMillis);
      }
      if (plan instanceof LeasePlan.CopyOnWrite copy) {
        // Copy-on-write of a chunk a snapshot shares: local copies, log, then plan the grant again [0116].
        copies.add(copy);
        apply(copy.record());
        List<String> copied = new ArrayList<>();
        copy.targets().forEach(t -> copied.add(t.serverId()));
        copied.retainAll(succeeding);
        state.completeCopy(copy, copied, nowMillis);
        plan = state.planLease(path, chunkIndex, nowMillis);
      }
      if (plan instanceof LeasePlan.Existing existing) {
        return existing.lease();
      }
      LeasePlan.Grant grant = (LeasePlan.Grant) plan;
      apply(grant.record());
      List<String> ok = new ArrayList<>();
      for (LeasePlan.Target t : grant.targets()) {
        if (succeeding.contains(t.serverId())) {
          ok.add(t.serverId());
        }
      }
      LeaseView view = state.completeGrant(grant, ok, ok.isEmpty() ? null : ok.get(0), nowMillis);
      state.checkInvariants();
      return view;
    }
  }

  /**
   * A new chunk whose ADD_CHUNK was logged, after which the master died before any chunkserver created it: the record
   * is applied and the grant dropped, as a master that replays the log finds it. Returns the chunk's handle.
   */
  long allocateOnly(String path, long chunkIndex) {
    try (LockTable.Held l = state.lockWrite(path)) {
      LeasePlan.Grant grant = (LeasePlan.Grant) state.planLease(path, chunkIndex, nowMillis);
      apply(grant.record());
      state.abortGrant(grant);
      state.checkInvariants();
      return grant.handle();
    }
  }

  /** Every copy-on-write acquire went through, in order. */
  final List<LeasePlan.CopyOnWrite> copies = new ArrayList<>();

  /** Revokes the leases below the path and takes a snapshot of it, as the server does. */
  void snapshot(String path, String name) {
    try (LockTable.Held l = state.lockSnapshots(path)) {
      state.revokeLeasesUnder(path, nowMillis);
      commit(state.decideCreateSnapshot(path, name, ++nowMillis));
    }
  }

  /** Replays the records into a fresh state. */
  /**
   * What the active master's timers do (ChunkLengthLog): logs every chunk length this state learned and has not
   * logged, one CHUNK_LENGTHS record per batch; returns the records.
   */
  List<LogRecord.ChunkLengths> logLearnedLengths() {
    state.startLoggingChunkLengths();
    List<LogRecord.ChunkLengths> logged = new ArrayList<>();
    LogRecord.ChunkLengths record;
    while ((record = state.takeChunkLengthsToLog(LogRecord.ChunkLengths.ENTRIES_MAX)) != null) {
      apply(record);
      logged.add(record);
    }
    return logged;
  }

  /** The log replayed into a fresh state, once this state logged the lengths it learned (as an active master does). */
  MasterState replay() {
    logLearnedLengths();
    MasterState other = fresh();
    log.forEach(other::apply);
    other.checkInvariants();
    return other;
  }
}
