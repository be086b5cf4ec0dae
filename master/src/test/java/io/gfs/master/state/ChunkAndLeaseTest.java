package io.gfs.master.state;

import static io.gfs.master.state.StateFixture.THREE_SERVERS;
import static io.gfs.master.state.StateFixture.replica;
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
  private final StateFixture f = new StateFixture();

  @BeforeEach
  void threeServersAndAFile() {
    f.threeServersAnd("/f");
  }

  private void reportAll(long handle, long version, long length) {
    for (String s : THREE_SERVERS) {
      f.heartbeat(s, replica(handle, version, length));
    }
  }

  @Test
  void allocatingTheNextChunkPlacesItAndGrantsALease() {
    LeaseView lease = f.acquire("/f", 0, THREE_SERVERS);
    assertEquals(0, lease.chunkIndex());
    assertEquals(1, lease.version());
    assertEquals(2, lease.secondaries().size());
    assertEquals(StateFixture.LEASE_MILLIS, lease.leaseRemainingMillis());
    assertInstanceOf(LogRecord.AddChunk.class, f.log.get(f.log.size() - 1));
    assertEquals(1, f.state.fileStatus("/f").chunkCount());
    // The same lease comes back while it is valid: no new version, nothing logged.
    int logged = f.log.size();
    f.nowMillis += 1000;
    LeaseView again = f.acquire("/f", 0, THREE_SERVERS);
    assertEquals(lease.primary(), again.primary());
    assertEquals(1, again.version());
    assertEquals(logged, f.log.size());
    // -1 is the last chunk; count allocates the next one; past it is out of range.
    assertEquals(lease.handle(), f.acquire("/f", -1, THREE_SERVERS).handle());
    assertEquals(StateError.OUT_OF_RANGE, f.error(() -> f.acquire("/f", 5, THREE_SERVERS)));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.acquire("/f", -2, THREE_SERVERS)));
    LeaseView second = f.acquire("/f", 1, THREE_SERVERS);
    assertNotEquals(lease.handle(), second.handle());
    assertTrue(second.handle() > lease.handle(), "handles come from a counter");
  }

  @Test
  void lastChunkOfAnEmptyFileAllocatesChunkZero() {
    assertEquals(0, f.acquire("/f", -1, THREE_SERVERS).chunkIndex());
    assertEquals(1, f.state.fileStatus("/f").chunkCount());
  }

  @Test
  void noChunkserversOrNoLiveReplica() {
    StateFixture empty = new StateFixture();
    empty.create("/g");
    assertEquals(StateError.NO_CHUNKSERVERS, empty.error(() -> empty.acquire("/g", 0, List.of())));
    LeaseView lease = f.acquire("/f", 0, THREE_SERVERS);
    f.nowMillis += StateFixture.DEAD_AFTER_MILLIS + StateFixture.LEASE_MILLIS;
    f.state.tick(f.nowMillis);
    f.state.checkInvariants();
    assertEquals(List.of(), f.state.chunkServers(f.nowMillis));
    assertEquals(StateError.NO_CHUNKSERVERS, f.error(() -> f.acquire("/f", 0, THREE_SERVERS)));
    assertEquals(List.of(), f.state.findChunks("/f", 0, 10, f.nowMillis).chunks().get(0).replicas());
    assertTrue(lease.handle() > 0);
  }

  @Test
  void aNewGrantBumpsTheVersionAndLeavesOutFailedReplicas() {
    LeaseView first = f.acquire("/f", 0, THREE_SERVERS);
    f.nowMillis += StateFixture.LEASE_MILLIS; // expired
    reportAll(first.handle(), 1, 100);
    LeaseView second = f.acquire("/f", 0, List.of("cs2", "cs3"));
    assertEquals(2, second.version());
    assertEquals(new LogRecord.SetVersion(first.handle(), 2), f.log.get(f.log.size() - 1));
    assertEquals(1, second.secondaries().size(), "cs1 failed assignVersion: left out");
    assertEquals(1 + 1, f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().get(0).replicas().size());
    // cs1 still reports version 1: it is stale now and must delete it [0079-0080].
    HeartbeatOutcome outcome = f.heartbeat("cs1", replica(first.handle(), 1, 100));
    assertEquals(List.of(first.handle()), outcome.deleteChunks());
  }

  @Test
  void aReportOlderThanWhatTheServerAcknowledgedIsNotStale() {
    LeaseView first = f.acquire("/f", 0, THREE_SERVERS);
    f.nowMillis += StateFixture.LEASE_MILLIS;
    reportAll(first.handle(), 1, 0);
    f.acquire("/f", 0, THREE_SERVERS); // everyone took version 2
    // A heartbeat built before cs1 applied version 2 arrives late: ignore, do not delete a good replica.
    HeartbeatOutcome outcome = f.heartbeat("cs1", replica(first.handle(), 1, 0));
    assertEquals(List.of(), outcome.deleteChunks());
    assertEquals(3, f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().get(0).replicas().size());
  }

  @Test
  void reportsDuringAGrantInFlightAreNotStale() {
    LeaseView first = f.acquire("/f", 0, THREE_SERVERS);
    f.nowMillis += StateFixture.LEASE_MILLIS;
    reportAll(first.handle(), 1, 0);
    try (LockTable.Held l = f.state.lockWrite("/f")) {
      LeasePlan.Grant grant = (LeasePlan.Grant) f.state.planLease("/f", 0, f.nowMillis);
      f.apply(grant.record());
      assertEquals(List.of(), f.heartbeat("cs2", replica(first.handle(), 1, 0)).deleteChunks());
      f.state.completeGrant(grant, THREE_SERVERS, "cs1", f.nowMillis);
    }
    f.state.checkInvariants();
  }

  @Test
  void unknownChunksAreDeletedExceptPastTheHandleCounter() {
    LeaseView lease = f.acquire("/f", 0, THREE_SERVERS);
    HeartbeatOutcome outcome = f.heartbeat("cs1", replica(lease.handle(), 1, 0), replica(lease.handle() + 1000, 1, 0));
    assertEquals(List.of(), outcome.deleteChunks());
    assertEquals(List.of(lease.handle() + 1000), outcome.unknownFutureChunks(), "never delete a future handle");
    assertTrue(f.remove("/f", false));
    outcome = f.heartbeat("cs1", replica(lease.handle(), 1, 0));
    assertEquals(List.of(lease.handle()), outcome.deleteChunks(), "its file was deleted");
  }

  @Test
  void aHigherReportedVersionIsAdopted() {
    LeaseView lease = f.acquire("/f", 0, THREE_SERVERS);
    HeartbeatOutcome outcome = f.heartbeat("cs2", replica(lease.handle(), 7, 10));
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
    LeaseView lease = f.acquire("/f", 0, THREE_SERVERS);
    f.heartbeat("cs1", replica(lease.handle(), 1, 500));
    f.heartbeat("cs2", replica(lease.handle(), 1, 300));
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
  void aReplicaLengthReportCountsOnlyFromACurrentReplicaAndNeverShrinks() {
    LeaseView lease = f.acquire("/f", 0, THREE_SERVERS);
    f.state.reportReplicaLength("cs1", lease.handle(), lease.version(), 700);
    assertEquals(700, f.state.fileStatus("/f").lengthBytes());
    f.state.reportReplicaLength("cs2", lease.handle(), lease.version(), 200); // a late group's report: no shrink
    assertEquals(700, f.state.fileStatus("/f").lengthBytes());
    // A server holding no replica of the chunk (known to the master or not) cannot move the file's length.
    f.heartbeat("cs4");
    assertEquals(StateError.PERMISSION_DENIED,
        f.error(() -> f.state.reportReplicaLength("cs4", lease.handle(), lease.version(), 900)));
    assertEquals(StateError.PERMISSION_DENIED,
        f.error(() -> f.state.reportReplicaLength("nobody", lease.handle(), lease.version(), 900)));
    // A version other than the chunk's current one: a primary of an earlier lease, or a confused one.
    assertEquals(StateError.STALE_VERSION,
        f.error(() -> f.state.reportReplicaLength("cs1", lease.handle(), lease.version() - 1, 900)));
    assertEquals(StateError.STALE_VERSION,
        f.error(() -> f.state.reportReplicaLength("cs1", lease.handle(), lease.version() + 1, 900)));
    assertEquals(StateError.UNKNOWN_CHUNK, f.error(() -> f.state.reportReplicaLength("cs1", 999, 1, 900)));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.state.reportReplicaLength("cs1", lease.handle(),
        lease.version(), StateFixture.CHUNK_SIZE + 1)));
    assertEquals(StateError.INVALID_ARGUMENT,
        f.error(() -> f.state.reportReplicaLength("cs1", lease.handle(), lease.version(), -1)));
    assertEquals(700, f.state.fileStatus("/f").lengthBytes());
  }

  @Test
  void leasesAreExtendedForTheirHolderOnly() {
    LeaseView lease = f.acquire("/f", 0, THREE_SERVERS);
    String primary = THREE_SERVERS.stream().filter(s -> StateFixture.address(s).equals(lease.primary())).findFirst().get();
    String other = THREE_SERVERS.stream().filter(s -> !s.equals(primary)).findFirst().get();
    f.nowMillis += StateFixture.LEASE_MILLIS - 1;
    HeartbeatOutcome refused = f.heartbeat(other, List.of(replica(lease.handle(), 1, 0)), List.of(lease.handle()),
        List.of());
    assertEquals(List.of(), refused.extensions());
    HeartbeatOutcome extended = f.heartbeat(primary, List.of(replica(lease.handle(), 1, 0)), List.of(lease.handle()),
        List.of());
    assertEquals(1, extended.extensions().size());
    assertEquals(f.nowMillis + StateFixture.LEASE_MILLIS, extended.extensions().get(0).expiryMillis());
    f.nowMillis += StateFixture.LEASE_MILLIS - 1;
    THREE_SERVERS.forEach(s -> f.heartbeat(s, replica(lease.handle(), 1, 0)));
    assertEquals(1, f.acquire("/f", 0, THREE_SERVERS).version(), "still the extended lease");
    f.nowMillis += 2;
    THREE_SERVERS.forEach(s -> f.heartbeat(s, replica(lease.handle(), 1, 0)));
    assertEquals(List.of(), f.heartbeat(primary, List.of(replica(lease.handle(), 1, 0)), List.of(lease.handle()),
        List.of()).extensions(), "an expired lease is not extended");
    assertEquals(2, f.acquire("/f", 0, THREE_SERVERS).version(), "expired: a new grant with a new version");
  }

  @Test
  void aDeadHolderMeansANewGrant() {
    LeaseView lease = f.acquire("/f", 0, THREE_SERVERS);
    String primary = THREE_SERVERS.stream().filter(s -> StateFixture.address(s).equals(lease.primary())).findFirst().get();
    f.nowMillis += StateFixture.DEAD_AFTER_MILLIS;
    THREE_SERVERS.stream().filter(s -> !s.equals(primary)).forEach(s -> f.heartbeat(s, replica(lease.handle(), 1, 0)));
    LeaseView next = f.acquire("/f", 0, THREE_SERVERS);
    assertEquals(2, next.version());
    assertNotEquals(lease.primary(), next.primary());
    assertEquals(1, next.secondaries().size(), "the dead server is not a replica anymore");
  }

  @Test
  void corruptReplicasAreNotOffered() {
    LeaseView lease = f.acquire("/f", 0, THREE_SERVERS);
    f.heartbeat("cs3", List.of(replica(lease.handle(), 1, 0)), List.of(), List.of(lease.handle()));
    List<?> replicas = f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().get(0).replicas();
    assertEquals(2, replicas.size());
    assertFalse(replicas.contains(StateFixture.address("cs3")));
  }

  @Test
  void aServerRestartedWithANewIdReplacesTheOld() {
    LeaseView lease = f.acquire("/f", 0, THREE_SERVERS);
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
    LeaseView lease = f.acquire("/f", 0, THREE_SERVERS);
    assertEquals(2, lease.version());
    assertEquals(2, lease.secondaries().size());
  }

  @Test
  void aServerThatStopsListingAChunkIsNoLongerAReplica() {
    LeaseView lease = f.acquire("/f", 0, THREE_SERVERS);
    f.heartbeat("cs1");
    assertTrue(f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().get(0).replicas()
        .contains(StateFixture.address("cs1")), "a report built before the chunk was created does not count");
    f.nowMillis += ChunkCoordinator.REPORT_GRACE_MILLIS;
    THREE_SERVERS.forEach(s -> f.heartbeat(s));
    assertFalse(f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().get(0).replicas()
        .contains(StateFixture.address("cs1")));
    assertTrue(lease.handle() > 0);
  }

  @Test
  void findChunksReturnsARunFromTheFirstIndex() {
    for (int i = 0; i < 5; i++) {
      f.acquire("/f", i, THREE_SERVERS);
    }
    FileChunks run = f.state.findChunks("/f", 2, 2, f.nowMillis);
    assertEquals(List.of(2L, 3L), run.chunks().stream().map(ChunkView::chunkIndex).toList());
    assertEquals(List.of(), f.state.findChunks("/f", 9, 2, f.nowMillis).chunks());
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.state.findChunks("/f", -1, 2, f.nowMillis)));
    f.mkdirs("/dir");
    assertEquals(StateError.IS_DIRECTORY, f.error(() -> f.state.findChunks("/dir", 0, 2, f.nowMillis)));
  }
}
