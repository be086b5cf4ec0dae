package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The health counts that getClusterStatus, the admin report and the metrics sample (counted from a copy of the chunk
 * table's columns, after the coordinator's monitor is let go) equal a full recount - a walk of every chunk through the
 * coordinator's own liveness and currency rules - after every step of seeded random runs: chunks added, shared and
 * deleted, replicas reported, lost from disks, reported corrupt, left stale by version bumps or adopted ahead of the
 * master, targets changed, servers silent past the dead-after time and then forgotten. The status pages' list of
 * chunks needing attention (also walked from a copy) equals the list a walk under the monitor makes, whole and capped.
 * A twin coordinator takes every same step, except that its replication scans walk every chunk under the monitor
 * ({@link ChunkCoordinator#planReplicationByWalk}) while the first plans from the chunks a copy found off target
 * ({@link ChunkCoordinator#planReplication}), rebalancing moves included (the balancer switched on and off), and its
 * heartbeats reconcile each full report by a walk of every chunk ({@link ChunkCoordinator#heartbeatByWalk}) while the
 * first looks up only the reported chunks when the server's replica count says none went unreported: their plans,
 * heartbeat answers (the excess replicas dropped) and health stay equal, with clones completed or failed and servers
 * drained between scans.
 */
class ChunkHealthModelTest {
  private static final long CHUNK_SIZE = 1L << 20;
  private static final long DEAD_AFTER_MILLIS = 10_000;
  private static final List<String> SERVERS = List.of("s0", "s1", "s2", "s3", "s4");
  private static final int STEPS = 600;
  /** The status pages' problem list, compared whole, capped below the counts and not at all. */
  private static final int[] LISTED_MAXES = {0, 2, Integer.MAX_VALUE};

  private ChunkCoordinator coordinator;
  /** The same steps, replication scans by the full walk. */
  private ChunkCoordinator twin;
  /** The clones the last scan planned, completed or failed (on both) at the next scan step. */
  private List<ClonePlan> clonesRunning = new ArrayList<>();
  private SplittableRandom random;
  private long nowMillis;
  private long nextHandle;
  /** What the files hold: handle to reference count and to replication target (checkInvariants' inputs). */
  private final Map<Long, Integer> references = new TreeMap<>();
  private final Map<Long, Integer> targets = new TreeMap<>();
  /** Each chunkserver's disk: handle to the version it holds. */
  private final Map<String, Map<Long, Long>> disks = new TreeMap<>();
  /** Per server, the handles it will report corrupt in its next heartbeat. */
  private final Map<String, List<Long>> corrupt = new HashMap<>();
  private int underSeen;
  private int corruptSeen;
  private int missingSeen;
  private int healthySeen;
  private int clonesSeen;
  private int movesSeen;

  @Test
  void sampledCountsEqualAFullRecountAfterEveryStep() {
    for (long seed = 1; seed <= 6; seed++) {
      run(seed);
    }
    // The runs reached every kind of problem (and health): a model check that never saw one proves nothing.
    assertTrue(underSeen > 0 && corruptSeen > 0 && missingSeen > 0 && healthySeen > 0,
        "steps seen under/corrupt/missing/healthy: " + underSeen + "/" + corruptSeen + "/" + missingSeen + "/"
            + healthySeen);
    assertTrue(clonesSeen > 0, "the replication scans planned no clone");
    assertTrue(movesSeen > 0, "the replication scans planned no rebalancing move");
  }

  private void run(long seed) {
    coordinator = new ChunkCoordinator(new MasterState.Settings(CHUNK_SIZE, 60_000, DEAD_AFTER_MILLIS, 3),
        new SplittableRandom(seed));
    twin = new ChunkCoordinator(new MasterState.Settings(CHUNK_SIZE, 60_000, DEAD_AFTER_MILLIS, 3),
        new SplittableRandom(seed));
    clonesRunning = new ArrayList<>();
    random = new SplittableRandom(seed * 31 + 7);
    nowMillis = 1_000_000;
    nextHandle = 1;
    references.clear();
    targets.clear();
    disks.clear();
    corrupt.clear();
    SERVERS.forEach(id -> disks.put(id, new TreeMap<>()));
    for (int step = 0; step < STEPS; step++) {
      String op = step();
      coordinator.checkInvariants(references, targets);
      ChunkHealth recount = coordinator.operations().chunkHealthByWalk(nowMillis);
      String where = "seed " + seed + " step " + step + " (" + op + ")";
      assertEquals(recount, coordinator.operations().chunkHealth(nowMillis), where);
      assertEquals(recount, twin.operations().chunkHealthByWalk(nowMillis), where + " twin");
      List<Long> handles = new ArrayList<>(references.keySet()); // every chunk's version, length, live locations
      assertEquals(twin.views(handles, 0, handles.size(), nowMillis),
          coordinator.views(handles, 0, handles.size(), nowMillis), where + " twin's chunks");
      for (int listedMax : LISTED_MAXES) { // the status pages' problem list, from a copy, against the walk
        assertEquals(coordinator.listing().problemsByWalk(nowMillis, listedMax),
            coordinator.listing().problems(nowMillis, listedMax), where + " listing " + listedMax);
      }
      underSeen += recount.underReplicated() > 0 ? 1 : 0;
      corruptSeen += recount.corrupt() > 0 ? 1 : 0;
      missingSeen += recount.missing() > 0 ? 1 : 0;
      healthySeen += !references.isEmpty() && recount.equals(new ChunkHealth(0, 0, 0)) ? 1 : 0;
    }
  }

  private String step() {
    int dice = random.nextInt(100);
    if (dice < 15 || references.isEmpty()) {
      return addChunk();
    }
    if (dice < 55) {
      return heartbeat(SERVERS.get(random.nextInt(SERVERS.size())));
    }
    long handle = anyChunk();
    if (dice < 62) {
      return bumpVersion(handle);
    }
    if (dice < 67) {
      int target = 1 + random.nextInt(3);
      coordinator.setTargets(List.of(handle), target);
      twin.setTargets(List.of(handle), target);
      targets.put(handle, target);
      return "target " + handle + " " + target;
    }
    if (dice < 72) {
      return deleteOrShare(handle);
    }
    if (dice < 78) {
      String server = anyServer();
      corrupt.computeIfAbsent(server, s -> new ArrayList<>()).add(handle);
      return "corrupt " + handle + " on " + server;
    }
    if (dice < 82) {
      String server = anyServer();
      disks.get(server).remove(handle);
      return "lost " + handle + " on " + server;
    }
    if (dice < 85) {
      String server = anyServer();
      disks.get(server).computeIfPresent(handle, (h, v) -> v + 1); // a version the master has not logged yet
      return "ahead " + handle + " on " + server;
    }
    if (dice < 89) {
      return scan();
    }
    if (dice < 95) {
      nowMillis += random.nextLong(DEAD_AFTER_MILLIS / 2); // silent servers stop counting as live
      return "advance to " + nowMillis;
    }
    assertEquals(coordinator.tick(nowMillis), twin.tick(nowMillis));
    return "tick";
  }

  private String addChunk() {
    long handle = nextHandle++;
    int target = 1 + random.nextInt(3);
    coordinator.applyAdd(handle, 1, target, false);
    twin.applyAdd(handle, 1, target, false);
    references.put(handle, 1);
    targets.put(handle, target);
    for (String server : SERVERS) {
      if (random.nextInt(SERVERS.size()) < target) {
        disks.get(server).put(handle, 1L);
      }
    }
    return "add " + handle;
  }

  private String heartbeat(String server) {
    List<HeartbeatReport.Replica> report = new ArrayList<>();
    // A length per handle and version, so the problem list's lengths (the longest reported) vary too.
    disks.get(server).forEach((handle, version) -> report.add(new HeartbeatReport.Replica(handle, version,
        Math.min(CHUNK_SIZE, handle * 4096 + version * 7))));
    List<Long> corruptNow = corrupt.getOrDefault(server, List.of());
    corrupt.remove(server);
    // Used space follows the disk (a chunk is 2% of the capacity), so the servers' utilisations differ by more than
    // the balancer's threshold now and then and scans plan moves.
    HeartbeatReport beat = new HeartbeatReport(server, StateFixture.address(server), "/r", 50 * CHUNK_SIZE,
        disks.get(server).size() * CHUNK_SIZE, report, List.of(), corruptNow);
    HeartbeatOutcome outcome = coordinator.heartbeat(beat, nowMillis);
    assertEquals(outcome, twin.heartbeatByWalk(beat, nowMillis), "the twin's heartbeat answer");
    outcome.deleteChunks().forEach(disks.get(server)::remove);
    for (LogRecord.SetVersion adoption : outcome.adoptions()) {
      coordinator.applySetVersion(adoption.handle(), adoption.version()); // as the server logs and applies it
      twin.applySetVersion(adoption.handle(), adoption.version());
    }
    return "heartbeat " + server;
  }

  private String bumpVersion(long handle) {
    long version = 1 + maxVersion(handle);
    coordinator.applySetVersion(handle, version);
    twin.applySetVersion(handle, version);
    for (Map<Long, Long> disk : disks.values()) {
      if (disk.containsKey(handle) && random.nextBoolean()) {
        disk.put(handle, maxVersion(handle)); // told the new version; the others keep a stale copy
      }
    }
    return "bump " + handle;
  }

  /** A version at least the master's: the model does not mirror it, the coordinator's views do. */
  private long maxVersion(long handle) {
    return coordinator.views(List.of(handle), 0, 1, nowMillis).get(0).version();
  }

  private String deleteOrShare(long handle) {
    if (random.nextBoolean()) {
      coordinator.addReferences(List.of(handle)); // a snapshot's file refers to it too
      twin.addReferences(List.of(handle));
      references.merge(handle, 1, Integer::sum);
      return "share " + handle;
    }
    coordinator.release(List.of(handle));
    twin.release(List.of(handle));
    if (references.merge(handle, -1, Integer::sum) == 0) {
      references.remove(handle);
      targets.remove(handle);
    }
    return "release " + handle;
  }

  /**
   * The last scan's clones end (a success puts the copy on the target's disk), a server may start or stop draining,
   * then both coordinators scan with the same random limits: the plan from the copy equals the full walk's.
   */
  private String scan() {
    for (ClonePlan clone : clonesRunning) {
      boolean succeeded = random.nextInt(4) > 0;
      if (succeeded) {
        disks.get(clone.targetId()).put(clone.handle(), clone.version());
      }
      assertEquals(coordinator.completeClone(clone, succeeded, nowMillis), twin.completeClone(clone, succeeded,
          nowMillis), "clone " + clone);
    }
    String server = anyServer();
    if (random.nextInt(4) == 0 && coordinator.operations().findServer(server).isPresent()) {
      if (!coordinator.operations().stopDrain(server)) {
        coordinator.operations().startDrain(server);
        twin.operations().startDrain(server);
      } else {
        twin.operations().stopDrain(server);
      }
    }
    if (random.nextInt(8) == 0) { // the balancer switched (on by default)
      boolean balancing = random.nextBoolean();
      coordinator.operations().setBalancerEnabled(balancing);
      twin.operations().setBalancerEnabled(balancing);
    }
    // Now and then limits that re-replication does not use up, so that rebalancing moves get some of the budget.
    boolean roomy = random.nextInt(4) == 0;
    int clonesMax = roomy ? 24 : 1 + random.nextInt(6);
    int perServerMax = roomy ? 8 : 1 + random.nextInt(3);
    clonesRunning = coordinator.planReplication(nowMillis, clonesMax, perServerMax);
    assertEquals(twin.planReplicationByWalk(nowMillis, clonesMax, perServerMax), clonesRunning, "the twin's plan");
    assertEquals(twin.takeLeasesToStop(), coordinator.takeLeasesToStop());
    clonesSeen += clonesRunning.size();
    movesSeen += (int) clonesRunning.stream().filter(c -> c.missingReplicas() == 0).count();
    return "scan " + clonesMax + "/" + perServerMax + ": " + clonesRunning.size() + " clones";
  }

  private long anyChunk() {
    List<Long> handles = new ArrayList<>(references.keySet());
    return handles.get(random.nextInt(handles.size()));
  }

  private String anyServer() {
    return SERVERS.get(random.nextInt(SERVERS.size()));
  }
}
