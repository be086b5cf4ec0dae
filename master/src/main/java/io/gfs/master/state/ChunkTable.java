package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chunk handle to version, known length, reference count and replica locations [0046-0049]. Handles come from a
 * counter that the log persists (every ADD_CHUNK carries its handle); versions never decrease. Replica locations are
 * not persisted: chunkservers report them [0048]. Not thread-safe: {@link MasterState} guards it.
 */
public final class ChunkTable {
  /** What a chunkserver should do about one chunk it reported. */
  public enum ReportVerdict {
    /** A current replica (or an expected one): kept as a location. */
    ACCEPTED,
    /** Its version is behind the master's: a stale replica that missed mutations [0079-0080]; delete it. */
    STALE,
    /** The master has no such chunk (its file was deleted): delete it. */
    UNKNOWN,
    /**
     * Unknown, but the handle is at or past the master's handle counter: data from a log the master may have lost.
     * Never deleted; a warning is logged.
     */
    UNKNOWN_FUTURE,
    /** Its version is ahead of the master's; the master adopts it (logged). */
    HIGHER,
    /** A report older than what this server already acknowledged, or a bump in flight: ignored this time. */
    IGNORED,
  }

  /** In handle order; primitive arrays, not a TreeMap of boxed handles (issue 6's heap goal). */
  private final ChunkIndex chunks = new ChunkIndex();
  /** Replica states shared between chunks (the index owns them). */
  private final ReplicaArrays shared = chunks.shared();
  /**
   * Per chunkserver, how many chunks list it. The handles themselves are found by a scan of the table when needed (a
   * server leaves, a full report, a drain or rebalance pass): a per-server handle set cost about 50 bytes a chunk.
   */
  private final Map<String, int[]> replicaCounts = new HashMap<>();
  /** The persisted counter: one past the largest handle ever logged. */
  private long nextHandle = 1;
  /** Live reservations run ahead of the logged counter; a reserved handle that never got logged is simply skipped. */
  private long reservedNext = 1;
  /**
   * Handles whose known length grew past what the log holds, each queued once (LENGTH_QUEUED), for the active master
   * to log (LogRecord.ChunkLengths). Nothing is queued until {@link #startLoggingLengths}: a standby or shadow learns
   * lengths from the log, and a master that takes over queues what it learned otherwise then.
   */
  private long[] lengthsToLog = new long[64];
  private int lengthsToLogCount;
  /** Lengths taken for a record this master has not applied yet (it is being logged). */
  private int lengthsInFlight;
  private boolean loggingLengths;

  long nextHandle() {
    return nextHandle;
  }

  long reserveHandle() {
    reservedNext = Math.max(reservedNext, nextHandle);
    return reservedNext++;
  }

  ChunkInfo get(long handle) {
    return chunks.get(handle);
  }

  /**
   * The sum of these chunks' known lengths, or with reportedOnly {@link ChunkIndex#LENGTH_NOT_REPORTED} when one's
   * length was never reported; the one read that needs no monitor (see {@link ChunkIndex#lengthSum}).
   */
  long knownLengthSum(List<Long> handles, boolean reportedOnly) {
    return chunks.lengthSum(handles, reportedOnly);
  }

  Collection<ChunkInfo> all() {
    return chunks.values();
  }

  int size() {
    return chunks.size();
  }

  /** The columns a health count reads, copied (see {@link ChunkIndex#healthSample}). */
  ChunkHealthSample healthSample(Set<String> liveServerIds) {
    return chunks.healthSample(liveServerIds);
  }

  /** The health columns with every handle, for a replication scan (see {@link ChunkIndex#targetSample}). */
  ChunkHealthSample targetSample(Set<String> countedServerIds) {
    return chunks.targetSample(countedServerIds);
  }

  /** The columns the status pages' problem list reads, copied (see {@link ChunkIndex#problemSample}). */
  ChunkProblemSample problemSample(Set<String> liveServerIds) {
    return chunks.problemSample(liveServerIds);
  }

  /** Handle and version of every chunk, in handle order, straight from the columns (a checkpoint's capture). */
  List<StateImage.Chunk> imageChunks() {
    return chunks.imageChunks();
  }

  /** Applies ADD_CHUNK (or a checkpoint entry): a new chunk with one reference. */
  void add(long handle, long version) {
    add(handle, version, 1);
  }

  /** A chunk referenced by referenceCount files. */
  void add(long handle, long version, int referenceCount) {
    Check.state(!chunks.containsKey(handle), "chunk %s already exists", handle);
    chunks.put(handle, version).referenceCount(referenceCount);
    nextHandle = Math.max(nextHandle, handle + 1);
  }

