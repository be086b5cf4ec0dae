package io.gfs.master.state;

import io.gfs.common.Check;
import io.gfs.common.HostPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The chunk side of the master: chunk table, leases and chunkserver registry, which heartbeats, lease grants and
 * namespace mutations all touch. One monitor guards all three, so their cross-checks (a lease holder is a current
 * replica of a live server) hold at every step; each call is short and does no I/O.
 */
final class ChunkCoordinator {
  /** {@link #reportedLengthBytes}'s answer for a length not known yet. */
  static final long LENGTH_NOT_REPORTED = ChunkIndex.LENGTH_NOT_REPORTED;
  /**
   * A replica acknowledged this recently is kept even when a full report leaves it out: a heartbeat built before the
   * chunkserver created the chunk can arrive after the grant.
   */
  static final long REPORT_GRACE_MILLIS = 5_000;

  private final MasterState.Settings settings;
  private final RandomGenerator random;
  private final ChunkTable chunks = new ChunkTable();
  private final LeaseTable leases = new LeaseTable();
  /** Handles a live grant is allocating: their ADD_CHUNK marks them grant-in-progress (see applyAdd). */
  private final Set<Long> allocating = new HashSet<>();
  /**
   * Per chunk, the targets of the grant that gave out its current version which did not confirm it (the answer was
   * lost, or they failed): they may hold that version without the lease's writes, so their reports of it are stale
   * [0079-0080] - even after they died and came back - until a clone to them completes or the version moves on. Only
   * chunks with such targets have an entry. Not persisted: a restarted master cannot tell (see GrantReplicaSetTest).
   */
  private final Map<Long, Set<String>> missedGrant = new HashMap<>();
  /** When this master first heard a chunkserver (MIN_VALUE: never): see {@link #neverHeld}. */
  private long firstHeartbeatAtMillis = Long.MIN_VALUE;
  /** When this master's timers first ticked, that is when it began to serve as the active master (MIN_VALUE: not yet). */
  private long firstTickAtMillis = Long.MIN_VALUE;
  /**
   * Every chunkserver this master counts as alive has reported its chunks: it has heard chunkservers for a whole
   * dead-after interval, or served that long without hearing any. A chunk still unreported has no live replica, and
   * waiting longer for its length would not help. Set by a heartbeat or a tick, never cleared; volatile for
   * {@link #reportedLengthBytes}, which takes no monitor.
   */
  private volatile boolean reportsSettled;
  private final ChunkServerRegistry servers;
  private final ReplicationPlanner replication;
  /** Issue 8 hook: decommissioning and the balancer switch, read by placement, re-replication and rebalancing. */
  private final OperatorControls controls = new OperatorControls();
  private final ClusterOperations operations;
  /** Issue 8 hook: the status pages' lists of chunks needing attention and of leases. */
  private final StatusListing listing;

  ChunkCoordinator(MasterState.Settings settings, RandomGenerator random) {
    this.settings = settings;
    this.random = random;
    this.servers = new ChunkServerRegistry(settings.chunkServerDeadAfterMillis(),
        MasterState.RECENT_CREATION_WINDOW_MILLIS);
    this.replication = new ReplicationPlanner(chunks, leases, servers, random, controls);
    this.operations = new ClusterOperations(this, chunks, servers, controls, replication, this::liveCurrentReplicas);
    this.listing = new StatusListing(this, chunks, servers, leases, this::liveCurrentReplicas);
  }

  /** The operator's controls and reports; they lock this coordinator. */
  ClusterOperations operations() {
    return operations;
  }

  /** The status pages' lists; they lock this coordinator. */
  StatusListing listing() {
    return listing;
  }

  synchronized void applyAdd(long handle, long version, int replicationTarget, boolean trashed) {
    chunks.add(handle, version);
    ChunkInfo chunk = chunks.get(handle);
    chunk.replicationTarget(replicationTarget);
    chunk.trashed(trashed);
    // A chunk allocated by a live grant exists before its targets confirmed it: until then one target's early
    // heartbeat makes it look under-replicated, and a clone taken then (0 bytes, version 1, outside the lease that
    // follows) would count as current and miss every write. Replay has no grant running, so nothing is held there.
    chunk.grantInProgress(allocating.contains(handle));
    chunk.lengthReported(allocating.contains(handle)); // allocated here, empty; replay knows nothing of its bytes
  }

