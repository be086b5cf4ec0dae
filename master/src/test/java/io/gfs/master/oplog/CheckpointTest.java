package io.gfs.master.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.master.state.LogRecord;
import io.gfs.master.state.MasterState;
import io.gfs.master.state.StateImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir
  Path dir;

  private static MasterState fresh() {
    return new MasterState(new MasterState.Settings(1 << 20, 60_000, 10_000, 3), new SplittableRandom(1));
  }

  private static List<LogRecord> records(int from, int to) {
    List<LogRecord> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add(new LogRecord.Mkdir("/d" + (i % 7) + "/e" + i, i));
      out.add(new LogRecord.Create("/d" + (i % 7) + "/e" + i + "/f", 2, i, false, true));
      out.add(new LogRecord.AddChunk("/d" + (i % 7) + "/e" + i + "/f", 0, i, 1, i));
      out.add(new LogRecord.SetVersion(i, 2));
    }
    return out;
  }

  /** Live: appends and applies; checkpoints after the given record counts. Returns the live state's image. */
  private StateImage run(List<LogRecord> records, List<Integer> checkpointAfter) throws IOException {
    MasterState live = fresh();
    try (OpLog log = OpLog.open(dir, 0, OpLog.SyncHook.NONE)) {
      for (int i = 0; i < records.size(); i++) {
        log.appendAndWait(records.get(i));
        live.apply(records.get(i));
        if (checkpointAfter.contains(i + 1)) {
          long last = log.roll();
          assertEquals(i + 1, last);
          CheckpointFile.write(dir, last, live.image());
        }
      }
    }
    return live.image();
  }

  private MasterState recoverState() throws IOException {
    MasterState recovered = fresh();
    Recovery.recover(dir, recovered::restore, e -> recovered.apply(e.record()));
    recovered.checkInvariants();
    return recovered;
  }

  @Test
  void checkpointRoundTrips() throws IOException {
    MasterState state = fresh();
    records(1, 20).forEach(state::apply);
    Path file = CheckpointFile.write(dir, 80, state.image());
    CheckpointFile.Loaded loaded = CheckpointFile.read(file);
    assertEquals(80, loaded.lastSequence());
    assertEquals(state.image(), loaded.image());
  }

  @Test
  void restartIsTheNewestCheckpointPlusLaterSegments() throws IOException {
    List<LogRecord> records = records(1, 30);
    StateImage live = run(records, List.of(40, 80));
    MasterState recovered = fresh();
    Recovery.Result result = Recovery.recover(dir, recovered::restore, e -> recovered.apply(e.record()));
    assertEquals(80, result.checkpointSequence());
    assertEquals(records.size() - 80, result.replayedRecords());
    assertEquals(records.size(), result.lastSequence());
    assertEquals(live, recovered.image());
  }

  @Test
  void aBadCheckpointIsSkippedForThePreviousOne() throws IOException {
    List<LogRecord> records = records(1, 30);
    StateImage live = run(records, List.of(40, 80));
    Path newest = MetaFiles.checkpoint(dir, 80);
    OpLogTest.flip(newest, Files.size(newest) / 2);
    assertThrows(IOException.class, () -> CheckpointFile.read(newest));
    MasterState recovered = fresh();
    Recovery.Result result = Recovery.recover(dir, recovered::restore, e -> recovered.apply(e.record()));
    assertEquals(40, result.checkpointSequence());
    assertEquals(List.of(newest), result.skippedCheckpoints());
    assertEquals(live, recovered.image());
  }

  @Test
  void anIncompleteCheckpointIsSkipped() throws IOException {
    List<LogRecord> records = records(1, 30);
    StateImage live = run(records, List.of(40, 80));
    Path newest = MetaFiles.checkpoint(dir, 80);
    byte[] bytes = Files.readAllBytes(newest);
    Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    Files.write(dir.resolve("checkpoint-00000000000000000100.ckpt.tmp"), new byte[] {1, 2, 3});
    assertEquals(live, recoverState().image());
    assertFalse(Files.exists(dir.resolve("checkpoint-00000000000000000100.ckpt.tmp")), "leftover .tmp removed");
  }

  @Test
  void retentionKeepsWhatTheOldestKeptCheckpointNeeds() throws IOException {
    List<LogRecord> records = records(1, 30);
    StateImage live = run(records, List.of(20, 40, 80));
    List<Path> deleted = Retention.prune(dir, 2);
    assertTrue(deleted.contains(MetaFiles.checkpoint(dir, 20)));
    assertTrue(deleted.contains(MetaFiles.segment(dir, 1)));
    assertTrue(deleted.contains(MetaFiles.segment(dir, 21)));
    assertTrue(Files.exists(MetaFiles.segment(dir, 41)), "needed if checkpoint 80 turns out bad");
    assertEquals(List.of(40L, 80L), new ArrayList<>(MetaFiles.checkpoints(dir).keySet()));
    // Even with the newest checkpoint gone bad, restart still works from what was kept.
    OpLogTest.flip(MetaFiles.checkpoint(dir, 80), 30);
    assertEquals(live, recoverState().image());
  }
}
