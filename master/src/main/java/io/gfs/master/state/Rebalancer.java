package io.gfs.master.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Rebalancing [0073-0074]: moves replicas from the fullest chunkserver to the emptiest while their utilisations differ
 * by more than {@value #THRESHOLD} (a move is a clone, then the source's copy is deleted). Utilisation is projected
 * with the moves already in flight, so one scan does not send the same surplus twice; moves are few per scan and
 * bounded per server, so a new empty server is filled gradually rather than swamped. Only healthy chunks move (at
 * their target, not leased, nothing else in flight), and never in a way that leaves a chunk on fewer racks.
 */
final class Rebalancer {
  /** Utilisation spread (fullest minus emptiest) tolerated: half the 10% the cluster is held to. */
  static final double THRESHOLD = 0.05;

  private final ChunkTable chunks;
  private final LeaseTable leases;
  private final ChunkServerRegistry servers;
  /** Issue 8: draining servers are neither sources nor targets of moves (re-replication empties them). */
  private final OperatorControls controls;

  Rebalancer(ChunkTable chunks, LeaseTable leases, ChunkServerRegistry servers, OperatorControls controls) {
    this.chunks = chunks;
    this.leases = leases;
    this.servers = servers;
    this.controls = controls;
  }

  /**
   * Up to movesMax new moves; load (clones per server) is updated with them. handlesOn gives the chunks (ascending
   * handles) a server held replicas of, from the table or from a copy taken a moment before (a replica added since is
   * considered by the next pass); each is re-checked against the table before it moves.
   */
  List<ClonePlan> plan(long nowMillis, int movesMax, int perServerMax, Map<String, Integer> load,
      Map<Long, List<ClonePlan>> inFlight, Collection<ClonePlan> moving,
      BiFunction<Long, Long, List<String>> liveReplicas, Function<String, long[]> handlesOn) {
    List<ChunkServerInfo> live = new ArrayList<>(servers.live(nowMillis));
    live.removeIf(info -> controls.isDraining(info.serverId()));
    if (live.size() < 2) {
      return List.of();
    }
    Map<String, Long> used = new HashMap<>();
    live.forEach(info -> used.put(info.serverId(), info.usedBytes()));
    for (ClonePlan move : moving) {
      long length = lengthOf(move.handle());
      used.computeIfPresent(move.targetId(), (id, bytes) -> bytes + length);
      used.computeIfPresent(move.sourceId(), (id, bytes) -> bytes - length);
    }
    List<ClonePlan> planned = new ArrayList<>();
    Set<String> exhausted = new HashSet<>();
    while (planned.size() < movesMax) {
      ChunkServerInfo fullest = null;
      ChunkServerInfo emptiest = null;
      for (ChunkServerInfo info : live) {
        if (!exhausted.contains(info.serverId())
            && (fullest == null || utilization(info, used) > utilization(fullest, used))) {
          fullest = info;
        }
        if (emptiest == null || utilization(info, used) < utilization(emptiest, used)) {
          emptiest = info;
        }
      }
      if (fullest == null || utilization(fullest, used) - utilization(emptiest, used) <= THRESHOLD) {
        break;
      }
      ClonePlan move = pick(fullest, emptiest, nowMillis, perServerMax, load, inFlight, planned, liveReplicas,
          handlesOn);
      if (move == null) {
        exhausted.add(fullest.serverId()); // nothing movable there: try the next fullest
        continue;
      }
      long length = lengthOf(move.handle());
      used.merge(fullest.serverId(), -length, Long::sum);
      used.merge(emptiest.serverId(), length, Long::sum);
      load.merge(move.sourceId(), 1, Integer::sum);
      load.merge(move.targetId(), 1, Integer::sum);
      servers.noteCreation(move.targetId(), nowMillis);
      planned.add(move);
    }
    return planned;
  }

  private ClonePlan pick(ChunkServerInfo source, ChunkServerInfo target, long nowMillis, int perServerMax,
      Map<String, Integer> load, Map<Long, List<ClonePlan>> inFlight, List<ClonePlan> planned,
      BiFunction<Long, Long, List<String>> liveReplicas, Function<String, long[]> handlesOn) {
    Set<Long> planning = new HashSet<>();
    planned.forEach(p -> planning.add(p.handle()));
    if (load.getOrDefault(source.serverId(), 0) >= perServerMax
        || load.getOrDefault(target.serverId(), 0) >= perServerMax) {
      return null;
    }
    for (long handle : handlesOn.apply(source.serverId())) {
      ChunkInfo chunk = chunks.get(handle); // re-checked here: the handles may come from a copy of the table
      if (chunk == null || chunk.grantInProgress() || chunk.knownLengthBytes() == 0 || inFlight.containsKey(handle)
          || planning.contains(handle)
          || chunk.replica(target.serverId()) != null || chunk.isCorruptOn(target.serverId())) {
        continue;
      }
      if (leases.mayStillMutate(handle, chunk.version(), nowMillis) != null) {
        continue; // a primary may be writing it: a copy now could miss mutations
      }
      List<String> current = liveReplicas.apply(handle, nowMillis);
      if (!current.contains(source.serverId()) || current.size() < chunk.replicationTarget()
          || !keepsRacks(current, source, target)) {
        continue;
      }
      return new ClonePlan(handle, chunk.version(), source.serverId(), source.address(), target.serverId(),
          target.address(), 0, nowMillis);
    }
    return null;
  }

  /** Moving the replica from source to target leaves the chunk on at least as many racks. */
  private boolean keepsRacks(List<String> holders, ChunkServerInfo source, ChunkServerInfo target) {
    Set<String> before = new HashSet<>();
    Set<String> after = new HashSet<>();
    for (String id : holders) {
      String rack = servers.get(id).rack();
      before.add(rack);
      if (!id.equals(source.serverId())) {
        after.add(rack);
      }
    }
    after.add(target.rack());
    return after.size() >= before.size();
  }

  private long lengthOf(long handle) {
    ChunkInfo chunk = chunks.get(handle);
    return chunk == null ? 0 : chunk.knownLengthBytes();
  }

  private static double utilization(ChunkServerInfo info, Map<String, Long> used) {
    long capacity = info.capacityBytes();
    return capacity <= 0 ? 1.0 : (double) Math.max(0, used.get(info.serverId())) / capacity;
  }
}