  /** A checkpoint's chunk, its row filled in one step (restart speed, issue 6). */
  void restore(long handle, long version, int referenceCount, int replicationTarget, boolean trashed,
      int lengthBytes, boolean logged, boolean whole) {
    if (referenceCount <= 0) { // not Check: its varargs would box the handle once per restored chunk
      throw new IllegalStateException("chunk " + handle + " restored with " + referenceCount + " references");
    }
    chunks.restore(handle, version, referenceCount, replicationTarget, trashed, lengthBytes, logged, whole);
    nextHandle = Math.max(nextHandle, handle + 1);
  }

  void restoreNextHandle(long value) {
    nextHandle = Math.max(nextHandle, value);
  }

  /** Applies SET_VERSION. Versions never go back; a record for a chunk deleted meanwhile is moot. */
  void setVersion(long handle, long version) {
    ChunkInfo chunk = chunks.get(handle);
    if (chunk != null && version > chunk.version()) {
      chunk.version(version);
    }
  }

  /** A snapshot copied a file referring to the chunk [0115]. */
  void addReference(long handle) {
    ChunkInfo chunk = chunks.get(handle);
    Check.state(chunk != null, "reference to unknown chunk %s", handle);
    chunk.referenceCount(chunk.referenceCount() + 1);
  }

  /** One file stopped referencing the chunk; at zero it is gone and its replicas become garbage. */
  void release(long handle) {
    ChunkInfo chunk = chunks.get(handle);
    Check.state(chunk != null, "release of unknown chunk %s", handle);
    chunk.referenceCount(chunk.referenceCount() - 1);
    Check.state(chunk.referenceCount() >= 0, "chunk %s reference count below zero", handle);
    if (chunk.referenceCount() == 0) {
      for (String serverId : chunk.replicaIds()) {
        count(serverId, -1);
      }
      chunks.remove(handle);
    }
  }

  /**
   * Judges one entry of a chunkserver's chunk report and records the replica when it is good. missedGrant: the server
   * was a target of the grant that gave out the chunk's current version but did not confirm it (its answer was lost):
   * it may hold that version without the lease's writes.
   */
  ReportVerdict report(String serverId, long handle, long version, long lengthBytes, boolean missedGrant) {
    ChunkInfo chunk = chunks.get(handle);
    if (chunk == null) {
      if (handle >= nextHandle && handle < reservedNext) {
        // Reserved, not logged yet: a snapshot's copy-on-write copy is made before its record is logged.
        return ReportVerdict.IGNORED;
      }
      return handle >= nextHandle ? ReportVerdict.UNKNOWN_FUTURE : ReportVerdict.UNKNOWN;
    }
    ChunkInfo.Replica known = chunk.replica(serverId);
    if (version < chunk.version()) {
      if (chunk.grantInProgress() || (known != null && known.version() > version)) {
        // The server acknowledged a newer version (or is being told one) after this report was built.
        return ReportVerdict.IGNORED;
      }
      removeReplica(chunk, serverId);
      return ReportVerdict.STALE;
    }
    boolean unconfirmed = known == null || known.version() < version;
    if (chunk.grantInProgress() && unconfirmed) {
      // A target may report the grant's version before the grant ends; only the grant's outcome says who holds it
      // (a target whose answer was lost holds it too, but is left out of the lease and misses its writes).
      return ReportVerdict.IGNORED;
    }
    if (version == chunk.version() && missedGrant) {
      // Outside the set the grant confirmed: it took the version (its answer was lost) but not the lease's writes.
      removeReplica(chunk, serverId);
      return ReportVerdict.STALE;
    }
    if (known == null) {
      putReplica(chunk, serverId, shared.plain(version, ChunkInfo.Replica.NEVER_CONFIRMED));
      chunk.everHeld(true);
    } else if (version > known.version()) {
      putReplica(chunk, serverId, known.withVersion(version));
    }
    if (version == chunk.version()) {
      raiseLength(chunk, lengthBytes);
      chunk.lengthReported(true); // a current replica holds every acknowledged byte [0079]
      return ReportVerdict.ACCEPTED;
    }
    // Higher while a grant runs: the grant's own record is about to log that version; adopting it here too would log
    // it twice.
    return chunk.grantInProgress() ? ReportVerdict.IGNORED : ReportVerdict.HIGHER;
  }

