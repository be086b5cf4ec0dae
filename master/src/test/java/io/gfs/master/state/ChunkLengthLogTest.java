package io.gfs.master.state;

import static io.gfs.master.state.StateFixture.CHUNK_SIZE;
import static io.gfs.master.state.StateFixture.DEAD_AFTER_MILLIS;
import static io.gfs.master.state.StateFixture.THREE_SERVERS;
import static io.gfs.master.state.StateFixture.replica;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The active master logs the chunk lengths it learned (CHUNK_LENGTHS), so a later master knows a floor of each: a
 * chunk whose every replica is gone keeps its length, and reading it fails, instead of the file looking shorter
 * (before, such a chunk counted as 0 bytes once the reports had settled). A logged length short of a whole chunk is
 * only a floor: lookups still wait for the chunkservers' reports before they show it.
 */
class ChunkLengthLogTest {
  private static final long PART_BYTES = 12_345;

  /** /d/f: one full chunk and one partial, on cs1, reported by cs1's heartbeat to the active master. */
  private static List<Long> write(StateFixture f) {
    f.state.startLoggingChunkLengths(); // the active master's timers run
    THREE_SERVERS.forEach(f::heartbeat);
    f.mkdirs("/d");
    f.create("/d/f");
    List<Long> handles = f.writeChunks("/d/f", CHUNK_SIZE, PART_BYTES);
    f.heartbeat("cs1", replica(handles.get(0), 1, CHUNK_SIZE), replica(handles.get(1), 1, PART_BYTES));
    return handles;
  }

  /** /d/full, one whole chunk, and /d/part, one partial chunk, written and their lengths logged; their handles. */
  private static List<Long> writeFullAndPart(StateFixture f) {
    f.state.startLoggingChunkLengths();
    THREE_SERVERS.forEach(f::heartbeat);
    f.mkdirs("/d");
    f.create("/d/full");
    f.create("/d/part");
    long full = f.writeChunks("/d/full", CHUNK_SIZE).get(0);
    long part = f.writeChunks("/d/part", PART_BYTES).get(0);
    f.logLearnedLengths();
    return List.of(full, part);
  }

  /** A master started on the log so far; no chunkserver has reported to it yet. */
  private static StateFixture restarted(StateFixture before) {
    StateFixture after = new StateFixture();
    before.log.forEach(after::apply);
    after.nowMillis = before.nowMillis + 1;
    return after;
  }

  @Test
  void theLengthsLearnedAreLoggedOnceEachUntilTheyGrowAgain() {
    StateFixture f = new StateFixture();
    List<Long> handles = write(f);
    List<LogRecord.ChunkLengths> logged = f.logLearnedLengths();
    assertEquals(1, logged.size());
    assertArrayEquals(new long[] {handles.get(1), handles.get(0)}, logged.get(0).handles());
    assertArrayEquals(new int[] {(int) PART_BYTES, (int) CHUNK_SIZE}, logged.get(0).lengthsBytes());

    f.heartbeat("cs1", replica(handles.get(0), 1, CHUNK_SIZE), replica(handles.get(1), 1, PART_BYTES));
    assertEquals(List.of(), f.logLearnedLengths(), "nothing grew: nothing more to log");

    f.heartbeat("cs1", replica(handles.get(0), 1, CHUNK_SIZE), replica(handles.get(1), 1, PART_BYTES + 1));
    f.heartbeat("cs1", replica(handles.get(0), 1, CHUNK_SIZE), replica(handles.get(1), 1, PART_BYTES + 2));
    logged = f.logLearnedLengths();
    assertEquals(1, logged.size());
    assertArrayEquals(new long[] {handles.get(1)}, logged.get(0).handles(), "queued once however often it grew");
    assertArrayEquals(new int[] {(int) PART_BYTES + 2}, logged.get(0).lengthsBytes());
  }