  /** Applies SNAPSHOT: the copied files refer to these chunks too. */
  synchronized void addReferences(List<Long> handles) {
    handles.forEach(chunks::addReference);
  }

  /** Applies COPY_ON_WRITE: the new chunk takes the old one's known length; the old one loses a reference. */
  synchronized void applyCopy(LogRecord.CopyOnWrite r, int replicationTarget, boolean trashed) {
    ChunkInfo old = chunks.get(r.oldHandle());
    applyAdd(r.newHandle(), r.version(), replicationTarget, trashed);
    ChunkInfo copy = chunks.get(r.newHandle());
    chunks.raiseLength(copy, old == null ? 0 : old.knownLengthBytes());
    copy.lengthReported(old != null && old.lengthReported());
    release(List.of(r.oldHandle()));
  }

  /** The local copies ended: succeeded hold newHandle at the plan's version now. */
  synchronized void completeCopy(LeasePlan.CopyOnWrite plan, List<String> succeeded, long nowMillis) {
    for (String serverId : succeeded) {
      if (servers.isRegistered(serverId) && chunks.get(plan.newHandle()) != null) {
        chunks.confirmReplica(plan.newHandle(), serverId, plan.version(), nowMillis);
      }
    }
  }

  /**
   * Before a snapshot [0114]: revokes every lease on these chunks; returns those still unexpired, whose primaries must
   * stop mutating (told so, or waited out) before the snapshot is logged.
   */
  /**
   * Without a chunk (a directory holding no file: every rename and delete of the metadata benchmark, issue 6) there is
   * nothing to revoke, and the monitor is not taken: a heartbeat's full chunk report holds it for a while, and the
   * mutation waited behind it with its namespace locks held.
   */
  List<LeasePlan.Revoked> revokeLeases(List<Long> handles, long nowMillis) {
    return handles.isEmpty() ? List.of() : revokeLeasesLocked(handles, nowMillis);
  }

  private synchronized List<LeasePlan.Revoked> revokeLeasesLocked(List<Long> handles, long nowMillis) {
    List<LeasePlan.Revoked> out = new ArrayList<>();
    for (long handle : handles) {
      Lease lease = leases.get(handle);
      if (lease != null) {
        leases.revoke(handle);
        ChunkServerInfo primary = servers.get(lease.primaryId());
        if (lease.unexpiredAt(nowMillis) && primary != null) {
          out.add(new LeasePlan.Revoked(handle, lease.version(), primary.address(), lease.expiryMillis()));
        }
      }
    }
    return out;
  }

  /** The files' replication changed (or the chunks moved to another file): that many replicas are wanted now. */
  synchronized void setTargets(List<Long> handles, int replicationTarget) {
    for (long handle : handles) {
      ChunkInfo chunk = chunks.get(handle);
      if (chunk != null) {
        chunk.replicationTarget(replicationTarget);
      }
    }
  }

  void setTrashed(List<Long> handles, boolean trashed) {
    if (!handles.isEmpty()) { // see revokeLeases: no need to wait for the monitor without a chunk
      setTrashedLocked(handles, trashed);
    }
  }

  private synchronized void setTrashedLocked(List<Long> handles, boolean trashed) {
    for (long handle : handles) {
      ChunkInfo chunk = chunks.get(handle);
      if (chunk != null) {
        chunk.trashed(trashed);
      }
    }
  }

  synchronized void applySetVersion(long handle, long version) {
    ChunkInfo chunk = chunks.get(handle);
    if (chunk != null && version > chunk.version()) {
      missedGrant.remove(handle); // the grant that logged it sets its own set when it completes
    }
    chunks.setVersion(handle, version);
    pruneLeases();
  }

  void release(List<Long> handles) {
    if (!handles.isEmpty()) { // see revokeLeases: no need to wait for the monitor without a chunk
      releaseLocked(handles);
    }
  }

  private synchronized void releaseLocked(List<Long> handles) {
    for (long handle : handles) {
      chunks.release(handle);
      if (chunks.get(handle) == null) {
        missedGrant.remove(handle);
        replication.forgetChunk(handle);
      }
    }
    pruneLeases();
  }

