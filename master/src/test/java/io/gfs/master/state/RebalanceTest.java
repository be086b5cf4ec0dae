package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rebalancing [0073-0074]: replicas move from fuller to emptier servers, a few at a time, clone then delete. */
class RebalanceTest {
  private static final long CAPACITY = 100 * StateFixture.CHUNK_SIZE;
  private final StateFixture f = new StateFixture(1, 9);
  private final List<HeartbeatReport.Replica> onFull = new ArrayList<>();

  private HeartbeatOutcome beat(String id, List<HeartbeatReport.Replica> held) {
    long used = 0;
    for (HeartbeatReport.Replica r : held) {
      used += r.lengthBytes();
    }
    return f.state.heartbeat(new HeartbeatReport(id, StateFixture.address(id), "/r", CAPACITY, used, held, List.of(),
        List.of()), f.nowMillis);
  }

  @Test
  void aNewEmptyServerIsFilledGraduallyAndTheSourcesCopiesGo() {
    beat("full", List.of());
    f.create("/f");
    for (int i = 0; i < 40; i++) {
      LeaseView lease = f.acquire("/f", i, List.of("full"));
      onFull.add(new HeartbeatReport.Replica(lease.handle(), lease.version(), StateFixture.CHUNK_SIZE));
    }
    f.nowMillis += StateFixture.LEASE_MILLIS;
    beat("full", onFull); // 40% used
    beat("new", List.of()); // 0% used
    List<ClonePlan> first = f.state.planReplication(f.nowMillis, 8, 2);
    assertEquals(2, first.size(), "bounded per server: the new server is not swamped");
    first.forEach(m -> {
      assertEquals("full", m.sourceId());
      assertEquals("new", m.targetId());
    });
    assertEquals(List.of(), f.state.planReplication(f.nowMillis, 8, 2), "nothing more while two run");
    List<HeartbeatReport.Replica> onNew = new ArrayList<>();
    for (ClonePlan move : first) {
      assertTrue(f.state.completeClone(move, true, f.nowMillis));
      onNew.add(new HeartbeatReport.Replica(move.handle(), move.version(), StateFixture.CHUNK_SIZE));
    }
    f.state.checkInvariants();
    HeartbeatOutcome reply = beat("full", onFull);
    assertEquals(first.stream().map(ClonePlan::handle).toList(), reply.deleteChunks(), "the moved copies go");
    onFull.removeIf(r -> reply.deleteChunks().contains(r.handle()));
    beat("new", onNew);
    // Keep going until the spread is within the threshold: 20 chunks each.
    for (int round = 0; round < 100; round++) {
      List<ClonePlan> moves = f.state.planReplication(f.nowMillis, 8, 2);
      if (moves.isEmpty()) {
        break;
      }
      for (ClonePlan move : moves) {
        f.state.completeClone(move, true, f.nowMillis);
        onNew.add(new HeartbeatReport.Replica(move.handle(), move.version(), StateFixture.CHUNK_SIZE));
      }
      HeartbeatOutcome r = beat("full", onFull);
      onFull.removeIf(x -> r.deleteChunks().contains(x.handle()));
      beat("new", onNew);
      f.state.checkInvariants();
    }
    assertTrue(Math.abs(onFull.size() - onNew.size()) <= 5, onFull.size() + " vs " + onNew.size());
    assertEquals(40, onFull.size() + onNew.size());
    assertEquals(0, f.state.operations().chunkHealth(f.nowMillis).underReplicated());
  }
}