  @Test
  void aLengthThatGrewAfterItsBatchWasTakenIsLoggedAgain() {
    StateFixture f = new StateFixture();
    List<Long> handles = write(f);
    assertEquals(2, f.state.chunkLengthsUnlogged());
    LogRecord.ChunkLengths taken = f.state.takeChunkLengthsToLog(LogRecord.ChunkLengths.ENTRIES_MAX);
    assertEquals(2, f.state.chunkLengthsUnlogged(), "taken, not logged yet");
    f.heartbeat("cs1", replica(handles.get(0), 1, CHUNK_SIZE), replica(handles.get(1), 1, PART_BYTES + 7));
    assertEquals(3, f.state.chunkLengthsUnlogged(), "the grown chunk is queued again beside the batch in flight");
    f.apply(taken); // its record lands after the growth: the chunk is not logged at its new length
    assertEquals(1, f.state.chunkLengthsUnlogged());
    List<LogRecord.ChunkLengths> logged = f.logLearnedLengths();
    assertEquals(1, logged.size());
    assertArrayEquals(new long[] {handles.get(1)}, logged.get(0).handles());
    assertArrayEquals(new int[] {(int) PART_BYTES + 7}, logged.get(0).lengthsBytes());
    assertEquals(0, f.state.chunkLengthsUnlogged());
  }

  @Test
  void nothingIsQueuedBeforeTheMasterStartsLoggingWhichQueuesWhatWasLearnedBefore() {
    StateFixture f = new StateFixture();
    THREE_SERVERS.forEach(f::heartbeat);
    f.mkdirs("/d");
    f.create("/d/f");
    long handle = f.writeChunks("/d/f", PART_BYTES).get(0);
    assertNull(f.state.takeChunkLengthsToLog(10), "a standby or shadow logs nothing");
    f.state.startLoggingChunkLengths();
    List<LogRecord.ChunkLengths> logged = f.logLearnedLengths();
    assertEquals(1, logged.size());
    assertArrayEquals(new long[] {handle}, logged.get(0).handles());
  }

  @Test
  void aChunkNoServerHoldsAnyMoreKeepsItsLoggedLengthAfterTheReportsSettle() {
    StateFixture f = new StateFixture();
    List<Long> handles = write(f);
    f.logLearnedLengths();
    StateFixture g = restarted(f);
    for (String s : THREE_SERVERS) {
      g.heartbeat(s, replica(handles.get(0), 1, CHUNK_SIZE)); // cs1's copy of the second chunk is gone
    }
    assertEquals(StateError.BUSY, g.error(() -> g.state.fileStatus("/d/f")), "the floor is not the length yet");
    g.nowMillis += DEAD_AFTER_MILLIS;
    g.heartbeat("cs1", replica(handles.get(0), 1, CHUNK_SIZE));
    // Before the lengths were logged: CHUNK_SIZE (the lost chunk counted as empty, and a reader stopped there).
    assertEquals(CHUNK_SIZE + PART_BYTES, g.state.fileStatus("/d/f").lengthBytes());
    assertEquals(CHUNK_SIZE + PART_BYTES, g.state.contentSummary("/").lengthBytes());
    List<ChunkView> chunks = g.state.findChunks("/d/f", 0, 10, g.nowMillis).chunks();
    assertEquals(PART_BYTES, chunks.get(1).lengthBytes());
    assertEquals(List.of(), chunks.get(1).replicas(), "no location: the client's read fails");
  }

  @Test
  void aLoggedWholeChunkIsKnownAtOnceButAPartialOneWaitsForItsReport() {
    StateFixture f = new StateFixture();
    List<Long> handles = writeFullAndPart(f);
    long full = handles.get(0);
    long part = handles.get(1);
    StateFixture g = restarted(f);
    assertEquals(CHUNK_SIZE, g.state.fileStatus("/d/full").lengthBytes(), "nothing can lie past a whole chunk");
    assertEquals(StateError.BUSY, g.error(() -> g.state.fileStatus("/d/part")));
    g.heartbeat("cs1", replica(full, 1, CHUNK_SIZE), replica(part, 1, PART_BYTES + 5));
    assertEquals(PART_BYTES + 5, g.state.fileStatus("/d/part").lengthBytes(), "acknowledged after the log's floor");
  }