  /**
   * A file's length from its chunks' known lengths (0 for a chunk no longer in the table), WITHOUT this monitor: the
   * master answers file lookups on its RPC selector threads, and a heartbeat that walks every chunk holds the monitor
   * long enough at a million chunks to stall every connection of a selector. The index validates the read instead.
   */
  long knownLengthBytes(List<Long> handles) {
    return handles.isEmpty() ? 0 : chunks.knownLengthSum(handles, false); // an empty file: see revokeLeases
  }

  /**
   * {@link #knownLengthBytes}, or {@link #LENGTH_NOT_REPORTED} while reports may still bring a length this master
   * does not know: a chunk of these was never reported to it (it restarted or took over, and the log holds only a
   * floor of a partial chunk's length) and it has not heard chunkservers for a whole dead-after interval yet. A lookup
   * must not show such a length: a reader would take the short file for the whole one and stop early, with success.
   * Also without this monitor.
   */
  long reportedLengthBytes(List<Long> handles) {
    return handles.isEmpty() ? 0 : chunks.knownLengthSum(handles, !reportsSettled);
  }

  /** Each chunk's known length, in order (0 for a chunk no longer in the table). */
  synchronized List<Long> knownLengths(List<Long> handles) {
    List<Long> out = new ArrayList<>(handles.size());
    for (long handle : handles) {
      ChunkInfo chunk = chunks.get(handle);
      out.add(chunk == null ? 0 : chunk.knownLengthBytes());
    }
    return out;
  }

  synchronized List<ChunkView> views(List<Long> handles, long firstIndex, int countMax, long nowMillis) {
    List<ChunkView> out = new ArrayList<>();
    for (long i = firstIndex; i < handles.size() && out.size() < countMax; i++) {
      ChunkInfo chunk = chunks.get(handles.get((int) i));
      Check.state(chunk != null, "chunk %s of a file is missing from the chunk table", handles.get((int) i));
      out.add(new ChunkView(i, chunk.handle, chunk.version(), chunk.knownLengthBytes(),
          addresses(liveCurrentReplicas(chunk.handle, nowMillis))));
    }
    return out;
  }

  /** Decides acquireLease for a resolved chunk index of a file whose write lock the caller holds. */
  synchronized LeasePlan planLease(String path, List<Long> handles, int replication, long chunkIndex,
      long nowMillis) {
    if (chunkIndex == handles.size()) {
      List<LeasePlan.Target> targets = place(replication, nowMillis, path);
      long handle = chunks.reserveHandle();
      allocating.add(handle); // held out of re-replication from its ADD_CHUNK until completeGrant/abortGrant
      return new LeasePlan.Grant(chunkIndex, handle, 1, true,
          new LogRecord.AddChunk(path, chunkIndex, handle, 1, nowMillis), targets);
    }
    long handle = handles.get((int) chunkIndex);
    ChunkInfo chunk = chunks.get(handle);
    Check.state(chunk != null, "chunk %s of %s is missing from the chunk table", handle, path);
    if (chunk.referenceCount() > 1) {
      return planCopy(path, chunkIndex, chunk, nowMillis);
    }
    List<String> live = liveCurrentReplicas(handle, nowMillis);
    if (live.size() < chunk.replicationTarget()) {
      chunk.clientWaitingAtMillis(nowMillis); // a writer needs it: re-replicate it first [0070]
    }
    Lease lease = leases.get(handle);
    if (lease != null && lease.unexpiredAt(nowMillis) && lease.version() == chunk.version()
        && servers.isLive(lease.primaryId(), nowMillis) && chunks.isCurrentReplica(handle, lease.primaryId())) {
      return new LeasePlan.Existing(view(chunkIndex, chunk, lease, nowMillis));
    }
    if (live.size() < chunk.replicationTarget() && this.replication.repairing(handle)) {
      // A clone restores the missing replica right now; a grant would bump the version under it. The client retries
      // (BUSY) and gets a lease on the repaired set, like an HDFS writer waiting for its pipeline's new datanode.
      throw StateException.of(StateError.BUSY, "chunk %s (handle %s) of %s is being re-replicated; retry shortly",
          chunkIndex, handle, path);
    }
    List<LeasePlan.Target> targets = targets(live);
    boolean create = false;
    if (targets.isEmpty()) {
      if (!chunk.allocationFailed() && neverHeld(chunk, chunkIndex == handles.size() - 1, nowMillis)) {
        return new LeasePlan.Abandon(chunkIndex, handle, new LogRecord.AbandonChunk(path, chunkIndex, handle));
      }
      if (!chunk.allocationFailed() || chunk.replicaIds().length > 0) {
        throw StateException.of(StateError.NO_CHUNKSERVERS,
            "chunk %s (handle %s, version %s) of %s is missing: no live replica", chunkIndex, handle, chunk.version(),
            path);
      }
      targets = place(replication, nowMillis, path); // its creation failed everywhere: no data can exist yet
      create = true;
    }
    long version = chunk.version() + 1;
    chunk.grantInProgress(true);
    leases.revoke(handle);
    return new LeasePlan.Grant(chunkIndex, handle, version, create, new LogRecord.SetVersion(handle, version),
        targets);
  }

