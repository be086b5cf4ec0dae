package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator's controls (issue 8): a draining chunkserver gets no new replica, its chunks are cloned to in-service
 * servers until none is short without it; the balancer switch stops moves; the health counts.
 */
class OperatorControlsTest {
  private static final long CAPACITY = 100 * StateFixture.CHUNK_SIZE;
  private static final int CHUNKS = 6;
  private final StateFixture f = new StateFixture(2, 5);
  private final Map<String, List<HeartbeatReport.Replica>> held = new HashMap<>();

  private HeartbeatOutcome beat(String id) {
    List<HeartbeatReport.Replica> replicas = held.computeIfAbsent(id, k -> new ArrayList<>());
    long used = replicas.stream().mapToLong(HeartbeatReport.Replica::lengthBytes).sum();
    return f.state.heartbeat(new HeartbeatReport(id, StateFixture.address(id), "/r", CAPACITY, used, replicas,
        List.of(), List.of()), f.nowMillis);
  }

  /** CHUNKS chunks of /f on a and b (c registers afterwards), leases expired. */
  private void chunksOnAandB() {
    beat("a");
    beat("b");
    f.create("/f");
    for (int i = 0; i < CHUNKS; i++) {
      LeaseView lease = f.acquire("/f", i, List.of("a", "b"));
      for (String id : List.of("a", "b")) {
        held.get(id).add(new HeartbeatReport.Replica(lease.handle(), lease.version(), StateFixture.CHUNK_SIZE));
      }
    }
    f.nowMillis += StateFixture.LEASE_MILLIS;
    beat("a");
    beat("b");
    beat("c");
  }

  @Test
  void aDrainingServerIsCopiedOffAndTakesNoNewReplica() {
    chunksOnAandB();
    ClusterOperations ops = f.state.operations();
    ops.setBalancerEnabled(false); // c is emptier than a and b: keep moves out of this test
    assertEquals("a", ops.findServer(StateFixture.address("a").toString()).orElseThrow());
    assertEquals(new DrainProgress("a", StateFixture.address("a"), false, true, CHUNKS, CHUNKS),
        ops.drainProgress("a", f.nowMillis), "in service; stopping it now would leave all 6 chunks on b alone");
    assertEquals(List.of(), f.state.planReplication(f.nowMillis, 100, 100), "healthy: nothing to clone, balancer off");

    ops.startDrain("a");
    DrainProgress started = ops.drainProgress("a", f.nowMillis);
    assertEquals("decommissioning", started.stateName());
    assertEquals(CHUNKS, started.chunksRemaining(), "without a every chunk has 1 of 2");
    List<ClonePlan> clones = f.state.planReplication(f.nowMillis, 100, 100);
    assertEquals(CHUNKS, clones.size());
    for (ClonePlan clone : clones) {
      assertEquals("c", clone.targetId(), "the only in-service server without a copy");
      assertTrue(f.state.completeClone(clone, true, f.nowMillis));
      held.get("c").add(new HeartbeatReport.Replica(clone.handle(), clone.version(), StateFixture.CHUNK_SIZE));
    }
    beat("c");
    DrainProgress drained = ops.drainProgress("a", f.nowMillis);
    assertTrue(drained.drained(), drained::toString);
    assertEquals("decommissioned", drained.stateName());
    assertEquals(List.of(), f.state.planReplication(f.nowMillis, 100, 100), "a's copies are kept while it drains");
    assertEquals(List.of(), beat("a").deleteChunks());

    // New chunks go to b and c only.
    f.create("/g");
    LeaseView lease = f.acquire("/g", 0, List.of("a", "b", "c"));
    assertFalse(lease.primary().equals(StateFixture.address("a")) || lease.secondaries()
        .contains(StateFixture.address("a")), lease::toString);
    f.state.checkInvariants();

    // Back in service: each chunk has 3 copies for a target of 2, so the extra ones go.
    assertTrue(ops.stopDrain("a"));
    assertFalse(ops.stopDrain("a"));
    f.state.planReplication(f.nowMillis, 100, 100);
    int deleted = beat("a").deleteChunks().size() + beat("b").deleteChunks().size() + beat("c").deleteChunks().size();
    assertEquals(CHUNKS, deleted, "one excess copy per chunk");
    assertThrows(StateException.class, () -> ops.startDrain("nobody"));
    assertTrue(ops.findServer("nobody").isEmpty());
  }

  @Test
  void theBalancerSwitchStopsMovesAndReportsTheSpread() {
    chunksOnAandB(); // a and b 6% used, c empty: a spread of 6% > 5%
    ClusterOperations ops = f.state.operations();
    BalanceReport before = ops.balanceReport(f.nowMillis);
    assertTrue(before.enabled());
    assertEquals(0.06, before.utilizationSpread(), 1e-9);
    assertFalse(before.balanced());
    ops.setBalancerEnabled(false);
    assertEquals(List.of(), f.state.planReplication(f.nowMillis, 100, 100), "stopped: no move");
    assertFalse(ops.balanceReport(f.nowMillis).enabled());
    ops.setBalancerEnabled(true);
    List<ClonePlan> moves = f.state.planReplication(f.nowMillis, 100, 100);
    assertFalse(moves.isEmpty(), "started: moves toward c");
    moves.forEach(m -> assertEquals("c", m.targetId()));
    assertEquals(moves.size(), ops.balanceReport(f.nowMillis).movesInFlight());
  }

  @Test
  void healthCountsUnderReplicatedCorruptAndMissingChunks() {
    chunksOnAandB();
    ClusterOperations ops = f.state.operations();
    assertEquals(new ChunkHealth(0, 0, 0), ops.chunkHealth(f.nowMillis));
    long handle = held.get("a").get(0).handle();
    f.state.heartbeat(new HeartbeatReport("a", StateFixture.address("a"), "/r", CAPACITY, 0, held.get("a"),
        List.of(), List.of(handle)), f.nowMillis);
    assertEquals(new ChunkHealth(1, 1, 0), ops.chunkHealth(f.nowMillis), "a's copy is corrupt: 1 of 2 left");
    f.nowMillis += StateFixture.DEAD_AFTER_MILLIS;
    beat("a");
    beat("c"); // b silent: taken as dead
    f.state.tick(f.nowMillis);
    assertEquals(new ChunkHealth(CHUNKS, 1, 1), ops.chunkHealth(f.nowMillis), "b gone: the corrupt chunk has none");
  }
}
