package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The status pages' lists (issue 8): chunks short of replicas or with a corrupt copy, and the leases held. */
class StatusListingTest {
  private final StateFixture f = new StateFixture();
  private final Map<String, Map<Long, Long>> disks = new TreeMap<>();

  private void beat(String id, Long... corrupt) {
    disks.putIfAbsent(id, new TreeMap<>());
    List<HeartbeatReport.Replica> held = new ArrayList<>();
    disks.get(id).forEach((handle, version) -> held.add(new HeartbeatReport.Replica(handle, version, 10)));
    f.heartbeat(id, held, List.of(), List.of(corrupt)).deleteChunks().forEach(disks.get(id)::remove);
  }

  /** A file whose one chunk every listed server holds, under a lease one of them got. */
  private LeaseView chunkOn(String path, int replication, String... holders) {
    f.create(path, false, true, replication);
    LeaseView lease = f.acquire(path, 0, List.of(holders));
    for (String id : holders) {
      disks.get(id).put(lease.handle(), lease.version());
    }
    return lease;
  }

  @Test
  void listsLeasesSoonestToExpireFirstAndForgetsExpiredOnes() {
    beat("a");
    beat("b");
    LeaseView first = chunkOn("/f", 2, "a", "b");
    f.nowMillis += 1000;
    LeaseView second = chunkOn("/g", 2, "a", "b");
    List<StatusListing.LeaseStatus> leases = f.state.statusListing().leases(f.nowMillis, 10);
    assertEquals(List.of(first.handle(), second.handle()), leases.stream().map(StatusListing.LeaseStatus::handle)
        .toList());
    assertTrue(leases.get(0).remainingMillis() <= StateFixture.LEASE_MILLIS - 1000, "granted a second earlier");
    assertTrue(leases.get(0).remainingMillis() < leases.get(1).remainingMillis());
    assertEquals(1, f.state.statusListing().leases(f.nowMillis, 1).size(), "capped");
    assertEquals(List.of(), f.state.statusListing().leases(f.nowMillis + StateFixture.LEASE_MILLIS, 10),
        "expired leases are not listed");
  }

  @Test
  void listsUnderReplicatedAndCorruptChunksWithWholeCounts() {
    beat("a");
    beat("b");
    beat("c");
    long healthy = chunkOn("/ok", 2, "a", "b").handle();
    long shortOne = chunkOn("/short", 3, "a", "b").handle(); // only two of three servers took it
    disks.get("c").remove(shortOne);
    long damaged = chunkOn("/bad", 2, "b", "c").handle();
    f.nowMillis += ChunkCoordinator.REPORT_GRACE_MILLIS + 1;
    beat("a");
    beat("b");
    disks.get("c").remove(damaged);
    beat("c", damaged); // c's checksums failed
    StatusListing.Problems problems = f.state.statusListing().problems(f.nowMillis, 10);
    assertEquals(List.of(shortOne, damaged), problems.underReplicated().stream()
        .map(StatusListing.ChunkProblem::handle).toList(), "healthy chunk " + healthy + " is not listed");
    assertEquals(2, problems.underReplicatedCount());
    assertEquals(2, problems.underReplicated().get(0).liveReplicas());
    assertEquals(3, problems.underReplicated().get(0).replicationTarget());
    assertEquals(1, problems.corruptCount());
    assertEquals(List.of("c"), problems.corrupt().get(0).corruptOn());
    StatusListing.Problems capped = f.state.statusListing().problems(f.nowMillis, 1);
    assertEquals(1, capped.underReplicated().size());
    assertEquals(2, capped.underReplicatedCount(), "the count stays whole when the list is cut");
  }
}