  /**
   * A file's last chunk that no chunkserver can hold: its ADD_CHUNK was logged and the master died before any replica
   * existed (a creation failing everywhere under this master is allocationFailed instead). Evidence, all required:
   * version 1 (a later version is logged only after a replica took it), no replica of any version and no bytes known,
   * no copy anywhere this master heard of, not shared with a snapshot, no grant or clone running, and this master has
   * heard chunkservers for a whole dead-after interval, so every server it may count as alive has reported its chunks.
   * Left: a replica on servers that stayed down all that time is not known here (HDFS's lease recovery takes the same
   * view of a last block with no reported replica and no bytes).
   */
  private boolean neverHeld(ChunkInfo chunk, boolean last, long nowMillis) {
    return last && chunk.version() == 1 && chunk.referenceCount() == 1 && chunk.replicaIds().length == 0
        && !chunk.hasCorruptCopies() && chunk.knownLengthBytes() == 0 && !chunk.everHeld() && !chunk.grantInProgress()
        && !allocating.contains(chunk.handle) && !replication.repairing(chunk.handle)
        && firstHeartbeatAtMillis != Long.MIN_VALUE
        && nowMillis - firstHeartbeatAtMillis >= settings.chunkServerDeadAfterMillis();
  }

  /** A write to a chunk a snapshot shares: copy it locally on its current replicas first [0116]. */
  private LeasePlan planCopy(String path, long chunkIndex, ChunkInfo chunk, long nowMillis) {
    List<String> live = liveCurrentReplicas(chunk.handle, nowMillis);
    if (live.isEmpty()) {
      throw StateException.of(StateError.NO_CHUNKSERVERS,
          "no live replica of shared chunk %s (handle %s, version %s) of %s to copy", chunkIndex, chunk.handle,
          chunk.version(), path);
    }
    leases.revoke(chunk.handle);
    long newHandle = chunks.reserveHandle();
    return new LeasePlan.CopyOnWrite(chunkIndex, chunk.handle, newHandle, chunk.version(),
        new LogRecord.CopyOnWrite(path, chunkIndex, chunk.handle, newHandle, chunk.version(), nowMillis),
        targets(live));
  }

