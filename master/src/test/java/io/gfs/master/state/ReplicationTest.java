package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Re-replication planning [0069-0072]: what is cloned, in which order, within which limits; excess and corrupt. */
class ReplicationTest {
  private static final int UNLIMITED = 1000;
  private final StateFixture f = new StateFixture();
  /** What each simulated chunkserver holds: handle to version. */
  private final Map<String, Map<Long, Long>> disks = new TreeMap<>();

  private void start(String... serverIds) {
    for (String id : serverIds) {
      disks.putIfAbsent(id, new TreeMap<>());
      beat(id);
    }
  }

  private HeartbeatOutcome beat(String id, Long... corrupt) {
    List<HeartbeatReport.Replica> held = new ArrayList<>();
    disks.get(id).forEach((handle, version) -> held.add(new HeartbeatReport.Replica(handle, version, 10)));
    HeartbeatOutcome outcome = f.heartbeat(id, held, List.of(), List.of(corrupt));
    outcome.deleteChunks().forEach(disks.get(id)::remove);
    return outcome;
  }

  /** Time passes (leases end); these servers keep heartbeating, the others fall silent and are declared dead. */
  private void advance(long millis, String... alive) {
    f.nowMillis += millis;
    for (String id : alive) {
      beat(id);
    }
    f.state.tick(f.nowMillis);
    f.state.checkInvariants();
  }

  /** A file with one chunk granted on exactly these servers. */
  private long chunkOn(String path, int replication, String... holders) {
    f.create(path, false, true, replication);
    LeaseView lease = f.acquire(path, 0, List.of(holders));
    List<HostPort> where = new ArrayList<>(lease.secondaries());
    where.add(lease.primary());
    for (String id : holders) {
      if (where.contains(StateFixture.address(id))) {
        disks.get(id).put(lease.handle(), lease.version());
      }
    }
    return lease.handle();
  }

  private String idOf(HostPort address) {
    return disks.keySet().stream().filter(id -> StateFixture.address(id).equals(address)).findFirst().orElseThrow();
  }

  private List<ClonePlan> plan(int clonesMax, int perServerMax) {
    List<ClonePlan> plans = f.state.planReplication(f.nowMillis, clonesMax, perServerMax);
    f.state.checkInvariants();
    return plans;
  }

  /** The target really copies (its disk gains the chunk at the clone's version) and the master hears it. */
  private void finish(ClonePlan clone, boolean succeeded) {
    if (succeeded) {
      disks.get(clone.targetId()).put(clone.handle(), clone.version());
    }
    f.state.completeClone(clone, succeeded, f.nowMillis);
    f.state.checkInvariants();
  }

  private int replicas(String path) {
    return f.state.findChunks(path, 0, 1, f.nowMillis).chunks().get(0).replicas().size();
  }

  @Test
  void aLostReplicaIsClonedFromALiveOneToAServerWithoutACopy() {
    start("a", "b", "c");
    long handle = chunkOn("/f", 3, "a", "b", "c");
    start("d");
    assertEquals(List.of(), plan(UNLIMITED, UNLIMITED), "nothing is missing");
    advance(StateFixture.LEASE_MILLIS, "a", "b", "c", "d");
    advance(StateFixture.DEAD_AFTER_MILLIS, "a", "b", "d"); // c is gone
    assertEquals(2, replicas("/f"));
    assertEquals(1, f.state.operations().chunkHealth(f.nowMillis).underReplicated());
    List<ClonePlan> clones = plan(UNLIMITED, UNLIMITED);
    assertEquals(1, clones.size());
    ClonePlan clone = clones.get(0);
    assertEquals(handle, clone.handle());
    assertEquals("d", clone.targetId());
    assertTrue(List.of("a", "b").contains(clone.sourceId()));
    assertEquals(1, clone.missingReplicas());
    assertEquals(List.of(), plan(UNLIMITED, UNLIMITED), "a clone in flight is not planned twice");
    assertEquals(1, f.state.clonesInFlight());
    finish(clone, true);
    assertEquals(3, replicas("/f"));
    assertEquals(0, f.state.operations().chunkHealth(f.nowMillis).underReplicated());
    assertEquals(0, f.state.clonesInFlight());
    beat("d");
    assertEquals(3, replicas("/f"), "the target's next report confirms it");
  }

