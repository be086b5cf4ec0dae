package io.gfs.master.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.master.state.LogRecord;
import io.gfs.master.state.MasterState;
import io.gfs.master.state.PermissionStatus;
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
      if (i % 3 == 0) {
        String dir = "/owned" + i;
        out.add(new LogRecord.Mkdir(dir, i, new PermissionStatus("u" + i, "g" + i, (short) 0710)));
        out.add(new LogRecord.Create(dir + "/f", 1, i, false, false, new PermissionStatus("v", "w", (short) 0600)));
        out.add(new LogRecord.SetOwner(dir + "/f", null, "other"));
        out.add(new LogRecord.SetTimes(dir, 5, 6));
        out.add(new LogRecord.SetPermission(dir + "/f", (short) 0444));
        out.add(new LogRecord.SetReplication(dir + "/f", 4));
        out.add(new LogRecord.SetPolicy(dir, 1, 0));
      }
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

  /** Recovers as the master does: the checkpoint streams into a state made fresh for each attempt. */
  private record Streamed(Recovery.Result result, MasterState state, int statesMade) {}

  private Streamed recoverStreaming() throws IOException {
    List<MasterState> made = new ArrayList<>(List.of(fresh()));
    Recovery.Result result = Recovery.recoverInto(dir, () -> {
      made.add(fresh());
      return made.get(made.size() - 1).restorer();
    }, e -> made.get(made.size() - 1).apply(e.record()));
    MasterState state = made.get(made.size() - 1);
    state.checkInvariants();
    return new Streamed(result, state, made.size() - 1);
  }

  @Test
  void aCheckpointStreamedIntoTheStateEqualsTheLiveState() throws IOException {
    List<LogRecord> records = records(1, 30);
    StateImage live = run(records, List.of(40, 80));
    Streamed streamed = recoverStreaming();
    assertEquals(80, streamed.result().checkpointSequence());
    assertEquals(1, streamed.statesMade());
    assertEquals(live, streamed.state().image());
  }

  @Test
  void aCheckpointWhoseChecksumHoldsButWhoseContentDoesNotLoadIsSkippedAndItsHalfLoadedStateDropped()
      throws IOException {
    List<LogRecord> records = records(1, 30);
    StateImage live = run(records, List.of(80));
    Path newest = MetaFiles.checkpoint(dir, 80);
    StateImage good = CheckpointFile.read(newest).image();
    List<StateImage.Chunk> chunks = new ArrayList<>(good.chunks());
    chunks.add(new StateImage.Chunk(good.nextHandle() + 5, 1)); // a chunk no file refers to
    CheckpointFile.write(dir, 80, new StateImage(good.nextHandle() + 10, good.directories(), good.files(), chunks,
        good.policies()));
    CheckpointFile.Verified verified = CheckpointFile.verify(newest);
    CheckpointFile.MalformedException malformed = assertThrows(CheckpointFile.MalformedException.class,
        () -> CheckpointFile.load(verified, fresh().restorer()));
    assertTrue(malformed.getMessage().contains("referenced by no file"), malformed.getMessage());
    Streamed streamed = recoverStreaming();
    assertEquals(List.of(newest), streamed.result().skippedCheckpoints());
    assertEquals(0, streamed.result().checkpointSequence(), "no other checkpoint: the whole log is replayed");
    assertEquals(2, streamed.statesMade(), "the half-loaded state is replaced by a fresh one");
    assertEquals(live, streamed.state().image());
  }

  @Test
  void aFormatOneCheckpointStreamsLikeTheImage() throws IOException {
    MasterState state = fresh();
    List.of(new LogRecord.Mkdir("/d/e", 5), new LogRecord.Create("/d/e/f", 2, 6, false, false),
        new LogRecord.AddChunk("/d/e/f", 0, 1, 3, 7)).forEach(state::apply);
    writeFormatOne(MetaFiles.checkpoint(dir, 3), 3, state.image());
    MasterState viaImage = fresh();
    viaImage.restore(CheckpointFile.read(MetaFiles.checkpoint(dir, 3)).image());
    Streamed streamed = recoverStreaming();
    assertEquals(3, streamed.result().checkpointSequence());
    assertEquals(viaImage.image(), streamed.state().image());
  }

  @Test
  void aFormatOneCheckpointIsStillReadWithDefaultPermissions() throws IOException {
    MasterState state = fresh();
    List.of(new LogRecord.Mkdir("/d/e", 5), new LogRecord.Create("/d/e/f", 2, 6, false, false),
        new LogRecord.AddChunk("/d/e/f", 0, 1, 3, 7)).forEach(state::apply);
    StateImage image = state.image();
    Path file = MetaFiles.checkpoint(dir, 3);
    writeFormatOne(file, 3, image);
    CheckpointFile.Loaded loaded = CheckpointFile.read(file);
    MasterState restored = fresh();
    restored.restore(loaded.image());
    restored.checkInvariants();
    assertEquals(image.directories(), restored.image().directories(), "an older master's nodes had the defaults");
    assertEquals(image.chunks(), restored.image().chunks());
    // fileStatusOrNull: no chunkserver reported /d/e/f's chunk to the restored state, so a client's lookup waits.
    assertEquals(new PermissionStatus("gfs", "supergroup", (short) 0644),
        restored.fileStatusOrNull("/d/e/f").permission());
    assertEquals(7, restored.fileStatusOrNull("/d/e/f").accessTimeMillis(),
        "format 1 has no access time: mtime stands in");
    assertEquals(new PermissionStatus("gfs", "supergroup", (short) 0755), restored.fileStatus("/d").permission());
  }

  /** The checkpoint writer of format 1 (before permissions), kept to test that it is still read. */
  private static void writeFormatOne(Path file, long lastSequence, StateImage image) throws IOException {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.write("GFSCKPT1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.writeLong(lastSequence);
      out.writeLong(image.nextHandle());
      out.writeInt(image.directories().size());
      for (StateImage.Directory d : image.directories()) {
        RecordCodec.writeString(out, d.path());
        out.writeLong(d.mtimeMillis());
      }
      out.writeInt(image.files().size());
      for (StateImage.File f : image.files()) {
        RecordCodec.writeString(out, f.path());
        out.writeInt(f.replication());
        out.writeLong(f.mtimeMillis());
        out.writeInt(f.chunkHandles().size());
        for (long handle : f.chunkHandles()) {
          out.writeLong(handle);
        }
      }
      out.writeInt(image.chunks().size());
      for (StateImage.Chunk c : image.chunks()) {
        out.writeLong(c.handle());
        out.writeLong(c.version());
      }
    }
    byte[] body = bytes.toByteArray();
    crc.update(body);
    Files.write(file, java.nio.ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array());
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
  void aCheckpointOfANewerFormatIsRefusedNotSkipped() throws IOException {
    run(records(1, 30), List.of(40, 80));
    Path newest = MetaFiles.checkpoint(dir, 80);
    byte[] bytes = Files.readAllBytes(newest);
    bytes[7] = '9'; // "GFSCKPT9": a format a later master might write
    Files.write(newest, bytes);
    CheckpointFile.UnknownFormatException read = assertThrows(CheckpointFile.UnknownFormatException.class,
        () -> CheckpointFile.read(newest));
    assertTrue(read.getMessage().contains("format '9'"), read.getMessage());
    MasterState recovered = fresh();
    assertThrows(CheckpointFile.UnknownFormatException.class,
        () -> Recovery.recover(dir, recovered::restore, e -> recovered.apply(e.record())),
        "recovery must not fall back to checkpoint 40 behind a newer master's checkpoint");
  }

  @Test
  void aFileOutsideTheListedDirectoriesKeepsItsFullPath() throws IOException {
    PermissionStatus shared = new PermissionStatus("u", "g", (short) 0640);
    StateImage image = new StateImage(9, List.of(new StateImage.Directory("/", 1, PermissionStatus.ROOT, 0),
        new StateImage.Directory("/a", 2, shared, 3)), List.of(
        new StateImage.File("/a/f", 2, 4, List.of(1L, 2L), shared, 5),
        new StateImage.File("/elsewhere/g", 1, 6, List.of(), null, 6),
        new StateImage.File("/a/h", 3, 7, List.of(3L), shared, 8)),
        List.of(new StateImage.Chunk(1, 1), new StateImage.Chunk(2, 4), new StateImage.Chunk(3, 1)),
        List.of(new StateImage.DirectoryPolicy("/a", 2, 0)));
    Path file = CheckpointFile.write(dir, 12, image);
    assertEquals(image, CheckpointFile.read(file).image());
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