  @Test
  void aLoggedLengthNeverLowersAKnownOneAndAChunkGoneSinceIsSkipped() {
    StateFixture f = new StateFixture();
    List<Long> handles = write(f);
    f.apply(new LogRecord.ChunkLengths(new long[] {handles.get(1), 999_999}, new int[] {5, 5}));
    assertEquals(CHUNK_SIZE + PART_BYTES, f.state.fileStatusOrNull("/d/f").lengthBytes());
    f.remove("/d/f", false);
    f.apply(new LogRecord.ChunkLengths(handles.stream().mapToLong(Long::longValue).toArray(), new int[] {9, 9}));
    assertNull(f.state.takeChunkLengthsToLog(10), "the removed chunks' queued handles are skipped");
  }

  @Test
  void aCheckpointKeepsTheFloorsAndTheirLoggedMark() {
    StateFixture f = new StateFixture();
    List<Long> handles = write(f);
    f.logLearnedLengths();
    StateImage image = f.state.image();
    assertTrue(image.chunks().contains(new StateImage.Chunk(handles.get(1), 1, (int) PART_BYTES, true)),
        image.chunks().toString());
    MasterState restored = StateFixture.fresh();
    restored.restore(image);
    restored.checkInvariants();
    assertEquals(image, restored.image());
    restored.startLoggingChunkLengths();
    assertNull(restored.takeChunkLengthsToLog(10), "a floor from a checkpoint is in the log's keeping already");
    assertEquals(CHUNK_SIZE + PART_BYTES, restored.fileStatusOrNull("/d/f").lengthBytes());
  }

  /**
   * A checkpoint may hold lengths learned after the last record of them (its capture comes between a report and the
   * next flush): the master restored from it logs them again, so the log alone still gives them to a standby.
   */
  @Test
  void aCheckpointLengthTheLogLacksIsLoggedAgainByTheMasterRestoredFromIt() {
    StateFixture f = new StateFixture();
    List<Long> handles = write(f);
    f.logLearnedLengths();
    f.heartbeat("cs1", replica(handles.get(0), 1, CHUNK_SIZE), replica(handles.get(1), 1, PART_BYTES + 3));
    StateImage image = f.state.image(); // before the flush
    assertTrue(image.chunks().contains(new StateImage.Chunk(handles.get(1), 1, (int) PART_BYTES + 3, false)),
        image.chunks().toString());
    assertTrue(image.chunks().contains(new StateImage.Chunk(handles.get(0), 1, (int) CHUNK_SIZE, true)),
        image.chunks().toString());
    MasterState restored = StateFixture.fresh();
    restored.restore(image);
    restored.startLoggingChunkLengths();
    LogRecord.ChunkLengths again = restored.takeChunkLengthsToLog(10);
    assertArrayEquals(new long[] {handles.get(1)}, again.handles(), "only the length the log lacks");
    assertArrayEquals(new int[] {(int) PART_BYTES + 3}, again.lengthsBytes());
  }

  /** After a restart from a checkpoint, as from the log: a whole chunk is answered at once, a partial one waits. */
  @Test
  void aRestoredWholeChunkIsKnownAtOnceButAPartialOneWaitsForItsReport() {
    StateFixture f = new StateFixture();
    long part = writeFullAndPart(f).get(1);
    StateFixture g = new StateFixture();
    g.state.restore(f.state.image());
    g.nowMillis = f.nowMillis + 1;
    assertEquals(CHUNK_SIZE, g.state.fileStatus("/d/full").lengthBytes(), "nothing can lie past a whole chunk");
    assertEquals(StateError.BUSY, g.error(() -> g.state.fileStatus("/d/part")), "a floor is not the length");
    g.heartbeat("cs1", replica(part, 1, PART_BYTES));
    assertEquals(PART_BYTES, g.state.fileStatus("/d/part").lengthBytes());
  }

  @Test
  void aCopyOnWriteCopyLogsTheLengthItTookFromItsOriginal() {
    StateFixture f = new StateFixture();
    List<Long> handles = write(f);
    f.logLearnedLengths();
    f.snapshot("/d", "s1");
    LeaseView lease = f.acquire("/d/f", 1, List.of("cs1"));
    List<LogRecord.ChunkLengths> logged = f.logLearnedLengths();
    assertEquals(1, logged.size());
    assertArrayEquals(new long[] {lease.handle()}, logged.get(0).handles());
    assertArrayEquals(new int[] {(int) PART_BYTES}, logged.get(0).lengthsBytes());
    assertTrue(lease.handle() != handles.get(1));
  }
}