  /**
   * Found by the reliability suite (IntegrityIT, FullDiskIT): a new chunk's first target heartbeated between the
   * ADD_CHUNK record and the grant's completion, the planner cloned its empty copy to a fourth server, and that copy
   * passed for current while the lease's writes went only to the three granted replicas.
   */
  @Test
  void aChunkBeingAllocatedIsNotClonedBeforeItsGrantCompletes() {
    start("a", "b", "c", "d");
    f.create("/new", false, true, 3);
    LeasePlan.Grant grant;
    try (LockTable.Held l = f.state.lockWrite("/new")) {
      grant = (LeasePlan.Grant) f.state.planLease("/new", 0, f.nowMillis);
      f.apply(grant.record());
      String early = grant.targets().get(0).serverId();
      disks.get(early).put(grant.handle(), grant.version());
      beat(early); // reports version 1, length 0, before the others answered
      assertEquals(List.of(), plan(UNLIMITED, UNLIMITED), "no clone of a chunk whose grant is running");
      List<String> all = new ArrayList<>();
      grant.targets().forEach(t -> all.add(t.serverId()));
      all.forEach(id -> disks.get(id).put(grant.handle(), grant.version()));
      f.state.completeGrant(grant, all, all.get(0), f.nowMillis);
    }
    assertEquals(List.of(), plan(UNLIMITED, UNLIMITED), "granted on three: nothing missing");
    assertEquals(3, replicas("/new"));
  }

  @Test
  void aFailedCloneIsPlannedAgainAndNoSourceMeansNoClone() {
    start("a", "b");
    chunkOn("/f", 2, "a", "b");
    start("c");
    advance(StateFixture.LEASE_MILLIS, "a", "c");
    advance(StateFixture.DEAD_AFTER_MILLIS, "a", "c");
    ClonePlan first = plan(UNLIMITED, UNLIMITED).get(0);
    finish(first, false);
    assertEquals(1, replicas("/f"));
    assertEquals(List.of(first.handle()), plan(UNLIMITED, UNLIMITED).stream().map(ClonePlan::handle).toList());
    StateFixture lonely = new StateFixture();
    lonely.heartbeat("x");
    lonely.create("/g", false, true, 2);
    lonely.acquire("/g", 0, List.of("x"));
    lonely.nowMillis += StateFixture.LEASE_MILLIS;
    assertEquals(List.of(), lonely.state.planReplication(lonely.nowMillis, 9, 9), "no other server to copy to");
  }

  @Test
  void moreMissingFirstThenLiveFilesBeforeDeletedOnesWithinTheLimits() {
    start("a", "b", "c");
    long oneLeft = chunkOn("/one-left", 3, "a");
    long twoLeftDeleted = chunkOn("/deleted", 3, "a", "b");
    long twoLeft = chunkOn("/two-left", 3, "a", "b");
    // This fixture's deletes purge at once (retention 0): hide the file the way a delete with retention does.
    f.apply(new LogRecord.Rename("/deleted", "/" + DeletedNames.hide("deleted", 1, 0), f.nowMillis));
    advance(StateFixture.LEASE_MILLIS, "a", "b", "c");
    List<ClonePlan> first = plan(1, UNLIMITED);
    assertEquals(List.of(oneLeft), first.stream().map(ClonePlan::handle).toList(), "two replicas missing first");
    List<ClonePlan> next = plan(2, UNLIMITED);
    assertEquals(List.of(oneLeft), next.stream().map(ClonePlan::handle).toList(), "its second missing replica");
    finish(first.get(0), true);
    finish(next.get(0), true);
    assertEquals(List.of(twoLeft), plan(1, UNLIMITED).stream().map(ClonePlan::handle).toList(),
        "a live file before a deleted one");
    assertEquals(List.of(twoLeftDeleted), plan(2, UNLIMITED).stream().map(ClonePlan::handle).toList());
  }

