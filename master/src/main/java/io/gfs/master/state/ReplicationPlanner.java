package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Re-replication and excess removal [0069-0072]. Each scan ranks the chunks below their replication target: a chunk
 * a writer is waiting on first, then the one missing more replicas, then live files before deleted ones, and plans
 * clones in that order until the cluster-wide and per-chunkserver clone limits are reached (so clones cannot swamp
 * client traffic). A clone copies from a live current replica to a live server that holds no copy of the chunk,
 * placed like a new chunk (below-average utilisation, few recent creations). A clone taken while a primary still
 * mutates the chunk could miss mutations, so a chunk under an unexpired lease is not cloned as it is: its lease is
 * revoked and its primary told to stop ({@link #takeLeasesToStop}); once it confirmed (or the lease ran out) the chunk
 * is cloned, and meanwhile writers asking for a lease on it get BUSY ({@link #repairing}) and wait for the clone rather
 * than bump the version under it. So a corrupt or lost replica of a chunk a writer keeps busy is repaired at once, not
 * after the writer goes idle for a lease period. A chunk above its target (a server came back, or the target was
 * lowered) loses replicas on its fullest servers, through the next heartbeat replies. Runs under
 * {@link ChunkCoordinator}'s monitor.
 */
final class ReplicationPlanner {
  /** How long a writer's interest boosts a chunk's priority (its writer gives up long before). */
  static final long CLIENT_WAITING_BOOST_MILLIS = 10 * 60_000;
  /** A clone not reported back within this is forgotten (the shell reports every outcome; this is a backstop). */
  static final long CLONE_IN_FLIGHT_MILLIS_MAX = 30 * 60_000;

  private final ChunkTable chunks;
  private final LeaseTable leases;
  private final ChunkServerRegistry servers;
  private final RandomGenerator random;
  /** handle to the clones running for it. TreeMap: deterministic iteration. */
  private final Map<Long, List<ClonePlan>> inFlight = new TreeMap<>();
  /** serverId to the replicas it must be told to delete in its next heartbeat reply. */
  private final Map<String, List<Long>> pendingDeletes = new TreeMap<>();
  /** Rebalancing moves in flight: the clone, and the server whose replica goes once the clone succeeded. */
  private final Map<ClonePlan, String> moves = new HashMap<>();
  private final Rebalancer rebalancer;
  /** Issue 8: draining servers' replicas do not count toward a target (but are copied from); the balancer switch. */
  private final OperatorControls controls;
  /** Leases revoked for a repair whose primary was asked to stop: handle to the version, and whether it failed. */
  private final Map<Long, Stopping> stopping = new TreeMap<>();
  /** Primaries to tell to drop their lease, handed to the shell once. */
  private final List<LeasePlan.Revoked> toStop = new ArrayList<>();

  private record Stopping(long version, boolean unanswered) {}

  private static final long[] NO_HANDLES = {};

  /**
   * serverId to when a call to it failed at the transport (connection refused): not a clone source or target again
   * until it heartbeats after that. A server killed a moment ago stays "live" until it misses heartbeats for the
   * dead-after time; without this, each failed clone would start the next one onto it at once.
   */
  private final Map<String, Long> unreachableAtMillis = new HashMap<>();

  ReplicationPlanner(ChunkTable chunks, LeaseTable leases, ChunkServerRegistry servers, RandomGenerator random,
      OperatorControls controls) {
    this.chunks = chunks;
    this.leases = leases;
    this.servers = servers;
    this.random = random;
    this.controls = controls;
    this.rebalancer = new Rebalancer(chunks, leases, servers, controls);
  }

  /**
   * live: every live current replica (clone sources); counted: those toward the target (not draining); mutating: the
   * lease under which a primary may still write the chunk (null: none), stopped before the chunk is cloned.
   */
  private record Candidate(ChunkInfo chunk, List<String> live, int counted, boolean clientWaiting, int missing,
      Lease mutating) {}

  /**
   * Plans new clones within the limits, and excess replicas to delete; liveReplicas gives a chunk's live current
   * replicas. Only the chunks of offTarget (ascending handles) are looked at: those whose count of live current
   * replicas on serving servers differed from their target in a copy of the table taken a moment before
   * ({@link ChunkHealthSample#offTarget}); every other chunk was on target then and would be neither cloned nor
   * trimmed (a chunk that left its target since is found by the next scan). Each is re-checked here, under the
   * monitor, by the same rules as the full walk ({@link #planByWalk}), so nothing is planned from the copy itself.
   */
  List<ClonePlan> plan(long nowMillis, int clonesMax, int clonesPerServerMax, long[] offTarget,
      Map<String, long[]> handlesOn, BiFunction<Long, Long, List<String>> liveReplicas) {
    Check.argument(clonesMax > 0 && clonesPerServerMax > 0, "clone limits %s/%s", clonesMax, clonesPerServerMax);
    expireInFlight(nowMillis);
    // The walk forgot every stopped lease whose chunk no longer mutates; here those chunks are looked up directly.
    stopping.keySet().removeIf(handle -> {
      ChunkInfo chunk = chunks.get(handle);
      return chunk != null && !chunk.grantInProgress() && !chunk.allocationFailed()
          && leases.mayStillMutate(handle, chunk.version(), nowMillis) == null;
    });
    List<Candidate> candidates = new ArrayList<>();
    for (long handle : offTarget) {
      ChunkInfo chunk = chunks.get(handle);
      if (chunk != null) { // null: deleted since the copy
        consider(chunk, nowMillis, liveReplicas, candidates);
      }
    }
    return planCandidates(nowMillis, clonesMax, clonesPerServerMax, candidates, liveReplicas,
        id -> handlesOn.getOrDefault(id, NO_HANDLES));
  }

  /** {@link #plan} by a walk of every chunk: the reference the plan from a copy is checked against (tests). */
  List<ClonePlan> planByWalk(long nowMillis, int clonesMax, int clonesPerServerMax,
      BiFunction<Long, Long, List<String>> liveReplicas) {
    Check.argument(clonesMax > 0 && clonesPerServerMax > 0, "clone limits %s/%s", clonesMax, clonesPerServerMax);
    expireInFlight(nowMillis);
    List<Candidate> candidates = new ArrayList<>();
    for (ChunkInfo chunk : chunks.all()) {
      consider(chunk, nowMillis, liveReplicas, candidates);
    }
    return planCandidates(nowMillis, clonesMax, clonesPerServerMax, candidates, liveReplicas,
        id -> chunks.handlesOn(id).stream().mapToLong(Long::longValue).toArray());
  }

  /** One chunk of a scan: a clone candidate when below target, its excess dropped when above. */
  private void consider(ChunkInfo chunk, long nowMillis, BiFunction<Long, Long, List<String>> liveReplicas,
      List<Candidate> candidates) {
    if (chunk.grantInProgress() || chunk.allocationFailed()) {
      return;
    }
    Lease mutating = leases.mayStillMutate(chunk.handle, chunk.version(), nowMillis);
    if (mutating == null) {
      stopping.remove(chunk.handle); // confirmed, expired, or a new version fenced the old primary off
    }
    List<String> live = liveReplicas.apply(chunk.handle, nowMillis);
    List<String> counted = controls.serving(live);
    int running = inFlight.getOrDefault(chunk.handle, List.of()).size();
    if (!live.isEmpty() && counted.size() + running < chunk.replicationTarget()) {
      boolean waiting = chunk.clientWaitingAtMillis() != Long.MIN_VALUE
          && nowMillis - chunk.clientWaitingAtMillis() < CLIENT_WAITING_BOOST_MILLIS;
      candidates.add(new Candidate(chunk, live, counted.size(), waiting,
          chunk.replicationTarget() - counted.size(), mutating));
    } else if (counted.size() > chunk.replicationTarget() && running == 0 && mutating == null) {
      dropExcess(chunk, counted, nowMillis);
    }
  }

  /** Ranks a scan's candidates and plans their clones within the limits, then rebalancing moves. */
  private List<ClonePlan> planCandidates(long nowMillis, int clonesMax, int clonesPerServerMax,
      List<Candidate> candidates, BiFunction<Long, Long, List<String>> liveReplicas,
      Function<String, long[]> handlesOn) {
    candidates.sort(Comparator.comparing((Candidate c) -> !c.clientWaiting())
        .thenComparing(Comparator.comparingInt(Candidate::missing).reversed())
        .thenComparing(c -> c.chunk().trashed())
        .thenComparingLong(c -> c.chunk().handle));
    Map<String, Integer> load = load();
    List<ClonePlan> planned = new ArrayList<>();
    int running = inFlightCount();
    for (Candidate candidate : candidates) {
      if (candidate.mutating() != null) {
        if (stopLease(candidate.chunk(), candidate.mutating())) {
          running++; // its clone follows the primary's answer: it keeps its place in this scan's budget
        }
        if (running >= clonesMax) {
          break;
        }
        continue;
      }
      int wanted = candidate.chunk().replicationTarget() - candidate.counted()
          - inFlight.getOrDefault(candidate.chunk().handle, List.of()).size();
      for (int i = 0; i < wanted && running < clonesMax; i++) {
        ClonePlan clone = planOne(candidate, load, clonesPerServerMax, nowMillis);
        if (clone == null) {
          break;
        }
        inFlight.computeIfAbsent(clone.handle(), h -> new ArrayList<>()).add(clone);
        load.merge(clone.sourceId(), 1, Integer::sum);
        load.merge(clone.targetId(), 1, Integer::sum);
        planned.add(clone);
        running++;
      }
      if (running >= clonesMax) {
        break;
      }
    }
    planned.addAll(planMoves(nowMillis, clonesMax - running, clonesMax, clonesPerServerMax, load, liveReplicas,
        handlesOn));
    return planned;
  }

  /** Rebalancing [0073-0074] uses what re-replication left of the budget (free), and at most a quarter of it. */
  private List<ClonePlan> planMoves(long nowMillis, int free, int clonesMax, int clonesPerServerMax,
      Map<String, Integer> load, BiFunction<Long, Long, List<String>> liveReplicas,
      Function<String, long[]> handlesOn) {
    int movesMax = Math.min(free, Math.max(1, clonesMax / 4) - moves.size());
    if (movesMax <= 0 || !controls.balancerEnabled()) {
      return List.of();
    }
    List<ClonePlan> planned = rebalancer.plan(nowMillis, movesMax, clonesPerServerMax, load, inFlight,
        moves.keySet(), liveReplicas, handlesOn);
    for (ClonePlan move : planned) {
      inFlight.computeIfAbsent(move.handle(), h -> new ArrayList<>()).add(move);
      moves.put(move, move.sourceId());
    }
    return planned;
  }

  /**
   * Revokes the lease a chunk under repair is mutated under and asks its primary (once) to stop; true when it asked
   * now. A primary that cannot be told is waited out until its lease expires.
   */
  private boolean stopLease(ChunkInfo chunk, Lease lease) {
    leases.revoke(chunk.handle); // no extension any more; remembered until the primary confirms
    Stopping asked = stopping.get(chunk.handle);
    ChunkServerInfo primary = servers.get(lease.primaryId());
    if ((asked != null && asked.version() == lease.version()) || primary == null) {
      return false;
    }
    stopping.put(chunk.handle, new Stopping(lease.version(), false));
    toStop.add(new LeasePlan.Revoked(chunk.handle, lease.version(), primary.address(), lease.expiryMillis()));
    return true;
  }

  /**
   * The chunk left the table (its last file let it go): a stop asked of its primary is forgotten. Scans look only at
   * chunks in the table, so a stop whose primary never answered stayed here for good.
   */
  void forgetChunk(long handle) {
    stopping.remove(handle);
  }

  /** Stops are remembered only for chunks in the table. */
  void checkInvariants() {
    for (long handle : stopping.keySet()) {
      Check.state(chunks.get(handle) != null, "a lease stop is remembered for chunk %s, not in the table", handle);
    }
  }

  /** A call to the server failed at the transport: leave it out of clones until it heartbeats again. */
  void unreachable(String serverId, long nowMillis) {
    unreachableAtMillis.put(serverId, nowMillis);
  }

  private boolean reachable(String serverId) {
    Long failedAt = unreachableAtMillis.get(serverId);
    if (failedAt == null) {
      return true;
    }
    ChunkServerInfo info = servers.get(serverId);
    if (info == null || info.lastHeartbeatMillis() > failedAt) {
      unreachableAtMillis.remove(serverId); // it spoke since: try it again
      return info != null;
    }
    return false;
  }

  /** The primaries to tell to drop their lease (assignVersion with lease 0), handed over once. */
  List<LeasePlan.Revoked> takeLeasesToStop() {
    List<LeasePlan.Revoked> out = List.copyOf(toStop);
    toStop.clear();
    return out;
  }

  /**
   * The primary answered (stopped) or could not be reached: in the first case the chunk can be cloned now; in the
   * second the planner waits for the lease to expire, and writers are no longer held off meanwhile.
   */
  void leaseStopped(long handle, long version, boolean stopped) {
    Stopping asked = stopping.get(handle);
    if (asked == null || asked.version() != version) {
      return;
    }
    if (stopped) {
      leases.confirmStopped(handle, version);
      stopping.remove(handle);
    } else {
      stopping.put(handle, new Stopping(version, true));
    }
  }

  /**
   * Whether a writer must wait for this chunk: its primary is being stopped for a clone, or a clone restoring a
   * missing replica is running (a grant now would bump the version and make that clone stale).
   */
  boolean repairing(long handle) {
    Stopping asked = stopping.get(handle);
    if (asked != null && !asked.unanswered()) {
      return true;
    }
    return inFlight.getOrDefault(handle, List.of()).stream().anyMatch(c -> c.missingReplicas() > 0);
  }

  /** Whether the server is the target of a clone of this chunk that is running now. */
  boolean cloneTargetInFlight(long handle, String serverId) {
    return inFlight.getOrDefault(handle, List.of()).stream().anyMatch(c -> c.targetId().equals(serverId));
  }

  private ClonePlan planOne(Candidate candidate, Map<String, Integer> load, int perServerMax, long nowMillis) {
    ChunkInfo chunk = candidate.chunk();
    String source = null;
    for (String id : candidate.live()) {
      if (load.getOrDefault(id, 0) < perServerMax && reachable(id)
          && (source == null || load.getOrDefault(id, 0) < load.getOrDefault(source, 0))) {
        source = id;
      }
    }
    if (source == null) {
      return null;
    }
    Set<String> excluded = new java.util.HashSet<>(chunk.replicas().keySet());
    inFlight.getOrDefault(chunk.handle, List.of()).forEach(c -> excluded.add(c.targetId()));
    // A server holding a corrupt copy is the last resort: copyChunkFrom replaces that copy, but its disk is suspect.
    Set<String> racks = new java.util.HashSet<>();
    candidate.live().forEach(id -> racks.add(servers.get(id).rack()));
    inFlight.getOrDefault(chunk.handle, List.of()).forEach(c -> {
      ChunkServerInfo info = servers.get(c.targetId());
      if (info != null) {
        racks.add(info.rack());
      }
    });
    String target = chooseTarget(excluded, Set.copyOf(chunk.corruptOn()), racks, load, perServerMax, nowMillis);
    if (target == null) {
      target = chooseTarget(excluded, Set.of(), racks, load, perServerMax, nowMillis);
    }
    if (target == null) {
      return null;
    }
    servers.noteCreation(target, nowMillis); // a clone target takes write traffic like a new chunk's replica [0065]
    return new ClonePlan(chunk.handle, chunk.version(), source, servers.get(source).address(), target,
        servers.get(target).address(), candidate.missing(), nowMillis);
  }

  /** A clone target, on a rack the chunk's replicas do not use yet when there is one [0066-0068]. */
  private String chooseTarget(Set<String> excluded, Set<String> avoided, Set<String> usedRacks,
      Map<String, Integer> load, int perServerMax, long nowMillis) {
    List<Placement.Candidate> targets = new ArrayList<>();
    for (ChunkServerInfo info : servers.live(nowMillis)) {
      String id = info.serverId();
      if (!excluded.contains(id) && !avoided.contains(id) && load.getOrDefault(id, 0) < perServerMax
          && !controls.isDraining(id) && reachable(id)) {
        targets.add(new Placement.Candidate(id, info.utilization(), servers.recentCreations(id, nowMillis),
            info.rack()));
      }
    }
    List<String> chosen = Placement.choose(targets, 1, random, usedRacks);
    return chosen.isEmpty() ? null : chosen.get(0);
  }

  /** Above target: forget the replicas on the fullest servers now and have them deleted through heartbeats. */
  private void dropExcess(ChunkInfo chunk, List<String> live, long nowMillis) {
    List<ChunkServerInfo> holders = new ArrayList<>();
    live.forEach(id -> holders.add(servers.get(id)));
    holders.sort(Comparator.comparingDouble(ChunkServerInfo::utilization).reversed()
        .thenComparing(ChunkServerInfo::serverId));
    int excess = live.size() - chunk.replicationTarget();
    for (int n = 0; n < excess; n++) {
      // The fullest holder on a rack with another replica goes first: racks keep their spread [0066-0068].
      Map<String, Integer> perRack = new HashMap<>();
      holders.forEach(h -> perRack.merge(h.rack(), 1, Integer::sum));
      ChunkServerInfo victim = holders.stream().filter(h -> perRack.get(h.rack()) > 1).findFirst()
          .orElse(holders.get(0));
      holders.remove(victim);
      chunks.dropReplica(chunk.handle, victim.serverId());
      pendingDeletes.computeIfAbsent(victim.serverId(), s -> new ArrayList<>()).add(chunk.handle);
    }
  }

  /** The replicas this server must delete, handed over once (the caller puts them in its heartbeat reply). */
  List<Long> takePendingDeletes(String serverId) {
    List<Long> out = pendingDeletes.remove(serverId);
    return out == null ? List.of() : out;
  }

  /** A chunkserver left (dead or replaced): its pending deletes go with it; clones involving it will fail. */
  void forgetServer(String serverId) {
    pendingDeletes.remove(serverId);
    unreachableAtMillis.remove(serverId);
  }

  /** The clone ended; returns whether the chunk gained the replica (the target holds version, still current). */
  boolean complete(ClonePlan clone, boolean succeeded, long nowMillis) {
    List<ClonePlan> running = inFlight.get(clone.handle());
    if (running == null || !running.remove(clone)) {
      return false; // expired meanwhile
    }
    if (running.isEmpty()) {
      inFlight.remove(clone.handle());
    }
    String movedFrom = moves.remove(clone);
    ChunkInfo chunk = chunks.get(clone.handle());
    if (!succeeded || chunk == null || !servers.isRegistered(clone.targetId())) {
      return false;
    }
    if (leases.mayStillMutate(clone.handle(), clone.version(), nowMillis) != null) {
      // A primary took a lease at this very version while the copy ran (no version bump fenced the copy off): it
      // writes without the target, so the copy would pass for current while missing acknowledged bytes. Drop it;
      // the next heartbeat's report of it is overruled by this delete.
      pendingDeletes.computeIfAbsent(clone.targetId(), s -> new ArrayList<>()).add(clone.handle());
      return false;
    }
    chunks.confirmReplica(clone.handle(), clone.targetId(), clone.version(), nowMillis);
    chunk.removeCorruptOn(clone.targetId()); // the clone replaced a corrupt copy there, if one was
    boolean gained = chunk.version() == clone.version();
    if (gained && movedFrom != null && chunks.currentReplicas(clone.handle()).size() > chunk.replicationTarget()) {
      // A move: the copy on the fuller server goes, through its next heartbeat reply.
      chunks.dropReplica(clone.handle(), movedFrom);
      pendingDeletes.computeIfAbsent(movedFrom, s -> new ArrayList<>()).add(clone.handle());
    }
    return gained;
  }

  /** Rebalancing moves running now. */
  int movesInFlight() {
    return moves.size();
  }

  int inFlightCount() {
    int count = 0;
    for (List<ClonePlan> running : inFlight.values()) {
      count += running.size();
    }
    return count;
  }

  private Map<String, Integer> load() {
    Map<String, Integer> load = new HashMap<>();
    for (List<ClonePlan> running : inFlight.values()) {
      for (ClonePlan c : running) {
        load.merge(c.sourceId(), 1, Integer::sum);
        load.merge(c.targetId(), 1, Integer::sum);
      }
    }
    return load;
  }

  private void expireInFlight(long nowMillis) {
    inFlight.values().forEach(running -> running.removeIf(c -> nowMillis - c.plannedAtMillis()
        > CLONE_IN_FLIGHT_MILLIS_MAX));
    inFlight.values().removeIf(List::isEmpty);
    moves.keySet().removeIf(c -> nowMillis - c.plannedAtMillis() > CLONE_IN_FLIGHT_MILLIS_MAX);
  }
}
