package io.gfs.master.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.master.state.LogRecord;
import io.gfs.master.state.MasterState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4: the epoch of every log position, durable beside the log, and the cut of a divergent suffix. */
class EpochTableTest {
  @TempDir
  Path dir;

  private static EpochTable.Start start(long epoch, long firstSequence) {
    return new EpochTable.Start(epoch, firstSequence);
  }

  private static LogRecord mkdir(int i) {
    return new LogRecord.Mkdir("/d" + i, i, null);
  }

  private long recover() throws IOException {
    return Recovery.recover(dir, image -> { }, entry -> { }).lastSequence();
  }

  @Test
  void aNewTermRecordStartsItsEpochAndTheTableSurvivesARestart() throws IOException {
    try (OpLog log = OpLog.open(dir, 0, OpLog.SyncHook.NONE)) {
      assertEquals(0, log.epochs().epochAt(0));
      log.appendAndWait(mkdir(1)); // a log of a master without HA: epoch 0
      log.appendAndWait(new LogRecord.NewTerm(3, 1));
      log.appendAndWait(mkdir(3));
      log.appendAndWait(new LogRecord.NewTerm(5, 1));
      assertEquals(List.of(start(3, 2), start(5, 4)), log.epochs().starts());
      assertEquals(0, log.epochs().epochAt(1));
      assertEquals(3, log.epochs().epochAt(3));
      assertEquals(5, log.epochs().epochAt(4));
    }
    assertEquals(4, recover());
    try (OpLog log = OpLog.open(dir, 4, OpLog.SyncHook.NONE)) {
      assertEquals(List.of(start(3, 2), start(5, 4)), log.epochs().starts());
    }
  }

  @Test
  void anOlderLogWithoutTheFileGetsItsEpochsFromTheReplayedNewTermRecords() throws IOException {
    try (OpLog log = OpLog.open(dir, 0, OpLog.SyncHook.NONE)) {
      log.appendAndWait(new LogRecord.NewTerm(2, 1));
      log.appendAndWait(mkdir(2));
    }
    Files.delete(dir.resolve(EpochTable.FILE)); // as a master before this table left it
    assertEquals(2, recover());
    assertEquals(List.of(start(2, 1)), EpochTable.load(dir).starts());
    Files.delete(dir.resolve(EpochTable.FILE));
    assertEquals(List.of(), EpochTable.load(dir).starts(), "no file, nothing replayed yet: every position epoch 0");
  }

  @Test
  void aTermWhoseFirstRecordNeverLandedIsDroppedAtRecovery() throws IOException {
    try (OpLog log = OpLog.open(dir, 0, OpLog.SyncHook.NONE)) {
      log.appendAndWait(new LogRecord.NewTerm(1, 1));
      log.appendAndWait(mkdir(2));
    }
    EpochTable.load(dir).begin(7, 3); // durable before its record was queued; the crash came in between
    assertEquals(2, recover());
    assertEquals(List.of(start(1, 1)), EpochTable.load(dir).starts());
  }

  @Test
  void epochsMustGrowWithTheSequence() throws IOException {
    EpochTable table = EpochTable.load(dir);
    table.begin(4, 10);
    assertThrows(IOException.class, () -> table.begin(3, 20));
    table.begin(6, 5); // a cut log taking another master's term from 5 on: the entry at 10 goes
    assertEquals(List.of(start(6, 5)), table.starts());
    Files.writeString(dir.resolve(EpochTable.FILE), "something else\n");
    assertThrows(IOException.class, () -> EpochTable.load(dir));
  }

  @Test
  void theCommonPointIsTheLastPositionOfTheSameEpochInBothLogs() {
    List<EpochTable.Start> a = List.of(start(1, 1));
    List<EpochTable.Start> c = List.of(start(1, 1), start(2, 4));
    assertEquals(3, EpochTable.commonPoint(a, c, 5), "A's 4-5 of epoch 1 against C's of epoch 2");
    assertEquals(5, EpochTable.commonPoint(c, c, 5));
    assertEquals(3, EpochTable.commonPoint(c, a, 3));
    assertEquals(0, EpochTable.commonPoint(List.of(start(2, 1)), List.of(start(3, 1)), 9));
    assertEquals(0, EpochTable.commonPoint(a, c, 0));
    assertEquals(6, EpochTable.commonPoint(List.of(start(1, 1), start(3, 7)), List.of(start(1, 1), start(4, 9)), 9));
  }

  @Test
  void aCutKeepsThePrefixAndItsEpochsAndRefusesToGoBelowACheckpoint() throws IOException {
    try (OpLog log = OpLog.open(dir, 0, OpLog.SyncHook.NONE)) {
      log.appendAndWait(new LogRecord.NewTerm(1, 1));
      log.appendAndWait(mkdir(2));
      log.roll();
      log.appendAndWait(mkdir(3));
      log.appendAndWait(new LogRecord.NewTerm(2, 1));
      log.appendAndWait(mkdir(5));
    }
    assertEquals(2, LogTruncation.truncateAfter(dir, 3));
    assertEquals(3, recover());
    assertEquals(List.of(start(1, 1)), EpochTable.load(dir).starts());
    List<LogEntry> left = LogTail.read(dir, 1, 100);
    assertEquals(List.of(1L, 2L, 3L), left.stream().map(LogEntry::sequence).toList());
    assertTrue(left.get(2).record() instanceof LogRecord.Mkdir m && m.path().equals("/d3"));

    assertEquals(1, LogTruncation.truncateAfter(dir, 2), "the cut may empty a later segment");
    assertEquals(2, recover());
    CheckpointFile.write(dir, 2, new MasterState(new MasterState.Settings(1 << 20, 60_000, 10_000, 3),
        new java.util.SplittableRandom(1)).image());
    IOException refused = assertThrows(IOException.class, () -> LogTruncation.truncateAfter(dir, 1));
    assertTrue(refused.getMessage().contains("re-seed"), refused.getMessage());
    assertFalse(LogTail.read(dir, 2, 1).isEmpty(), "nothing was cut");
  }
}
