package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Lazy garbage collection [0075-0078]: hide on delete, undelete, purge after the retention, orphan replicas. */
class GarbageCollectionTest {
  private static final long RETENTION = 10_000;
  private final StateFixture f = new StateFixture(3, 42, RETENTION);

  private List<String> names(String dir) {
    return f.state.listStatus(dir).stream().map(FileStatus::path).toList();
  }

  private List<String> deleted(String dir) {
    return f.state.listDeleted(dir).stream().map(FileStatus::path).toList();
  }

  /** The scan as the server runs it: each expired entry purged under its lock. */
  private int scan() {
    int purged = 0;
    for (String path : f.state.expiredDeleted(f.nowMillis, 100)) {
      try (LockTable.Held l = f.state.lockWrite(path)) {
        if (f.commit(f.state.decidePurge(path, f.nowMillis))) {
          purged++;
        }
      }
    }
    return purged;
  }

  private boolean undelete(String path) {
    try (LockTable.Held l = f.state.lockUndelete(path)) {
      return f.commit(f.state.decideUndelete(path, ++f.nowMillis));
    }
  }

  @Test
  void deleteHidesTheEntryAndFreesItsName() {
    f.create("/d/x");
    assertTrue(f.remove("/d/x", false));
    long deletedAt = f.nowMillis;
    assertEquals(List.of(), names("/d"));
    assertEquals(StateError.NOT_FOUND, f.error(() -> f.state.fileStatus("/d/x")));
    String hidden = "/d/" + DeletedNames.hide("x", deletedAt, 0);
    assertEquals(List.of(hidden), deleted("/d"));
    assertEquals(deletedAt, f.state.listDeleted("/d").get(0).modificationTimeMillis());
    assertFalse(f.state.fileStatus(hidden).directory(), "still readable under its hidden name");
    assertEquals(1, f.state.fileCount(), "a deleted file counts until it is purged");
    f.create("/d/x");
    assertEquals(List.of("/d/x"), names("/d"));
    assertEquals(new ContentSummary(0, 1, 1, 0), f.state.contentSummary("/d"), "summaries leave deleted out");
    assertTrue(f.log.get(f.log.size() - 2) instanceof LogRecord.Rename, "a delete is a rename to the hidden name");
  }