  /**
   * The chunkservers answered a grant: succeeded hold the new version, primaryId (one of them, or null) took the
   * lease. Returns the lease for the client, or throws NO_CHUNKSERVERS when nobody took it.
   */
  synchronized LeaseView completeGrant(LeasePlan.Grant plan, List<String> succeeded, String primaryId,
      long nowMillis) {
    ChunkInfo chunk = chunks.get(plan.handle());
    Check.state(chunk != null, "grant of chunk %s that is not in the table", plan.handle());
    chunk.grantInProgress(false);
    allocating.remove(plan.handle());
    for (String serverId : succeeded) {
      if (servers.isRegistered(serverId)) {
        chunks.confirmReplica(plan.handle(), serverId, plan.version(), nowMillis);
      }
    }
    boolean primaryOk = primaryId != null && succeeded.contains(primaryId) && servers.isRegistered(primaryId)
        && chunk.version() == plan.version();
    if (!primaryOk) {
      chunk.allocationFailed(plan.create() && chunk.replicaIds().length == 0);
      pruneLeases();
      throw StateException.of(StateError.NO_CHUNKSERVERS,
          "no chunkserver took version %s of chunk %s (handle %s); tried %s", plan.version(), plan.chunkIndex(),
          plan.handle(), plan.targets());
    }
    chunk.allocationFailed(false);
    Set<String> missed = new TreeSet<>();
    for (LeasePlan.Target target : plan.targets()) {
      if (!succeeded.contains(target.serverId()) || !servers.isRegistered(target.serverId())) {
        missed.add(target.serverId()); // told the version, but not confirmed: maybe holds it, without the writes
      }
    }
    if (missed.isEmpty()) {
      missedGrant.remove(plan.handle());
    } else {
      missedGrant.put(plan.handle(), missed);
    }
    Lease lease = new Lease(plan.handle(), primaryId, plan.version(), nowMillis + settings.leaseDurationMillis());
    leases.grant(lease);
    return view(plan.chunkIndex(), chunk, lease, nowMillis);
  }

  /** The grant's record could not be made durable: nothing was told to anyone. */
  synchronized void abortGrant(long handle) {
    allocating.remove(handle);
    ChunkInfo chunk = chunks.get(handle);
    if (chunk != null) {
      chunk.grantInProgress(false);
    }
  }

  synchronized HeartbeatOutcome heartbeat(HeartbeatReport report, long nowMillis) {
    return heartbeat(report, nowMillis, false);
  }

  /** {@link #heartbeat} with the full report reconciled by a walk of every chunk: the reference for tests. */
  synchronized HeartbeatOutcome heartbeatByWalk(HeartbeatReport report, long nowMillis) {
    return heartbeat(report, nowMillis, true);
  }

  private HeartbeatOutcome heartbeat(HeartbeatReport report, long nowMillis, boolean byWalk) {
    if (firstHeartbeatAtMillis == Long.MIN_VALUE) {
      firstHeartbeatAtMillis = nowMillis;
    }
    settleReports(nowMillis);
    String serverId = report.serverId();
    List<String> replaced = servers.heartbeat(new ChunkServerInfo(serverId, report.address(), report.rack(),
        report.capacityBytes(), report.usedBytes(), nowMillis));
    for (String old : replaced) {
      chunks.removeServer(old);
      leases.revokeHeldBy(old);
      replication.forgetServer(old);
    }
    Set<Long> delete = new LinkedHashSet<>(); // a dropped replica may be both reported stale and pending deletion
    List<Long> future = new ArrayList<>();
    List<LogRecord.SetVersion> adoptions = new ArrayList<>();
    Set<Long> reported = new HashSet<>();
    for (HeartbeatReport.Replica r : report.chunks()) {
      boolean valid = r.handle() > 0 && r.version() > 0 && r.lengthBytes() >= 0
          && r.lengthBytes() <= settings.chunkSizeBytes();
      if (!valid || !reported.add(r.handle())) {
        continue; // malformed or repeated entries are ignored, never trusted
      }
      boolean missed = missedGrant.getOrDefault(r.handle(), Set.of()).contains(serverId);
      if (missed && replication.cloneTargetInFlight(r.handle(), serverId)) {
        continue; // a clone is replacing what it missed: neither stale nor current until the clone's outcome
      }
      switch (chunks.report(serverId, r.handle(), r.version(), r.lengthBytes(), missed)) {
        case STALE, UNKNOWN -> delete.add(r.handle());
        case UNKNOWN_FUTURE -> future.add(r.handle());
        case HIGHER -> adoptions.add(new LogRecord.SetVersion(r.handle(), r.version()));
        case ACCEPTED -> chunks.get(r.handle()).removeCorruptOn(serverId); // a good copy again (a clone replaced it)
        case IGNORED -> { }
        default -> throw new IllegalStateException("unhandled verdict");
      }
    }
    if (byWalk) {
      chunks.retainReportedByWalk(serverId, reported, nowMillis, REPORT_GRACE_MILLIS);
    } else {
      chunks.retainReported(serverId, reported, nowMillis, REPORT_GRACE_MILLIS);
    }
    for (long handle : report.corruptChunks()) {
      chunks.markCorrupt(serverId, handle);
      if (corruptReplicaCanGo(handle, serverId, nowMillis)) {
        delete.add(handle);
      }
    }
    for (long handle : replication.takePendingDeletes(serverId)) {
      chunks.dropReplica(handle, serverId); // the report above may have listed it again
      delete.add(handle);
    }
    List<Lease> extensions = new ArrayList<>();
    for (long handle : new HashSet<>(report.leaseExtensionRequests())) {
      if (chunks.isCurrentReplica(handle, serverId)) {
        Lease extended = leases.extend(handle, serverId, nowMillis, settings.leaseDurationMillis());
        if (extended != null) {
          extensions.add(extended);
        }
      }
    }
    pruneLeases();
    return new HeartbeatOutcome(List.copyOf(delete), extensions, adoptions, future, replaced);
  }

