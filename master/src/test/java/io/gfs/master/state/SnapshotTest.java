package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Snapshots [0113-0116]: metadata copies, reference counts, copy-on-write at the first lease, read-only trees. */
class SnapshotTest {
  private final StateFixture f = new StateFixture();

  @BeforeEach
  void chunkserver() {
    f.heartbeat("cs1");
  }

  private List<Long> handles(String path) {
    List<Long> out = new ArrayList<>();
    try (LockTable.Held l = f.state.lockRead(path)) {
      f.state.findChunks(path, 0, 100, f.nowMillis).chunks().forEach(c -> out.add(c.handle()));
    }
    return out;
  }

  @Test
  void directorySnapshotSharesChunksUntilTheFirstWriteCopiesOne() {
    f.create("/d/a");
    List<Long> before = f.writeChunks("/d/a", StateFixture.CHUNK_SIZE, 10);
    long chunks = f.state.chunkCount();
    f.snapshot("/d", "s1");
    assertEquals(before, handles("/d/.snapshot/s1/a"));
    assertEquals(chunks, f.state.chunkCount(), "a snapshot copies no chunk");
    assertEquals(List.of("s1"), f.state.listSnapshots("/d"));
    assertEquals(List.of("/d/a"), f.state.listStatus("/d").stream().map(FileStatus::path).toList(),
        ".snapshot is hidden from listings");
    // The first lease on the shared last chunk copies it: the file moves to a new handle, the snapshot keeps the old.
    LeaseView lease = f.acquire("/d/a", 1, List.of("cs1"));
    assertEquals(1, f.copies.size());
    assertEquals(before.get(1), f.copies.get(0).sourceHandle());
    assertNotEquals(before.get(1), lease.handle());
    assertEquals(List.of(before.get(0), lease.handle()), handles("/d/a"));
    assertEquals(before, handles("/d/.snapshot/s1/a"));
    assertEquals(10, f.state.fileStatus("/d/a").lengthBytes() - StateFixture.CHUNK_SIZE, "the copy keeps the length");
    // The second lease on it needs no copy.
    f.acquire("/d/a", 1, List.of("cs1"));
    assertEquals(1, f.copies.size());
    assertEquals(f.replay().image(), f.state.image());
  }

  @Test
  void snapshotsAreReadOnlyAndOutliveTheirFiles() {
    f.create("/d/a");
    List<Long> before = f.writeChunks("/d/a", 5);
    f.snapshot("/d", "s1");
    assertEquals(StateError.INVALID_PATH, f.error(() -> f.create("/d/.snapshot/s1/b")));
    assertEquals(StateError.INVALID_PATH, f.error(() -> f.remove("/d/.snapshot/s1/a", false)));
    assertEquals(StateError.INVALID_PATH, f.error(() -> f.acquire("/d/.snapshot/s1/a", 0, List.of("cs1"))));
    assertEquals(StateError.INVALID_PATH, f.error(() -> f.mkdirs("/x/.snapshot")));
    assertTrue(f.remove("/d/a", false));
    assertEquals(before, handles("/d/.snapshot/s1/a"), "the snapshot still holds the deleted file's chunks");
    // Deleting the snapshot releases the last reference.
    long chunks = f.state.chunkCount();
    try (LockTable.Held l = f.state.lockSnapshots("/d")) {
      f.commit(f.state.decideDeleteSnapshot("/d", "s1"));
    }
    assertEquals(chunks - 1, f.state.chunkCount());
    assertEquals(List.of(), f.state.listSnapshots("/d"));
    assertEquals(f.replay().image(), f.state.image());
  }