  /**
   * After a full chunk report: the server no longer has chunks it did not list, except those it acknowledged within
   * the last graceMillis (the report may have been built before it created them). When every replica the table
   * records on the server was in the report (the usual case: its per-server count says so), only the reported chunks
   * can change and they are looked up directly; otherwise every chunk is walked to find the unreported ones. Either
   * way each chunk gets the same treatment ({@link #retainOne}), so the result is the walk's
   * ({@link #retainReportedByWalk}); a walk of every chunk per heartbeat held the coordinator's monitor for the
   * whole table (issue 6).
   */
  void retainReported(String serverId, Set<Long> reported, long nowMillis, long graceMillis) {
    int held = replicaCount(serverId);
    if (held == 0) {
      return;
    }
    int listed = 0;
    for (long handle : reported) {
      ChunkInfo chunk = chunks.get(handle);
      if (chunk != null && chunk.replica(serverId) != null) {
        listed++;
      }
    }
    if (listed < held) {
      retainReportedByWalk(serverId, reported, nowMillis, graceMillis); // some replica went unreported
      return;
    }
    for (long handle : reported) {
      ChunkInfo chunk = chunks.get(handle);
      if (chunk != null) {
        retainOne(chunk, serverId, true, nowMillis, graceMillis);
      }
    }
  }

  /** {@link #retainReported} by a walk of every chunk: the reference for tests, and the way when some went unreported. */
  void retainReportedByWalk(String serverId, Set<Long> reported, long nowMillis, long graceMillis) {
    if (replicaCount(serverId) == 0) {
      return;
    }
    for (ChunkInfo chunk : chunks.values()) {
      retainOne(chunk, serverId, reported.contains(chunk.handle), nowMillis, graceMillis);
    }
  }

  /** One chunk after a full report: its replica on the server dropped when unreported, its grant time forgotten. */
  private void retainOne(ChunkInfo chunk, String serverId, boolean wasReported, long nowMillis, long graceMillis) {
    ChunkInfo.Replica replica = chunk.replica(serverId);
    if (replica == null) {
      return;
    }
    long confirmed = replica.confirmedAtMillis();
    // A copy known only from reports has no grant a report could predate: no grace (and now - MIN_VALUE overflows).
    boolean graceOver =
        confirmed == ChunkInfo.Replica.NEVER_CONFIRMED || nowMillis - confirmed >= graceMillis;
    if (!wasReported) {
      if (graceOver) {
        removeReplica(chunk, serverId);
      }
    } else if (graceOver && confirmed > ChunkInfo.Replica.CONFIRMED_LONG_AGO && nowMillis >= graceMillis) {
      // The grant's time no longer matters (the grace test passes for it as for CONFIRMED_LONG_AGO): forget it so
      // the replica's state can be shared again.
      putReplica(chunk, serverId, replica.corrupt()
          ? new ChunkInfo.Replica(replica.version(), true, ChunkInfo.Replica.CONFIRMED_LONG_AGO)
          : shared.plain(replica.version(), ChunkInfo.Replica.CONFIRMED_LONG_AGO));
    }
  }

  /** A server died or was replaced: forget its replicas. Returns the handles it held. */
  List<Long> removeServer(String serverId) {
    if (replicaCount(serverId) == 0) {
      replicaCounts.remove(serverId);
      return List.of();
    }
    List<Long> handles = new ArrayList<>(replicaCount(serverId));
    for (ChunkInfo chunk : chunks.values()) {
      if (chunk.removeReplica(serverId)) {
        handles.add(chunk.handle);
      }
    }
    replicaCounts.remove(serverId);
    return handles;
  }

  /** A checksum failure on that replica [0127]: no longer offered to readers or as a lease holder. */
  boolean markCorrupt(String serverId, long handle) {
    ChunkInfo chunk = chunks.get(handle);
    ChunkInfo.Replica replica = chunk == null ? null : chunk.replica(serverId);
    if (replica == null) {
      return false;
    }
    if (!replica.corrupt()) {
      chunk.putReplica(serverId, new ChunkInfo.Replica(replica.version(), true, replica.confirmedAtMillis()));
    }
    return true;
  }

  /** A server acknowledged assignVersion: it holds the chunk at that version now. */
  void confirmReplica(long handle, String serverId, long version, long nowMillis) {
    ChunkInfo chunk = chunks.get(handle);
    Check.state(chunk != null, "confirm of unknown chunk %s", handle);
    ChunkInfo.Replica known = chunk.replica(serverId);
    chunk.everHeld(true);
    putReplica(chunk, serverId,
        new ChunkInfo.Replica(known == null ? version : Math.max(known.version(), version), false, nowMillis));
  }