  @Test
  void aChunkAWriterWaitsOnComesFirst() {
    start("a", "b", "c");
    long idle = chunkOn("/idle", 3, "a");
    long wanted = chunkOn("/wanted", 3, "a", "b");
    advance(StateFixture.LEASE_MILLIS, "a", "b", "c");
    LeaseView lease = f.acquire("/wanted", 0, List.of("a", "b")); // a writer needs it now: boosted
    disks.get("a").put(wanted, lease.version());
    disks.get("b").put(wanted, lease.version());
    advance(StateFixture.LEASE_MILLIS, "a", "b", "c"); // its lease ends; the boost lasts
    List<ClonePlan> clones = plan(1, UNLIMITED);
    assertEquals(List.of(wanted), clones.stream().map(ClonePlan::handle).toList(), "ahead of " + idle);
  }

  @Test
  void perServerLimitsBoundConcurrentClonesAndLeasedChunksWait() {
    start("a");
    for (int i = 0; i < 4; i++) {
      chunkOn("/f" + i, 2, "a"); // only a is up: one replica each
    }
    start("b", "c", "d", "e");
    List<ClonePlan> clones = plan(UNLIMITED, 2);
    assertEquals(List.of(), clones, "every chunk is under its writer's lease");
    advance(StateFixture.LEASE_MILLIS, "a", "b", "c", "d", "e");
    clones = plan(UNLIMITED, 2);
    assertEquals(2, clones.size(), "the only source, a, takes part in 2 clones at most");
    assertEquals(List.of(), plan(UNLIMITED, 2));
    finish(clones.get(0), true);
    assertEquals(1, plan(UNLIMITED, 2).size());
  }

  @Test
  void aWriterWaitsWhileACloneRestoresItsChunkThenGetsTheFullSet() {
    start("a", "b", "c");
    chunkOn("/f", 3, "a", "b");
    advance(StateFixture.LEASE_MILLIS, "a", "b", "c");
    ClonePlan clone = plan(UNLIMITED, UNLIMITED).get(0);
    StateException busy = assertThrows(StateException.class, () -> f.acquire("/f", 0, List.of("a", "b", "c")),
        "a grant now would bump the version under the running clone");
    assertEquals(StateError.BUSY, busy.error());
    finish(clone, true);
    LeaseView lease = f.acquire("/f", 0, List.of("a", "b", "c"));
    assertEquals(2, lease.secondaries().size(), "primary and both secondaries, the clone's target among them");
    assertEquals(clone.version() + 1, lease.version());
  }