  /**
   * A corrupt replica [0127] is deleted once enough good ones exist elsewhere (re-replication made them); until then it
   * stays on its disk, unused, in case nothing better turns up. A corrupt replica of a chunk the master no longer has
   * is garbage.
   */
  private boolean corruptReplicaCanGo(long handle, String serverId, long nowMillis) {
    ChunkInfo chunk = chunks.get(handle);
    if (chunk == null) {
      return handle > 0 && handle < chunks.nextHandle();
    }
    List<String> good = liveCurrentReplicas(handle, nowMillis);
    good.remove(serverId);
    if (good.size() >= chunk.replicationTarget()) {
      chunks.dropReplica(handle, serverId);
      chunk.removeCorruptOn(serverId);
      return true;
    }
    chunk.addCorruptOn(serverId);
    return false;
  }

  /**
   * A replication scan: plans re-replication clones, excess removals and rebalancing moves (see
   * {@link ReplicationPlanner}). The monitor is held first only to copy the table's columns; which chunks are off
   * their target, and which chunks each server holds (the balancer's sources), is worked out after letting it go, and
   * the plan is then made under the monitor from those chunks only, each re-checked there (see
   * {@link ReplicationPlanner#plan}), instead of walks of every chunk under it (issue 6).
   */
  List<ClonePlan> planReplication(long nowMillis, int clonesMax, int clonesPerServerMax) {
    ChunkHealthSample sample;
    Set<String> counted;
    boolean balancing;
    synchronized (this) {
      counted = servers.liveIds(nowMillis);
      counted.removeIf(controls::isDraining); // a draining server's replicas do not count toward a target
      sample = chunks.targetSample(counted);
      balancing = controls.balancerEnabled();
    }
    long[] offTarget = sample.offTarget();
    // The balancer moves from and to live servers that are not draining: their chunks, found in the copy too (a
    // balancer switched on meanwhile starts with the next scan).
    Map<String, long[]> handlesOn = balancing ? sample.handlesOn(counted) : Map.of();
    synchronized (this) {
      return replication.plan(nowMillis, clonesMax, clonesPerServerMax, offTarget, handlesOn,
          this::liveCurrentReplicas);
    }
  }

  /** {@link #planReplication} by a walk of every chunk under the monitor: the reference for tests. */
  synchronized List<ClonePlan> planReplicationByWalk(long nowMillis, int clonesMax, int clonesPerServerMax) {
    return replication.planByWalk(nowMillis, clonesMax, clonesPerServerMax, this::liveCurrentReplicas);
  }

  /** A clone ended; true when the chunk gained a current replica. */
  synchronized boolean completeClone(ClonePlan clone, boolean succeeded, long nowMillis) {
    boolean gained = replication.complete(clone, succeeded, nowMillis);
    Set<String> missed = missedGrant.get(clone.handle());
    if (missed != null && chunks.isCurrentReplica(clone.handle(), clone.targetId())) {
      missed.remove(clone.targetId()); // a full copy of the current version replaced what it missed
      if (missed.isEmpty()) {
        missedGrant.remove(clone.handle());
      }
    }
    pruneLeases();
    return gained;
  }

  /** Primaries to tell to stop mutating chunks about to be cloned (see {@link ReplicationPlanner}). */
  synchronized List<LeasePlan.Revoked> takeLeasesToStop() {
    return replication.takeLeasesToStop();
  }