  /** Live, current-version, uncorrupted replicas, in server-id order. */
  List<String> currentReplicas(long handle) {
    ChunkInfo chunk = chunks.get(handle);
    if (chunk == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String serverId : chunk.replicaIds()) {
      if (chunk.isCurrent(chunk.replica(serverId))) {
        out.add(serverId);
      }
    }
    return out;
  }

  boolean isCurrentReplica(long handle, String serverId) {
    ChunkInfo chunk = chunks.get(handle);
    ChunkInfo.Replica replica = chunk == null ? null : chunk.replica(serverId);
    return replica != null && chunk.isCurrent(replica);
  }

  /** The chunks a server holds a replica of (any version), in handle order. */
  List<Long> handlesOn(String serverId) {
    if (replicaCount(serverId) == 0) {
      return List.of();
    }
    List<Long> handles = new ArrayList<>(replicaCount(serverId));
    for (ChunkInfo chunk : chunks.values()) {
      if (chunk.replica(serverId) != null) {
        handles.add(chunk.handle);
      }
    }
    return handles;
  }

  int replicaCount(String serverId) {
    int[] count = replicaCounts.get(serverId);
    return count == null ? 0 : count[0];
  }

  /**
   * A primary's report of its chunk's length after a group of record appends (issue 6). Clients report as writers of
   * the file (their permission is checked); a chunkserver is believed only about a chunk it holds a current replica of,
   * so a stale replica (missed mutations, or a lease that moved on with a version bump) or a foreign server cannot
   * move a file's length. Known lengths never shrink.
   */
  void reportReplicaLength(String serverId, long handle, long version, long lengthBytes) {
    ChunkInfo chunk = chunks.get(handle);
    if (chunk == null) {
      throw StateException.of(StateError.UNKNOWN_CHUNK, "no chunk %s", handle);
    }
    ChunkInfo.Replica replica = chunk.replica(serverId);
    if (replica == null || replica.corrupt()) {
      throw StateException.of(StateError.PERMISSION_DENIED, "chunkserver %s holds no good replica of chunk %s",
          serverId, handle);
    }
    if (version != chunk.version() || !chunk.isCurrent(replica)) {
      throw StateException.of(StateError.STALE_VERSION, "chunk %s is at version %s; the report of %s names %s and"
          + " its replica is at %s", handle, chunk.version(), serverId, version, replica.version());
    }
    reportLength(handle, lengthBytes);
  }

  /**
   * A writer's report of the chunk's length; known lengths never shrink. It does not make the length reported: other
   * writers' acknowledged appends may lie past it.
   */
  void reportLength(long handle, long lengthBytes) {
    ChunkInfo chunk = chunks.get(handle);
    if (chunk != null) {
      raiseLength(chunk, lengthBytes);
    }
  }

  /** Raises a chunk's known length (lengths never shrink); a rise waits to be logged. */
  void raiseLength(ChunkInfo chunk, long lengthBytes) {
    if (lengthBytes > chunk.knownLengthBytes()) {
      chunk.knownLengthBytes(lengthBytes);
      chunk.lengthLogged(false);
      queueLength(chunk);
    }
  }

  private void queueLength(ChunkInfo chunk) {
    if (loggingLengths && !chunk.lengthQueued() && !chunk.lengthLogged() && chunk.knownLengthBytes() > 0) {
      if (lengthsToLogCount == lengthsToLog.length) {
        lengthsToLog = Arrays.copyOf(lengthsToLog, lengthsToLogCount * 2);
      }
      lengthsToLog[lengthsToLogCount++] = chunk.handle;
      chunk.lengthQueued(true);
    }
  }

  /**
   * The active master begins to log lengths: every chunk whose known length is not in the log yet (learned before,
   * from reports, or by a master that never logged lengths) is queued now, later ones as they grow. Idempotent.
   */
  void startLoggingLengths() {
    if (!loggingLengths) {
      loggingLengths = true;
      for (ChunkInfo chunk : chunks.values()) {
        queueLength(chunk);
      }
    }
  }

