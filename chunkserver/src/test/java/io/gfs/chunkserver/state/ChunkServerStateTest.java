package io.gfs.chunkserver.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChunkServerStateTest {
  private static final long H = 42;
  private final ChunkServerState state = new ChunkServerState();

  @AfterEach
  void invariants() {
    state.checkInvariants();
  }

  private static RefusalCode refusal(ThrowingRunnable runnable) {
    return assertThrows(Refusal.class, runnable::run).code();
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void assignVersionCreatesOnlyWhenAskedAndNeverGoesBack() throws Refusal {
    assertEquals(RefusalCode.UNKNOWN_CHUNK, refusal(() -> state.checkAssignVersion(H, 1, false)));
    assertEquals(AssignAction.CREATE, state.checkAssignVersion(H, 1, true));
    state.versionAssigned(H, 1, 0, 0);
    assertEquals(AssignAction.UNCHANGED, state.checkAssignVersion(H, 1, true));
    assertEquals(AssignAction.SET_VERSION, state.checkAssignVersion(H, 3, false));
    state.versionAssigned(H, 3, 0, 0);
    assertEquals(RefusalCode.STALE_VERSION, refusal(() -> state.checkAssignVersion(H, 2, false)));
    assertEquals(RefusalCode.INVALID_ARGUMENT, refusal(() -> state.checkAssignVersion(H, 0, true)));
    assertEquals(3, state.version(H).getAsLong());
  }

  @Test
  void primaryNeedsAnUnexpiredLeaseAtExactlyTheVersion() throws Refusal {
    assertEquals(RefusalCode.UNKNOWN_CHUNK, refusal(() -> state.checkPrimary(H, 1, 0)));
    state.versionAssigned(H, 1, 0, 0);
    assertEquals(RefusalCode.NOT_PRIMARY, refusal(() -> state.checkPrimary(H, 1, 0)));
    state.versionAssigned(H, 1, 60_000, 1000);
    state.checkPrimary(H, 1, 1000);
    assertEquals(RefusalCode.STALE_VERSION, refusal(() -> state.checkPrimary(H, 2, 1000)));
    // 60 s minus the 1/10 safety margin: expired at 1000 + 54000.
    assertEquals(55_000, state.leaseExpiryMillis(H).getAsLong());
    state.checkPrimary(H, 1, 54_999);
    assertEquals(RefusalCode.LEASE_EXPIRED, refusal(() -> state.checkPrimary(H, 1, 55_000)));
  }

  @Test
  void aCorruptPrimaryServesNoMoreMutations() throws Refusal {
    state.versionAssigned(H, 1, 60_000, 0);
    state.checkPrimary(H, 1, 0);
    state.markCorrupt(H);
    assertEquals(RefusalCode.CHECKSUM_MISMATCH, refusal(() -> state.checkPrimary(H, 1, 0)));
    assertEquals(RefusalCode.CHECKSUM_MISMATCH, refusal(() -> state.checkAssignVersion(H, 1, false)));
  }

  @Test
  void assigningZeroLeaseDropsTheLeaseAndANewVersionDropsTheOldLease() throws Refusal {
    state.versionAssigned(H, 1, 60_000, 0);
    state.checkPrimary(H, 1, 0);
    state.versionAssigned(H, 1, 0, 0);
    assertEquals(RefusalCode.NOT_PRIMARY, refusal(() -> state.checkPrimary(H, 1, 0)));
    state.versionAssigned(H, 1, 60_000, 0);
    state.versionAssigned(H, 2, 0, 0);
    assertEquals(RefusalCode.NOT_PRIMARY, refusal(() -> state.checkPrimary(H, 2, 0)));
  }

  @Test
  void secondaryAppliesSerialNumbersOnceInIncreasingOrder() throws Refusal {
    state.versionAssigned(H, 5, 0, 0);
    assertEquals(SerialCheck.APPLY, state.checkSecondary(H, 5, 1));
    state.applied(H, 5, 1, 0);
    assertEquals(SerialCheck.ALREADY_APPLIED, state.checkSecondary(H, 5, 1));
    assertEquals(SerialCheck.APPLY, state.checkSecondary(H, 5, 3)); // a gap is the primary's business
    state.applied(H, 5, 3, 0);
    assertEquals(SerialCheck.ALREADY_APPLIED, state.checkSecondary(H, 5, 2));
    assertEquals(RefusalCode.STALE_VERSION, refusal(() -> state.checkSecondary(H, 4, 4)));
    assertEquals(RefusalCode.STALE_VERSION, refusal(() -> state.checkSecondary(H, 6, 4)));
    assertEquals(RefusalCode.INVALID_ARGUMENT, refusal(() -> state.checkSecondary(H, 5, 0)));
    assertThrows(IllegalStateException.class, () -> state.applied(H, 5, 3, 0));
  }

  @Test
  void serialNumbersStartAfreshWithEachVersion() throws Refusal {
    state.versionAssigned(H, 1, 60_000, 0);
    assertEquals(1, state.nextSerial(H));
    state.applied(H, 1, 1, 0);
    assertEquals(2, state.nextSerial(H));
    state.applied(H, 1, 2, 0);
    state.versionAssigned(H, 2, 60_000, 0);
    assertEquals(1, state.nextSerial(H));
    assertEquals(SerialCheck.APPLY, state.checkSecondary(H, 2, 1));
  }

  @Test
  void readsAcceptNewerReplicasAndRefuseOlderOnes() throws Refusal {
    state.versionAssigned(H, 4, 0, 0);
    state.checkRead(H, 4);
    state.checkRead(H, 3);
    assertEquals(RefusalCode.STALE_VERSION, refusal(() -> state.checkRead(H, 5)));
    assertEquals(RefusalCode.UNKNOWN_CHUNK, refusal(() -> state.checkRead(7, 1)));
  }

  @Test
  void leaseExtensionsAreRequestedForMutatedChunksThisServerLeads() {
    state.versionAssigned(1, 1, 60_000, 0);
    state.versionAssigned(2, 1, 0, 0);
    state.versionAssigned(3, 1, 60_000, 0);
    state.markMutated(1);
    state.markMutated(2); // a secondary asks nothing
    assertEquals(List.of(1L), state.leaseExtensionRequests());
    state.markMutated(3);
    state.leaseExtensionsRequested(List.of(1L));
    assertEquals(List.of(3L), state.leaseExtensionRequests());
  }

  @Test
  void leaseExtensionCountsFromNowAndOnlyForTheHeldVersion() throws Refusal {
    state.versionAssigned(H, 2, 10_000, 0); // expires at 9000
    assertFalse(state.extendLease(H, 1, 10_000, 5000));
    assertTrue(state.extendLease(H, 2, 10_000, 5000));
    assertEquals(14_000, state.leaseExpiryMillis(H).getAsLong());
    state.checkPrimary(H, 2, 13_000);
    assertFalse(state.extendLease(99, 1, 10_000, 5000));
    state.versionAssigned(H, 2, 0, 0);
    assertFalse(state.extendLease(H, 2, 10_000, 5000)); // a secondary is not revived as primary
  }

  @Test
  void corruptReplicasAreReportedAndRefuseNewVersions() {
    state.loaded(1, 3);
    state.loadedCorrupt(2);
    state.markCorrupt(1);
    assertEquals(List.of(new ReplicaView(1, 3, true), new ReplicaView(2, 0, true)), state.replicas());
    assertEquals(RefusalCode.CHECKSUM_MISMATCH, refusal(() -> state.checkAssignVersion(1, 4, true)));
    state.removed(1);
    assertFalse(state.contains(1));
  }

  @Test
  void aCopyReplacesStaleOrCorruptReplicasKeepsAGoodOneAndRefusesToGoBack() throws Refusal {
    assertEquals(CopyAction.COPY, state.checkCopyTarget(H, 3));
    state.versionAssigned(H, 2, 60_000, 0);
    state.applied(H, 2, 1, 0);
    state.markMutated(H);
    assertEquals(CopyAction.COPY, state.checkCopyTarget(H, 3), "version 2 is stale");
    assertEquals(RefusalCode.STALE_VERSION, refusal(() -> state.checkCopyTarget(H, 1)));
    assertEquals(CopyAction.ALREADY_HERE, state.checkCopyTarget(H, 2));
    state.markCorrupt(H);
    assertEquals(CopyAction.COPY, state.checkCopyTarget(H, 2), "a corrupt replica is repaired by the copy");
    state.copied(H, 2, 5000);
    assertFalse(state.isCorrupt(H));
    assertFalse(state.leaseExpiryMillis(H).isPresent(), "a copy holds no lease");
    assertEquals(List.of(), state.leaseExtensionRequests());
    assertEquals(List.of(new ScrubCandidate(H, 5000)), state.scrubCandidates());
    assertEquals(RefusalCode.INVALID_ARGUMENT, refusal(() -> state.checkCopyTarget(H, 0)));
  }
}