  /** A clone or lease-stop call to the server failed at the transport. */
  synchronized void unreachable(String serverId, long nowMillis) {
    replication.unreachable(serverId, nowMillis);
  }

  /** A primary asked to stop answered (stopped) or could not be told. */
  synchronized void leaseStopped(long handle, long version, boolean stopped) {
    replication.leaseStopped(handle, version, stopped);
  }

  synchronized int clonesInFlight() {
    return replication.inFlightCount();
  }

  /** See {@link #reportsSettled}. */
  private void settleReports(long nowMillis) {
    long since = firstHeartbeatAtMillis != Long.MIN_VALUE ? firstHeartbeatAtMillis : firstTickAtMillis;
    if (!reportsSettled && since != Long.MIN_VALUE && nowMillis - since >= settings.chunkServerDeadAfterMillis()) {
      reportsSettled = true;
    }
  }

  /** Forgets chunkservers silent too long (their replicas and leases) and expired leases. */
  synchronized List<String> tick(long nowMillis) {
    if (firstTickAtMillis == Long.MIN_VALUE) {
      firstTickAtMillis = nowMillis;
    }
    settleReports(nowMillis);
    List<String> dead = servers.removeDead(nowMillis);
    for (String serverId : dead) {
      chunks.removeServer(serverId);
      leases.revokeHeldBy(serverId);
      replication.forgetServer(serverId);
    }
    leases.expire(nowMillis);
    return dead;
  }

  /** Applies CHUNK_LENGTHS. */
  synchronized void applyLoggedLengths(LogRecord.ChunkLengths record) {
    chunks.applyLoggedLengths(record, settings.chunkSizeBytes());
  }

  synchronized int lengthsToLogCount() {
    return chunks.lengthsToLogCount();
  }

  synchronized void startLoggingLengths() {
    chunks.startLoggingLengths();
  }

  /** The next batch of learned lengths to log, or null (see ChunkTable#takeLengthsToLog). */
  synchronized LogRecord.ChunkLengths takeLengthsToLog(int entriesMax) {
    return chunks.takeLengthsToLog(entriesMax);
  }

  synchronized void reportLength(long handle, long lengthBytes) {
    chunks.reportLength(handle, lengthBytes);
  }

  synchronized void reportReplicaLength(String serverId, long handle, long version, long lengthBytes) {
    chunks.reportReplicaLength(serverId, handle, version, lengthBytes);
  }

  synchronized List<ServerStatus> status(long nowMillis) {
    List<ServerStatus> out = new ArrayList<>();
    for (ChunkServerInfo info : servers.live(nowMillis)) {
      out.add(new ServerStatus(info, chunks.replicaCount(info.serverId())));
    }
    return out;
  }

  synchronized int chunkCount() {
    return chunks.size();
  }

  synchronized int leaseCount() {
    return leases.size();
  }

  synchronized long nextHandle() {
    return chunks.nextHandle();
  }

  synchronized List<StateImage.Chunk> imageChunks() {
    return chunks.imageChunks();
  }

  /**
   * A checkpoint's chunk, with the reference count, replication target and deleted mark its files give it, and the
   * floor of its length the checkpoint kept (0: none) and whether the log holds it.
   */
  synchronized void restoreChunk(long handle, long version, int referenceCount, int replicationTarget,
      boolean trashed, int lengthBytes, boolean lengthLogged) {
    chunks.restore(handle, version, referenceCount, replicationTarget, trashed, lengthBytes, lengthLogged,
        lengthBytes >= settings.chunkSizeBytes());
  }

  /** A checkpoint's handle counter (never moves it back). */
  synchronized void restoreNextHandle(long value) {
    chunks.restoreNextHandle(value);
  }

