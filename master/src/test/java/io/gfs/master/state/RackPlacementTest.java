package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rack-aware placement through the state [0066-0068]: new chunks and clones span racks. */
class RackPlacementTest {
  private static final Map<String, String> RACK = Map.of("a1", "/r1", "a2", "/r1", "a3", "/r1", "b1", "/r2");

  private static Set<String> racks(List<LeasePlan.Target> targets) {
    Set<String> out = new HashSet<>();
    targets.forEach(t -> out.add(RACK.get(t.serverId())));
    return out;
  }

  @Test
  void everyNewChunkHasAReplicaOnBothRacks() {
    StateFixture f = new StateFixture(3, 7);
    RACK.forEach(f::heartbeatOnRack);
    f.create("/f");
    for (int i = 0; i < 20; i++) {
      try (LockTable.Held l = f.state.lockWrite("/f")) {
        LeasePlan.Grant grant = (LeasePlan.Grant) f.state.planLease("/f", i, f.nowMillis);
        assertEquals(Set.of("/r1", "/r2"), racks(grant.targets()), "chunk " + i);
        f.apply(grant.record());
        f.state.completeGrant(grant, grant.targets().stream().map(LeasePlan.Target::serverId).toList(),
            grant.targets().get(0).serverId(), f.nowMillis);
      }
      f.nowMillis += 1000;
      RACK.forEach(f::heartbeatOnRack);
    }
  }

  @Test
  void aCloneOfAChunkOnOneRackGoesToTheOther() {
    StateFixture f = new StateFixture(2, 3);
    f.heartbeatOnRack("a1", "/r1");
    f.heartbeatOnRack("a2", "/r1");
    f.create("/f");
    LeaseView lease = f.acquire("/f", 0, List.of("a1", "a2"));
    f.nowMillis += StateFixture.LEASE_MILLIS + 1; // the lease ends: the chunk may be cloned
    f.heartbeatOnRack("a3", "/r1");
    f.heartbeatOnRack("b1", "/r2");
    f.heartbeat("a1", List.of(new HeartbeatReport.Replica(lease.handle(), lease.version(), 0)), List.of(), List.of());
    // One replica lost: a1 stops reporting the chunk.
    f.heartbeat("a2", List.of(new HeartbeatReport.Replica(lease.handle(), lease.version(), 0)), List.of(), List.of());
    f.heartbeat("a1", List.of(), List.of(), List.of());
    f.nowMillis += ChunkCoordinator.REPORT_GRACE_MILLIS;
    f.heartbeat("a1", List.of(), List.of(), List.of());
    List<ClonePlan> clones = f.state.planReplication(f.nowMillis, 10, 10);
    assertEquals(1, clones.size());
    assertEquals("b1", clones.get(0).targetId());
    assertTrue(clones.get(0).sourceId().equals("a2"));
  }
}