  @Test
  void aDirectoryWithSnapshotsAtOrBelowItCannotBeDeletedUntilTheyAre() {
    f.create("/top/d/a");
    f.writeChunks("/top/d/a", 5);
    f.create("/top/e/b");
    f.snapshot("/top/d", "s1");
    f.snapshot("/top/e/b", "v1");
    StateException refused = assertThrows(StateException.class, () -> f.remove("/top", true));
    assertEquals(StateError.DIRECTORY_NOT_EMPTY, refused.error());
    assertTrue(refused.getMessage().contains("has snapshots"), refused.getMessage());
    assertEquals(StateError.DIRECTORY_NOT_EMPTY, f.error(() -> f.remove("/top/d", true)));
    assertEquals(StateError.DIRECTORY_NOT_EMPTY, f.error(() -> f.remove("/top/e", true)),
        "a file's snapshots live in its directory's area");
    assertEquals(StateError.DIRECTORY_NOT_EMPTY, f.error(() -> f.remove("/", true)));
    assertTrue(f.remove("/top/d/a", false), "a file in it may go: the snapshot keeps its chunks");
    try (LockTable.Held l = f.state.lockSnapshots("/top/d")) {
      f.commit(f.state.decideDeleteSnapshot("/top/d", "s1"));
    }
    try (LockTable.Held l = f.state.lockSnapshots("/top/e/b")) {
      f.commit(f.state.decideDeleteSnapshot("/top/e/b", "v1"));
    }
    assertTrue(f.remove("/top", true), "deleted once its snapshots are");
    assertEquals(f.replay().image(), f.state.image());
  }

  @Test
  void fileSnapshotsAreReadUnderTheFileAndRenamed() {
    f.create("/d/a");
    List<Long> before = f.writeChunks("/d/a", 7);
    f.snapshot("/d/a", "v1");
    assertEquals(before, handles("/d/a/.snapshot/v1"));
    assertEquals(List.of("v1"), f.state.listSnapshots("/d/a"));
    try (LockTable.Held l = f.state.lockSnapshots("/d/a")) {
      f.commit(f.state.decideRenameSnapshot("/d/a", "v1", "v2", ++f.nowMillis));
      assertEquals(StateError.NOT_FOUND, f.state.decideRenameSnapshot("/d/a", "v1", "v3", f.nowMillis).error());
      assertEquals(StateError.ALREADY_EXISTS, f.state.decideCreateSnapshot("/d/a", "v2", f.nowMillis).error());
      assertEquals(StateError.INVALID_ARGUMENT, f.state.decideCreateSnapshot("/d/a", ".x", f.nowMillis).error());
    }
    assertEquals(List.of("v2"), f.state.listSnapshots("/d/a"));
    f.snapshot("/d", "s1");
    assertEquals(List.of("/d/.snapshot/s1"), f.state.listStatus("/d/.snapshot").stream().map(FileStatus::path)
        .toList(), "a file's snapshots stay out of its directory's snapshot listing");
    assertEquals(List.of("/d/.snapshot/s1/a"), f.state.listStatus("/d/.snapshot/s1").stream()
        .map(FileStatus::path).toList(), "and out of the directory's snapshot");
    assertEquals(before, handles("/d/a/.snapshot/v2"));
    f.acquire("/d/a", 0, List.of("cs1"));
    assertEquals(before, handles("/d/a/.snapshot/v2"));
    assertFalse(handles("/d/a").equals(before));
    assertEquals(f.replay().image(), f.state.image());
  }

  @Test
  void aCopyMadeBeforeItsRecordIsLoggedIsNeitherDeletedNorWarnedAbout() {
    f.create("/d/a");
    List<Long> before = f.writeChunks("/d/a", 5);
    f.snapshot("/d", "s1");
    try (LockTable.Held l = f.state.lockWrite("/d/a")) {
      LeasePlan.CopyOnWrite copy = (LeasePlan.CopyOnWrite) f.state.planLease("/d/a", 0, f.nowMillis);
      assertEquals(before.get(0), copy.sourceHandle());
      HeartbeatOutcome outcome = f.heartbeat("cs1", List.of(new HeartbeatReport.Replica(before.get(0), 1, 5),
          new HeartbeatReport.Replica(copy.newHandle(), 1, 5)), List.of(), List.of());
      assertEquals(List.of(), outcome.deleteChunks());
      assertEquals(List.of(), outcome.unknownFutureChunks());
    }
  }

  @Test
  void snapshotRevokesLeasesOnItsChunks() {
    f.create("/d/a");
    LeaseView lease = f.acquire("/d/a", 0, List.of("cs1"));
    try (LockTable.Held l = f.state.lockSnapshots("/d")) {
      List<LeasePlan.Revoked> revoked = f.state.revokeLeasesUnder("/d", f.nowMillis);
      assertEquals(1, revoked.size());
      assertEquals(lease.handle(), revoked.get(0).handle());
      assertEquals(0, f.state.leaseCount());
    }
  }
}