  /** Every file's chunk exists with the right reference count; leases sit on current replicas. */
  synchronized void checkInvariants(Map<Long, Integer> references, Map<Long, Integer> targets) {
    for (Map.Entry<Long, Integer> ref : references.entrySet()) {
      ChunkInfo chunk = chunks.get(ref.getKey());
      Check.state(chunk != null, "file chunk %s missing from the chunk table", ref.getKey());
      Check.state(chunk.referenceCount() == ref.getValue(), "chunk %s reference count %s but %s files refer to it",
          ref.getKey(), chunk.referenceCount(), ref.getValue());
      Check.state(!targets.containsKey(ref.getKey()) || chunk.replicationTarget() == targets.get(ref.getKey()),
          "chunk %s wants %s replicas, its file %s",
          ref.getKey(), chunk.replicationTarget(), targets.get(ref.getKey()));
    }
    for (ChunkInfo chunk : chunks.all()) {
      Check.state(references.containsKey(chunk.handle), "chunk %s is in the table but in no file", chunk.handle);
      Check.state(chunk.handle < chunks.nextHandle(), "chunk %s at or past the handle counter %s", chunk.handle,
          chunks.nextHandle());
      Check.state(chunk.version() > 0, "chunk %s version %s", chunk.handle, chunk.version());
      for (String serverId : chunk.replicaIds()) {
        Check.state(servers.isRegistered(serverId), "chunk %s has a replica on unregistered server %s",
            chunk.handle, serverId);
      }
    }
    replication.checkInvariants();
    for (Lease lease : leases.all()) {
      ChunkInfo chunk = chunks.get(lease.handle());
      Check.state(chunk != null, "lease on missing chunk %s", lease.handle());
      Check.state(lease.version() == chunk.version(), "lease on chunk %s at version %s, chunk at %s", lease.handle(),
          lease.version(), chunk.version());
      Check.state(chunks.isCurrentReplica(lease.handle(), lease.primaryId()),
          "lease holder %s of chunk %s is not a current replica", lease.primaryId(), lease.handle());
    }
    for (Long handle : missedGrant.keySet()) {
      Check.state(chunks.get(handle) != null, "missed-grant entry for chunk %s that is not in the table", handle);
    }
    chunks.checkInvariants();
  }

  private void pruneLeases() {
    for (Lease lease : leases.all()) {
      ChunkInfo chunk = chunks.get(lease.handle());
      if (chunk == null || chunk.version() != lease.version()
          || !chunks.isCurrentReplica(lease.handle(), lease.primaryId())) {
        leases.revoke(lease.handle());
      }
    }
  }

  private List<String> liveCurrentReplicas(long handle, long nowMillis) {
    List<String> out = new ArrayList<>();
    for (String serverId : chunks.currentReplicas(handle)) {
      if (servers.isLive(serverId, nowMillis)) {
        out.add(serverId);
      }
    }
    return out;
  }

  private List<LeasePlan.Target> place(int replication, long nowMillis, String path) {
    List<Placement.Candidate> candidates = new ArrayList<>();
    for (ChunkServerInfo info : servers.live(nowMillis)) {
      if (controls.isDraining(info.serverId())) {
        continue; // issue 8: a decommissioning server takes no new chunk
      }
      candidates.add(new Placement.Candidate(info.serverId(), info.utilization(),
          servers.recentCreations(info.serverId(), nowMillis), info.rack()));
    }
    List<String> chosen = Placement.choose(candidates, replication, random);
    if (chosen.isEmpty()) {
      throw StateException.of(StateError.NO_CHUNKSERVERS, "no live chunkserver to place a new chunk of %s", path);
    }
    chosen.forEach(id -> servers.noteCreation(id, nowMillis));
    return targets(chosen);
  }

  private List<LeasePlan.Target> targets(List<String> serverIds) {
    List<LeasePlan.Target> out = new ArrayList<>();
    for (String id : serverIds) {
      out.add(new LeasePlan.Target(id, servers.get(id).address()));
    }
    return out;
  }

  private List<HostPort> addresses(List<String> serverIds) {
    List<HostPort> out = new ArrayList<>();
    for (String id : serverIds) {
      out.add(servers.get(id).address());
    }
    return out;
  }

  private LeaseView view(long chunkIndex, ChunkInfo chunk, Lease lease, long nowMillis) {
    List<HostPort> secondaries = new ArrayList<>();
    for (String id : liveCurrentReplicas(chunk.handle, nowMillis)) {
      if (!id.equals(lease.primaryId())) {
        secondaries.add(servers.get(id).address());
      }
    }
    return new LeaseView(chunkIndex, chunk.handle, chunk.version(), servers.get(lease.primaryId()).address(),
        secondaries, Math.max(0, lease.expiryMillis() - nowMillis));
  }
}