  /**
   * Takes up to entriesMax queued lengths for one CHUNK_LENGTHS record, or null when none is due (each chunk's length
   * as it stands now; a chunk gone since, or logged meanwhile, is skipped). A chunk that grows again after this is
   * queued again, and the record's application leaves it unlogged (see {@link #applyLoggedLengths}).
   */
  LogRecord.ChunkLengths takeLengthsToLog(int entriesMax) {
    Check.argument(entriesMax > 0 && entriesMax <= LogRecord.ChunkLengths.ENTRIES_MAX, "entriesMax %s", entriesMax);
    long[] handles = new long[Math.min(entriesMax, lengthsToLogCount)];
    int[] lengths = new int[handles.length];
    int n = 0;
    while (n < handles.length && lengthsToLogCount > 0) {
      ChunkInfo chunk = chunks.get(lengthsToLog[--lengthsToLogCount]);
      if (chunk != null) {
        chunk.lengthQueued(false);
        if (!chunk.lengthLogged() && chunk.knownLengthBytes() > 0) {
          handles[n] = chunk.handle;
          lengths[n] = (int) chunk.knownLengthBytes(); // at most CHUNK_SIZE_BYTES_MAX, 1 GiB
          n++;
        }
      }
    }
    if (lengthsToLogCount == 0 && lengthsToLog.length > 64) {
      lengthsToLog = new long[64]; // a takeover's queue of every chunk is not kept for good
    }
    lengthsInFlight += n;
    return n == 0 ? null : new LogRecord.ChunkLengths(Arrays.copyOf(handles, n),
        Arrays.copyOf(lengths, n));
  }

  /** Lengths not in the log yet: queued, or taken for a record not applied yet (removed chunks' may be counted). */
  int lengthsToLogCount() {
    return lengthsToLogCount + lengthsInFlight;
  }

  /**
   * Applies CHUNK_LENGTHS: each known length rises to the logged one and counts as logged unless it had grown past
   * it; a whole chunk's length is complete, since no byte can lie past it. A chunk gone since is skipped.
   */
  void applyLoggedLengths(LogRecord.ChunkLengths record, long chunkSizeBytes) {
    // The active master applies its own records in the order it took them; replay and followers took none.
    lengthsInFlight = Math.max(0, lengthsInFlight - record.handles().length);
    for (int i = 0; i < record.handles().length; i++) {
      ChunkInfo chunk = chunks.get(record.handles()[i]);
      long lengthBytes = record.lengthsBytes()[i];
      if (chunk != null && lengthBytes >= chunk.knownLengthBytes()) {
        chunk.knownLengthBytes(lengthBytes);
        chunk.lengthLogged(true);
        if (lengthBytes >= chunkSizeBytes) {
          chunk.lengthReported(true);
        }
      }
    }
  }

  /** The master dropped this replica (excess, or corrupt with enough good ones left): no longer a location. */
  void dropReplica(long handle, String serverId) {
    ChunkInfo chunk = chunks.get(handle);
    if (chunk != null) {
      removeReplica(chunk, serverId);
    }
  }

  private void putReplica(ChunkInfo chunk, String serverId, ChunkInfo.Replica state) {
    if (chunk.putReplica(serverId, state)) {
      count(serverId, 1);
    }
  }

  private void removeReplica(ChunkInfo chunk, String serverId) {
    if (chunk.removeReplica(serverId)) {
      count(serverId, -1);
    }
  }

  private void count(String serverId, int delta) {
    int[] count = replicaCounts.computeIfAbsent(serverId, s -> new int[1]);
    count[0] += delta;
    Check.state(count[0] >= 0, "replica count of %s below zero", serverId);
    if (count[0] == 0) {
      replicaCounts.remove(serverId);
    }
  }

  /** The per-server counts and the chunks' replica lists agree. */
  void checkInvariants() {
    Map<String, Integer> listed = new HashMap<>();
    int queued = 0;
    for (ChunkInfo chunk : chunks.values()) {
      for (String serverId : chunk.replicaIds()) {
        listed.merge(serverId, 1, Integer::sum);
      }
      if (chunk.lengthQueued()) {
        queued++;
      }
    }
    // Removed chunks may leave their handles behind in the queue; every queued chunk is in it once.
    Check.state(queued <= lengthsToLogCount && (loggingLengths || lengthsToLogCount == 0),
        "%s chunks queued for the log, %s handles in the queue (logging: %s)", queued, lengthsToLogCount,
        loggingLengths);
    Check.state(listed.size() == replicaCounts.size(), "%s servers listed by chunks, %s counted", listed.size(),
        replicaCounts.size());
    listed.forEach((serverId, count) -> Check.state(count == replicaCount(serverId),
        "server %s: %s replicas listed by chunks, %s counted", serverId, count, replicaCount(serverId)));
  }
}