  @Test
  void theTotalLimitHoldsAndAFinishedCloneFreesItsSlotForTheNextInOrder() {
    start("a");
    List<Long> handles = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      handles.add(chunkOn("/f" + i, 2, "a")); // one replica each, one missing
    }
    start("b", "c", "d");
    advance(StateFixture.LEASE_MILLIS, "a", "b", "c", "d");
    List<ClonePlan> first = plan(2, UNLIMITED);
    assertEquals(handles.subList(0, 2), first.stream().map(ClonePlan::handle).toList(), "two at most, in order");
    assertEquals(List.of(), plan(2, UNLIMITED), "no slot free");
    finish(first.get(1), true);
    assertEquals(List.of(handles.get(2)), plan(2, UNLIMITED).stream().map(ClonePlan::handle).toList(),
        "the freed slot goes to the next chunk at once (the server scans again when a clone ends)");
  }

  @Test
  void aServerThatCouldNotBeReachedTakesNoCloneUntilItHeartbeatsAgain() {
    start("a");
    chunkOn("/f", 2, "a");
    start("b", "c");
    advance(StateFixture.LEASE_MILLIS, "a", "b", "c");
    f.state.chunkServerUnreachable("b", f.nowMillis); // connection refused: killed a moment ago, not yet taken as down
    f.state.chunkServerUnreachable("c", f.nowMillis);
    assertEquals(List.of(), plan(UNLIMITED, UNLIMITED), "no clone onto a server just found unreachable");
    f.nowMillis += 1;
    beat("b");
    assertEquals(List.of("b"), plan(UNLIMITED, UNLIMITED).stream().map(ClonePlan::targetId).toList(),
        "eligible again once it heartbeats");
  }

  @Test
  void aFailedCloneLetsTheWriterGoOnWithFewerReplicas() {
    start("a", "b", "c");
    chunkOn("/f", 3, "a", "b");
    advance(StateFixture.LEASE_MILLIS, "a", "b", "c");
    finish(plan(UNLIMITED, UNLIMITED).get(0), false);
    LeaseView lease = f.acquire("/f", 0, List.of("a", "b"));
    assertEquals(1, lease.secondaries().size());
  }

  /** A chunk granted on a, b and c (all succeed) whose lease is held by the returned view's primary. */
  private LeaseView leasedOnThree() {
    start("a", "b", "c");
    f.create("/f", false, true, 3);
    LeaseView lease = f.acquire("/f", 0, List.of("a", "b", "c"));
    for (String id : List.of("a", "b", "c")) {
      disks.get(id).put(lease.handle(), lease.version());
    }
    start("d");
    return lease;
  }

  /** A chunk leased on three servers, one of whose secondaries (lost) has gone silent past the dead-after time. */
  private record LostSecondary(LeaseView lease, String primary, String lost, String kept) {}

  private LostSecondary leasedOnThreeLosingASecondary() {
    LeaseView lease = leasedOnThree();
    String primary = idOf(lease.primary());
    List<String> others = new ArrayList<>(List.of("a", "b", "c"));
    others.remove(primary);
    advance(StateFixture.DEAD_AFTER_MILLIS, primary, others.get(1), "d"); // the lease has 50 s to run
    return new LostSecondary(lease, primary, others.get(0), others.get(1));
  }

  @Test
  void aLeasedChunkMissingAReplicaHasItsPrimaryStoppedAndIsClonedWithoutWaitingForTheLease() {
    LostSecondary setup = leasedOnThreeLosingASecondary();
    LeaseView lease = setup.lease();
    String primary = setup.primary();
    String lost = setup.lost();
    String kept = setup.kept();
    assertEquals(List.of(), plan(UNLIMITED, UNLIMITED), "no clone while the primary may still write");
    List<LeasePlan.Revoked> stops = f.state.takeLeasesToStop();
    assertEquals(1, stops.size());
    assertEquals(lease.handle(), stops.get(0).handle());
    assertEquals(lease.primary(), stops.get(0).primary());
    assertEquals(List.of(), f.state.takeLeasesToStop(), "asked once");
    assertEquals(List.of(), plan(UNLIMITED, UNLIMITED));
    assertEquals(List.of(), f.state.takeLeasesToStop(), "not asked again while the answer is pending");
    HeartbeatOutcome beat = f.heartbeat(primary, List.of(new HeartbeatReport.Replica(lease.handle(), lease.version(),
        10)), List.of(lease.handle()), List.of());
    assertEquals(List.of(), beat.extensions(), "a revoked lease is not extended");
    assertEquals(StateError.BUSY, assertThrows(StateException.class,
        () -> f.acquire("/f", 0, List.of(primary, kept, "d"))).error(), "the writer waits for the repair");

    f.state.leaseStopped(lease.handle(), lease.version(), true);
    List<ClonePlan> clones = plan(UNLIMITED, UNLIMITED);
    assertEquals(1, clones.size(), "cloned as soon as the primary stopped, " + lost + " being gone");
    assertEquals("d", clones.get(0).targetId());
    assertEquals(StateError.BUSY, assertThrows(StateException.class,
        () -> f.acquire("/f", 0, List.of(primary, kept, "d"))).error(), "and while the clone runs");
    finish(clones.get(0), true);
    LeaseView next = f.acquire("/f", 0, List.of(primary, kept, "d"));
    assertEquals(2, next.secondaries().size());
    assertEquals(lease.version() + 1, next.version());
  }

  /**
   * A scan looks only at chunks off their target (found in a copy of the table), yet it still forgets the stop it
   * asked of a primary once that chunk is back on target and the lease ran out: otherwise, when the chunk falls below
   * target again, writers get BUSY from that stale stop until a scan looks at the chunk.
   */
  @Test
  void aChunkBackOnTargetWhileItsPrimaryWasAskedToStopTakesWritersOnceTheLeaseEnds() {
    LostSecondary setup = leasedOnThreeLosingASecondary();
    assertEquals(List.of(), plan(UNLIMITED, UNLIMITED));
    assertEquals(1, f.state.takeLeasesToStop().size(), "its primary is asked to stop");
    start(setup.lost()); // back with its copy before the primary answered: the chunk is on target again
    assertEquals(0, f.state.operations().chunkHealth(f.nowMillis).underReplicated());
    // The primary never answered; its lease runs out.
    advance(StateFixture.LEASE_MILLIS, setup.primary(), setup.kept(), "d", setup.lost());
    assertEquals(List.of(), plan(UNLIMITED, UNLIMITED));
    advance(StateFixture.DEAD_AFTER_MILLIS, setup.primary(), setup.kept(), "d"); // lost again, before the next scan
    LeaseView next = f.acquire("/f", 0, List.of(setup.primary(), setup.kept(), "d"));
    assertEquals(setup.lease().version() + 1, next.version(), "a writer gets a lease, not BUSY from the stale stop");
  }

  /**
   * A file deleted while its chunk's primary, asked to stop for a repair, never answered: the master forgets that
   * stop with the chunk (checkInvariants: stops only for chunks in the table). It used to keep it for good, as no scan
   * looks at a chunk that is gone.
   */
  @Test
  void aStopAskedOfAPrimaryThatNeverAnsweredIsForgottenWithItsDeletedChunk() {
    LostSecondary setup = leasedOnThreeLosingASecondary();
    assertEquals(List.of(), plan(UNLIMITED, UNLIMITED));
    assertEquals(1, f.state.takeLeasesToStop().size(), "its primary is asked to stop");
    assertTrue(f.remove("/f", false)); // no trash here: the chunk leaves the table at once
    f.state.checkInvariants();
    advance(StateFixture.LEASE_MILLIS, setup.primary(), setup.kept(), "d"); // the primary never answers
    assertEquals(List.of(), plan(UNLIMITED, UNLIMITED), "a scan after the lease ran out");
    f.state.leaseStopped(setup.lease().handle(), setup.lease().version(), false); // a late "could not be told"
    f.state.checkInvariants();
    assertEquals(List.of(), f.state.takeLeasesToStop());
  }

  @Test
  void aCorruptSecondaryOfALeasedChunkIsReplacedAtOnce() {
    LeaseView lease = leasedOnThree();
    String primary = idOf(lease.primary());
    String bad = List.of("a", "b", "c").stream().filter(id -> !id.equals(primary)).findFirst().orElseThrow();
    disks.get(bad).remove(lease.handle());
    beat(bad, lease.handle()); // found by a read or the scrubber [0127]
    assertEquals(List.of(), plan(UNLIMITED, UNLIMITED));
    List<LeasePlan.Revoked> stops = f.state.takeLeasesToStop();
    assertEquals(List.of(lease.handle()), stops.stream().map(LeasePlan.Revoked::handle).toList());
    f.state.leaseStopped(lease.handle(), lease.version(), true);
    ClonePlan clone = plan(UNLIMITED, UNLIMITED).get(0);
    assertEquals("d", clone.targetId(), "not onto the server with the corrupt copy while another is free");
    finish(clone, true);
    f.nowMillis += ChunkCoordinator.REPORT_GRACE_MILLIS;
    assertEquals(List.of(lease.handle()), beat(bad, lease.handle()).deleteChunks(), "then the bad copy goes");
    assertEquals(0, f.state.operations().chunkHealth(f.nowMillis).underReplicated());
  }

  @Test
  void aPrimaryThatCannotBeToldIsWaitedOutAndWritersAreNotHeldOff() {
    LeaseView lease = leasedOnThree();
    String primary = idOf(lease.primary());
    String bad = List.of("a", "b", "c").stream().filter(id -> !id.equals(primary)).findFirst().orElseThrow();
    disks.get(bad).remove(lease.handle());
    beat(bad, lease.handle());
    plan(UNLIMITED, UNLIMITED);
    assertEquals(1, f.state.takeLeasesToStop().size());
    f.state.leaseStopped(lease.handle(), lease.version(), false);
    assertEquals(List.of(), plan(UNLIMITED, UNLIMITED), "it may still write until its lease ends");
    assertEquals(List.of(), f.state.takeLeasesToStop(), "not asked again");
    List<String> good = new ArrayList<>(List.of("a", "b", "c", "d"));
    good.remove(bad);
    advance(StateFixture.LEASE_MILLIS, good.toArray(String[]::new));
    beat(bad, lease.handle());
    assertEquals(1, plan(UNLIMITED, UNLIMITED).size(), "cloned once the lease ran out");
  }

  @Test
  void excessReplicasAreDeletedFromTheFullestServers() {
    start("a", "b", "c");
    long handle = chunkOn("/f", 3, "a", "b", "c");
    advance(StateFixture.LEASE_MILLIS, "a", "b", "c");
    assertTrue(f.setReplication("/f", 1));
    f.state.heartbeat(new HeartbeatReport("c", StateFixture.address("c"), "/r", 100, 90, List.of(
        new HeartbeatReport.Replica(handle, 1, 10)), List.of(), List.of()), f.nowMillis); // c is the fullest
    assertEquals(List.of(), plan(UNLIMITED, UNLIMITED));
    assertEquals(1, replicas("/f"));
    List<Long> deleted = new ArrayList<>();
    for (String id : List.of("a", "b", "c")) {
      deleted.addAll(beat(id).deleteChunks());
    }
    assertEquals(List.of(handle, handle), deleted);
    assertTrue(disks.get("c").isEmpty(), "the fullest server lost its copy");
    assertEquals(1, replicas("/f"));
  }

  @Test
  void aCorruptReplicaIsReplacedFirstAndDeletedAfter() {
    start("a", "b", "c");
    long handle = chunkOn("/f", 2, "a", "b");
    advance(StateFixture.LEASE_MILLIS, "a", "b", "c");
    disks.get("b").remove(handle); // b's checksums failed: it lists the chunk as corrupt, not as held
    assertEquals(List.of(), beat("b", handle).deleteChunks(), "kept while it is one of too few");
    f.nowMillis += ChunkCoordinator.REPORT_GRACE_MILLIS;
    beat("a");
    beat("b", handle);
    assertEquals(1, replicas("/f"));
    ClonePlan clone = plan(UNLIMITED, UNLIMITED).get(0);
    assertEquals("a", clone.sourceId());
    assertEquals("c", clone.targetId(), "b's copy is corrupt; c has none");
    finish(clone, true);
    assertEquals(List.of(handle), beat("b", handle).deleteChunks(), "deleted once enough good replicas exist");
    assertEquals(2, replicas("/f"));
    assertFalse(disks.get("c").isEmpty());
    assertEquals("a", idOf(f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().get(0).replicas().get(0)));
  }

  @Test
  void withNoOtherServerTheCorruptHolderItselfGetsAFreshCopy() {
    start("a", "b");
    long handle = chunkOn("/f", 2, "a", "b");
    advance(StateFixture.LEASE_MILLIS, "a", "b");
    disks.get("b").remove(handle);
    beat("b", handle);
    f.nowMillis += ChunkCoordinator.REPORT_GRACE_MILLIS;
    beat("a");
    beat("b", handle);
    ClonePlan clone = plan(UNLIMITED, UNLIMITED).get(0);
    assertEquals("b", clone.targetId(), "copyChunkFrom replaces the corrupt copy");
    finish(clone, true);
    assertEquals(2, replicas("/f"));
    assertEquals(List.of(), beat("b").deleteChunks(), "the fresh copy is kept");
    assertEquals(0, f.state.operations().chunkHealth(f.nowMillis).underReplicated());
  }
}