  @Test
  void undeleteBringsBackTheNewestDeletion() {
    f.create("/d/x", false, true, 2);
    f.remove("/d/x", false);
    f.create("/d/x", false, true, 1);
    f.remove("/d/x", false);
    assertEquals(2, deleted("/d").size());
    assertTrue(undelete("/d/x"));
    assertEquals(1, f.state.fileStatus("/d/x").replication(), "the newest one");
    assertEquals(StateError.ALREADY_EXISTS, f.error(() -> undelete("/d/x")));
    f.remove("/d/x", false);
    assertTrue(undelete("/d/x"));
    assertEquals(1, f.state.fileStatus("/d/x").replication());
    f.rename("/d/x", "/d/y");
    assertTrue(undelete("/d/x"), "the older deletion is still there");
    assertEquals(2, f.state.fileStatus("/d/x").replication());
    assertFalse(undelete("/d/x2"));
    assertFalse(undelete("/nodir/x"));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> undelete("/")));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> undelete("/d/" + DeletedNames.hide("x", 1, 0))));
  }

  @Test
  void theScanPurgesAfterTheRetentionAndChunkserversAreToldToDelete() {
    f.heartbeat("cs1");
    f.create("/d/x", false, true, 1);
    long handle = f.acquire("/d/x", 0, List.of("cs1")).handle();
    f.remove("/d", true);
    assertEquals(1, f.state.chunkCount(), "chunks of deleted files stay until the purge");
    assertEquals(List.of(), f.heartbeat("cs1", new HeartbeatReport.Replica(handle, 1, 0)).deleteChunks());
    f.nowMillis += RETENTION / 2;
    assertEquals(0, scan(), "not yet");
    f.nowMillis += RETENTION;
    assertEquals(1, scan());
    assertEquals(List.of(), f.state.expiredDeleted(f.nowMillis, 100));
    assertEquals(0, f.state.chunkCount());
    assertEquals(0, f.state.fileCount());
    assertEquals(List.of(), deleted("/"));
    assertEquals(List.of(handle), f.heartbeat("cs1", new HeartbeatReport.Replica(handle, 1, 0)).deleteChunks(),
        "an orphaned replica is deleted through the heartbeat reply [0076]");
    assertFalse(undelete("/d"));
    assertEquals(f.replay().image(), f.state.image());
  }

  @Test
  void deletingADeletedEntryPurgesItAtOnce() {
    f.heartbeat("cs1");
    f.create("/x", false, true, 1);
    f.acquire("/x", 0, List.of("cs1"));
    f.remove("/x", false);
    String hidden = deleted("/").get(0);
    assertTrue(f.remove(hidden, false));
    assertTrue(f.log.get(f.log.size() - 1) instanceof LogRecord.Delete);
    assertEquals(0, f.state.chunkCount());
    assertEquals(List.of(), deleted("/"));
  }

  @Test
  void aDirectoryHoldingOnlyDeletedEntriesIsEmpty() {
    f.create("/d/x");
    f.remove("/d/x", false);
    assertTrue(f.remove("/d", false));
    assertEquals(1, deleted("/").size());
    f.nowMillis += RETENTION;
    assertEquals(List.of(deleted("/").get(0)), f.state.expiredDeleted(f.nowMillis, 100), "the outermost only");
    assertEquals(1, scan());
    assertEquals(0, f.state.fileCount());
    assertEquals(1, f.state.directoryCount());
  }

  @Test
  void insideADeletedDirectoryAndWithoutRetentionDeletesPurgeAtOnce() {
    f.create("/d/x");
    f.create("/d/y");
    f.remove("/d", true);
    String hiddenDir = deleted("/").get(0);
    assertTrue(f.remove(hiddenDir + "/x", false));
    assertTrue(f.log.get(f.log.size() - 1) instanceof LogRecord.Delete);
    StateFixture immediate = new StateFixture(3, 1, 0);
    immediate.create("/a");
    immediate.remove("/a", false);
    assertEquals(List.of(), immediate.state.listDeleted("/"));
    assertEquals(0, immediate.state.fileCount());
  }

  @Test
  void aNameTooLongForTheHiddenPrefixIsPurgedAtOnce() {
    String name = "n".repeat(250);
    f.create("/" + name);
    f.remove("/" + name, false);
    assertEquals(List.of(), deleted("/"));
    assertEquals(0, f.state.fileCount());
  }

  @Test
  void theHiddenPrefixIsReserved() {
    String hidden = "/" + DeletedNames.hide("x", 5, 0);
    assertEquals(StateError.INVALID_PATH, f.error(() -> f.create(hidden)));
    assertEquals(StateError.INVALID_PATH, f.error(() -> f.mkdirs(hidden + "/sub")));
    f.create("/y");
    assertEquals(StateError.INVALID_PATH, f.error(() -> f.rename("/y", hidden)));
  }

  @Test
  void deletedChunksAreMarkedForReplicationPriorityAndEverythingReplays() {
    f.heartbeat("cs1");
    f.create("/d/x", false, true, 1);
    f.acquire("/d/x", 0, List.of("cs1"));
    f.remove("/d", true);
    undelete("/d");
    f.remove("/d/x", false);
    MasterState restored = StateFixture.fresh();
    restored.restore(f.state.image());
    restored.checkInvariants();
    assertEquals(f.state.image(), restored.image());
    assertEquals(f.replay().image(), f.state.image());
  }

  @Test
  void hiddenNamesParseBack() {
    assertEquals(new DeletedNames.Parsed(123, 0, "a.b"), DeletedNames.parse(DeletedNames.hide("a.b", 123, 0)).get());
    assertEquals(new DeletedNames.Parsed(123, 4, ".x"), DeletedNames.parse(DeletedNames.hide(".x", 123, 4)).get());
    assertTrue(DeletedNames.parse(".gfs-deleted.abc.x").isEmpty());
    assertTrue(DeletedNames.parse("plain").isEmpty());
  }
}
