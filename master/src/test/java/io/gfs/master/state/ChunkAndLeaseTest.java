package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Chunk table version rules, lease grant/extend/expire and chunkserver liveness, driven through MasterState. */
class ChunkAndLeaseTest {
  private static final List<String> ALL = List.of("cs1", "cs2", "cs3");
  private final StateFixture f = new StateFixture();

  private static HeartbeatReport.Replica r(long handle, long version, long length) {
    return new HeartbeatReport.Replica(handle, version, length);
  }

  @BeforeEach
  void threeServersAndAFile() {
    ALL.forEach(f::heartbeat);
    f.create("/f");
  }

  private void reportAll(long handle, long version, long length) {
    for (String s : ALL) {
      f.heartbeat(s, r(handle, version, length));
    }
  }

  @Test
  void allocatingTheNextChunkPlacesItAndGrantsALease() {
    LeaseView lease = f.acquire("/f", 0, ALL);
    assertEquals(0, lease.chunkIndex());
    assertEquals(1, lease.version());
    assertEquals(2, lease.secondaries().size());
    assertEquals(StateFixture.LEASE_MILLIS, lease.leaseRemainingMillis());
    assertInstanceOf(LogRecord.AddChunk.class, f.log.get(f.log.size() - 1));
    assertEquals(1, f.state.fileStatus("/f").chunkCount());
    // The same lease comes back while it is valid: no new version, nothing logged.
    int logged = f.log.size();
    f.nowMillis += 1000;
    LeaseView again = f.acquire("/f", 0, ALL);
    assertEquals(lease.primary(), again.primary());
    assertEquals(1, again.version());
    assertEquals(logged, f.log.size());
    // -1 is the last chunk; count allocates the next one; past it is out of range.
    assertEquals(lease.handle(), f.acquire("/f", -1, ALL).handle());
    assertEquals(StateError.OUT_OF_RANGE, f.error(() -> f.acquire("/f", 5, ALL)));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.acquire("/f", -2, ALL)));
    LeaseView second = f.acquire("/f", 1, ALL);
    assertNotEquals(lease.handle(), second.handle());
    assertTrue(second.handle() > lease.handle(), "handles come from a counter");
  }

  @Test
  void lastChunkOfAnEmptyFileAllocatesChunkZero() {
    assertEquals(0, f.acquire("/f", -1, ALL).chunkIndex());
    assertEquals(1, f.state.fileStatus("/f").chunkCount());
  }

  @Test
  void noChunkserversOrNoLiveReplica() {
    StateFixture empty = new StateFixture();
    empty.create("/g");
    assertEquals(StateError.NO_CHUNKSERVERS, empty.error(() -> empty.acquire("/g", 0, List.of())));
    LeaseView lease = f.acquire("/f", 0, ALL);
    f.nowMillis += StateFixture.DEAD_AFTER_MILLIS + StateFixture.LEASE_MILLIS;
    f.state.tick(f.nowMillis);
    f.state.checkInvariants();
    assertEquals(List.of(), f.state.chunkServers(f.nowMillis));
    assertEquals(StateError.NO_CHUNKSERVERS, f.error(() -> f.acquire("/f", 0, ALL)));
    assertEquals(List.of(), f.state.findChunks("/f", 0, 10, f.nowMillis).chunks().get(0).replicas());
    assertTrue(lease.handle() > 0);
  }

  @Test
  void aNewGrantBumpsTheVersionAndLeavesOutFailedReplicas() {
    LeaseView first = f.acquire("/f", 0, ALL);
    f.nowMillis += StateFixture.LEASE_MILLIS; // expired
    reportAll(first.handle(), 1, 100);
    LeaseView second = f.acquire("/f", 0, List.of("cs2", "cs3"));
    assertEquals(2, second.version());
    assertEquals(new LogRecord.SetVersion(first.handle(), 2), f.log.get(f.log.size() - 1));
    assertEquals(1, second.secondaries().size(), "cs1 failed assignVersion: left out");
    assertEquals(1 + 1, f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().get(0).replicas().size());
    // cs1 still reports version 1: it is stale now and must delete it [0079-0080].
    HeartbeatOutcome outcome = f.heartbeat("cs1", r(first.handle(), 1, 100));
    assertEquals(List.of(first.handle()), outcome.deleteChunks());
  }

  @Test
  void aReportOlderThanWhatTheServerAcknowledgedIsNotStale() {
    LeaseView first = f.acquire("/f", 0, ALL);
    f.nowMillis += StateFixture.LEASE_MILLIS;
    reportAll(first.handle(), 1, 0);
    f.acquire("/f", 0, ALL); // everyone took version 2
    // A heartbeat built before cs1 applied version 2 arrives late: ignore, do not delete a good replica.
    HeartbeatOutcome outcome = f.heartbeat("cs1", r(first.handle(), 1, 0));
    assertEquals(List.of(), outcome.deleteChunks());
    assertEquals(3, f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().get(0).replicas().size());
  }

  @Test
  void reportsDuringAGrantInFlightAreNotStale() {
    LeaseView first = f.acquire("/f", 0, ALL);
    f.nowMillis += StateFixture.LEASE_MILLIS;
    reportAll(first.handle(), 1, 0);
    try (LockTable.Held l = f.state.lockWrite("/f")) {
      LeasePlan.Grant grant = (LeasePlan.Grant) f.state.planLease("/f", 0, f.nowMillis);
      f.apply(grant.record());
      assertEquals(List.of(), f.heartbeat("cs2", r(first.handle(), 1, 0)).deleteChunks());
      f.state.completeGrant(grant, ALL, "cs1", f.nowMillis);
    }
    f.state.checkInvariants();
  }

  @Test
  void unknownChunksAreDeletedExceptPastTheHandleCounter() {
    LeaseView lease = f.acquire("/f", 0, ALL);
    HeartbeatOutcome outcome = f.heartbeat("cs1", r(lease.handle(), 1, 0), r(lease.handle() + 1000, 1, 0));
    assertEquals(List.of(), outcome.deleteChunks());
    assertEquals(List.of(lease.handle() + 1000), outcome.unknownFutureChunks(), "never delete a future handle");
    assertTrue(f.remove("/f", false));
    outcome = f.heartbeat("cs1", r(lease.handle(), 1, 0));
    assertEquals(List.of(lease.handle()), outcome.deleteChunks(), "its file was deleted");
  }

  @Test
  void aHigherReportedVersionIsAdopted() {
    LeaseView lease = f.acquire("/f", 0, ALL);
    HeartbeatOutcome outcome = f.heartbeat("cs2", r(lease.handle(), 7, 10));
    assertEquals(List.of(new LogRecord.SetVersion(lease.handle(), 7)), outcome.adoptions());
    ChunkView chunk = f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().get(0);
    assertEquals(7, chunk.version());
    assertEquals(List.of(StateFixture.address("cs2")), chunk.replicas());
    // Versions never go back, whatever order records arrive in.
    f.apply(new LogRecord.SetVersion(lease.handle(), 3));
    assertEquals(7, f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().get(0).version());
  }

  @Test
  void knownLengthIsTheMaximumReportedAndNeverShrinks() {
    LeaseView lease = f.acquire("/f", 0, ALL);
    f.heartbeat("cs1", r(lease.handle(), 1, 500));
    f.heartbeat("cs2", r(lease.handle(), 1, 300));
    assertEquals(500, f.state.fileStatus("/f").lengthBytes());
    try (LockTable.Held l = f.state.lockRead("/f")) {
      f.state.reportChunkLength("/f", 0, lease.handle(), 800);
      f.state.reportChunkLength("/f", 0, lease.handle(), 100);
      assertEquals(StateError.UNKNOWN_CHUNK, f.error(() -> f.state.reportChunkLength("/f", 0, 999, 1)));
      assertEquals(StateError.OUT_OF_RANGE, f.error(() -> f.state.reportChunkLength("/f", 1, lease.handle(), 1)));
      assertEquals(StateError.INVALID_ARGUMENT,
          f.error(() -> f.state.reportChunkLength("/f", 0, lease.handle(), StateFixture.CHUNK_SIZE + 1)));
    }
    assertEquals(800, f.state.fileStatus("/f").lengthBytes());
  }

  @Test
  void leasesAreExtendedForTheirHolderOnly() {
    LeaseView lease = f.acquire("/f", 0, ALL);
    String primary = ALL.stream().filter(s -> StateFixture.address(s).equals(lease.primary())).findFirst().get();
    String other = ALL.stream().filter(s -> !s.equals(primary)).findFirst().get();
    f.nowMillis += StateFixture.LEASE_MILLIS - 1;
    HeartbeatOutcome refused = f.heartbeat(other, List.of(r(lease.handle(), 1, 0)), List.of(lease.handle()),
        List.of());
    assertEquals(List.of(), refused.extensions());
    HeartbeatOutcome extended = f.heartbeat(primary, List.of(r(lease.handle(), 1, 0)), List.of(lease.handle()),
        List.of());
    assertEquals(1, extended.extensions().size());
    assertEquals(f.nowMillis + StateFixture.LEASE_MILLIS, extended.extensions().get(0).expiryMillis());
    f.nowMillis += StateFixture.LEASE_MILLIS - 1;
    ALL.forEach(s -> f.heartbeat(s, r(lease.handle(), 1, 0)));
    assertEquals(1, f.acquire("/f", 0, ALL).version(), "still the extended lease");
    f.nowMillis += 2;
    ALL.forEach(s -> f.heartbeat(s, r(lease.handle(), 1, 0)));
    assertEquals(List.of(), f.heartbeat(primary, List.of(r(lease.handle(), 1, 0)), List.of(lease.handle()),
        List.of()).extensions(), "an expired lease is not extended");
    assertEquals(2, f.acquire("/f", 0, ALL).version(), "expired: a new grant with a new version");
  }

  @Test
  void aDeadHolderMeansANewGrant() {
    LeaseView lease = f.acquire("/f", 0, ALL);
    String primary = ALL.stream().filter(s -> StateFixture.address(s).equals(lease.primary())).findFirst().get();
    f.nowMillis += StateFixture.DEAD_AFTER_MILLIS;
    ALL.stream().filter(s -> !s.equals(primary)).forEach(s -> f.heartbeat(s, r(lease.handle(), 1, 0)));
    LeaseView next = f.acquire("/f", 0, ALL);
    assertEquals(2, next.version());
    assertNotEquals(lease.primary(), next.primary());
    assertEquals(1, next.secondaries().size(), "the dead server is not a replica anymore");
  }

  @Test
  void corruptReplicasAreNotOffered() {
    LeaseView lease = f.acquire("/f", 0, ALL);
    f.heartbeat("cs3", List.of(r(lease.handle(), 1, 0)), List.of(), List.of(lease.handle()));
    List<?> replicas = f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().get(0).replicas();
    assertEquals(2, replicas.size());
    assertFalse(replicas.contains(StateFixture.address("cs3")));
  }

  @Test
  void aServerRestartedWithANewIdReplacesTheOld() {
    LeaseView lease = f.acquire("/f", 0, ALL);
    f.state.heartbeat(new HeartbeatReport("cs1-new", StateFixture.address("cs1"), "/r", 1L << 40, 0, List.of(),
        List.of(), List.of()), f.nowMillis);
    f.state.checkInvariants();
    assertEquals(3, f.state.chunkServers(f.nowMillis).size());
    assertEquals(2, f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().get(0).replicas().size());
    assertTrue(lease.version() > 0);
  }

  @Test
  void aChunkWhoseCreationFailedEverywhereIsPlacedAgainWithANewVersion() {
    StateException e = org.junit.jupiter.api.Assertions.assertThrows(StateException.class,
        () -> f.acquire("/f", 0, List.of()));
    assertEquals(StateError.NO_CHUNKSERVERS, e.error());
    f.state.checkInvariants();
    assertEquals(1, f.state.fileStatus("/f").chunkCount(), "the chunk was logged before the RPCs");
    LeaseView lease = f.acquire("/f", 0, ALL);
    assertEquals(2, lease.version());
    assertEquals(2, lease.secondaries().size());
  }

  @Test
  void aServerThatStopsListingAChunkIsNoLongerAReplica() {
    LeaseView lease = f.acquire("/f", 0, ALL);
    f.heartbeat("cs1");
    assertTrue(f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().get(0).replicas()
        .contains(StateFixture.address("cs1")), "a report built before the chunk was created does not count");
    f.nowMillis += ChunkCoordinator.REPORT_GRACE_MILLIS;
    ALL.forEach(s -> f.heartbeat(s));
    assertFalse(f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().get(0).replicas()
        .contains(StateFixture.address("cs1")));
    assertTrue(lease.handle() > 0);
  }

  @Test
  void findChunksReturnsARunFromTheFirstIndex() {
    for (int i = 0; i < 5; i++) {
      f.acquire("/f", i, ALL);
    }
    FileChunks run = f.state.findChunks("/f", 2, 2, f.nowMillis);
    assertEquals(List.of(2L, 3L), run.chunks().stream().map(ChunkView::chunkIndex).toList());
    assertEquals(List.of(), f.state.findChunks("/f", 9, 2, f.nowMillis).chunks());
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.state.findChunks("/f", -1, 2, f.nowMillis)));
    f.mkdirs("/dir");
    assertEquals(StateError.IS_DIRECTORY, f.error(() -> f.state.findChunks("/dir", 0, 2, f.nowMillis)));
  }
}
