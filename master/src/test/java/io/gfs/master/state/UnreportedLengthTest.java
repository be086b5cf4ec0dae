package io.gfs.master.state;

import static io.gfs.master.state.StateFixture.CHUNK_SIZE;
import static io.gfs.master.state.StateFixture.DEAD_AFTER_MILLIS;
import static io.gfs.master.state.StateFixture.THREE_SERVERS;
import static io.gfs.master.state.StateFixture.replica;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chunk lengths are not in these tests' logs (nor, beyond a floor, in any: see ChunkLengthLogTest): a restarted master
 * (or one that took over) learns them from the chunkservers' reports. Until every live server had the chance to
 * report, a lookup that would show a file with an unreported chunk is refused with BUSY, which clients retry, instead
 * of answering a short length that a reader would take for the whole file (it would stop early, with success).
 */
class UnreportedLengthTest {
  private static final long PART_BYTES = 12_345;

  /** /d/f: one full chunk and one partial, written on cs1 (handles in order). */
  private static List<Long> write(StateFixture f) {
    THREE_SERVERS.forEach(f::heartbeat);
    f.mkdirs("/d");
    f.create("/d/f");
    return f.writeChunks("/d/f", CHUNK_SIZE, PART_BYTES);
  }

  /** A master started on the log so far; no chunkserver has reported to it yet. */
  private static StateFixture restarted(StateFixture before) {
    StateFixture after = new StateFixture();
    before.log.forEach(after::apply);
    after.nowMillis = before.nowMillis + 1;
    return after;
  }

  private static void assertLookupsWait(StateFixture g) {
    assertEquals(StateError.BUSY, g.error(() -> g.state.fileStatus("/d/f")));
    assertEquals(StateError.BUSY, g.error(() -> g.state.listStatus("/d")));
    assertEquals(StateError.BUSY, g.error(() -> g.state.listPage("/d", "", 10, false, g.nowMillis)));
    assertEquals(StateError.BUSY, g.error(() -> g.state.listPage("/d", "", 10, true, g.nowMillis)));
    assertEquals(StateError.BUSY, g.error(() -> g.state.contentSummary("/")));
    assertEquals(StateError.BUSY, g.error(() -> g.state.findChunks("/d/f", 0, 10, g.nowMillis)));
  }

  @Test
  void lookupsWaitUntilAReplicaAtTheCurrentVersionReportedEveryChunk() {
    StateFixture f = new StateFixture();
    List<Long> handles = write(f);
    assertEquals(CHUNK_SIZE + PART_BYTES, f.state.fileStatus("/d/f").lengthBytes());
    StateFixture g = restarted(f);

    assertLookupsWait(g);
    assertTrue(g.state.fileStatus("/d").directory(), "a directory has no length to wait for");
    assertEquals(0, g.state.fileStatusOrNull("/d/f").lengthBytes(), "the master's own view: nothing known yet");

    g.heartbeat("cs1", replica(handles.get(0), 1, CHUNK_SIZE));
    assertLookupsWait(g); // the second chunk is still unreported
    g.heartbeat("cs2", replica(handles.get(1), 0, 0));
    assertLookupsWait(g); // a stale replica's length says nothing of the acknowledged bytes
    try (LockTable.Held l = g.state.lockRead("/d/f")) {
      g.state.reportChunkLength("/d/f", 1, handles.get(1), 100);
    }
    assertLookupsWait(g); // other writers' acknowledged appends may lie past a writer's own report

    g.heartbeat("cs1", replica(handles.get(0), 1, CHUNK_SIZE), replica(handles.get(1), 1, PART_BYTES));
    assertEquals(CHUNK_SIZE + PART_BYTES, g.state.fileStatus("/d/f").lengthBytes());
    assertEquals(CHUNK_SIZE + PART_BYTES, g.state.listStatus("/d").get(0).lengthBytes());
    assertEquals(CHUNK_SIZE + PART_BYTES, g.state.contentSummary("/").lengthBytes());
    assertEquals(CHUNK_SIZE + PART_BYTES,
        g.state.listPage("/d", "", 10, true, g.nowMillis).entries().get(0).file().lengthBytes());
    assertEquals(PART_BYTES, g.state.findChunks("/d/f", 1, 1, g.nowMillis).chunks().get(0).lengthBytes());
  }

  @Test
  void aChunkNoLiveServerReportsCountsAsKnownOnceEveryServerHadADeadAfterIntervalToReport() {
    StateFixture f = new StateFixture();
    List<Long> handles = write(f);
    StateFixture g = restarted(f);
    for (String s : THREE_SERVERS) {
      g.heartbeat(s, replica(handles.get(0), 1, CHUNK_SIZE)); // cs1's copy of the second chunk is gone
    }
    assertLookupsWait(g);
    g.nowMillis += DEAD_AFTER_MILLIS - 1;
    g.heartbeat("cs1", replica(handles.get(0), 1, CHUNK_SIZE));
    assertLookupsWait(g);
    g.nowMillis += 1;
    g.heartbeat("cs1", replica(handles.get(0), 1, CHUNK_SIZE));
    // Waiting longer would not bring its bytes: the lost chunk counts as empty (docs/reliability.md, Known gaps).
    assertEquals(CHUNK_SIZE, g.state.fileStatus("/d/f").lengthBytes());
  }

  @Test
  void aMasterNoChunkserverReportsToStopsWaitingADeadAfterIntervalAfterItBeganToServe() {
    StateFixture f = new StateFixture();
    write(f);
    StateFixture g = restarted(f);
    g.state.tick(g.nowMillis); // its timers start with its service
    assertLookupsWait(g);
    g.nowMillis += DEAD_AFTER_MILLIS - 1;
    g.state.tick(g.nowMillis);
    assertLookupsWait(g);
    g.nowMillis += 1;
    g.state.tick(g.nowMillis);
    assertEquals(0, g.state.fileStatus("/d/f").lengthBytes(), "no chunkserver alive: every chunk is missing");
  }

  @Test
  void aPrimarysGroupReportDoesNotMakeALengthKnown() {
    StateFixture f = new StateFixture();
    List<Long> handles = write(f);
    StateFixture g = restarted(f);
    // cs1 holds chunk 1 at a version the log never got (the old master died after assignVersion): adopted [0080].
    g.heartbeat("cs1", replica(handles.get(0), 1, CHUNK_SIZE), replica(handles.get(1), 2, PART_BYTES));
    g.heartbeat("cs1", replica(handles.get(0), 1, CHUNK_SIZE), replica(handles.get(1), 2, PART_BYTES));
    assertEquals(CHUNK_SIZE + PART_BYTES, g.state.fileStatus("/d/f").lengthBytes(), "known from the second report");

    StateFixture h = restarted(f);
    h.heartbeat("cs1", replica(handles.get(0), 1, CHUNK_SIZE), replica(handles.get(1), 2, PART_BYTES));
    // The group's end, not the replica's: a pad after the group's last record is left out.
    h.state.reportReplicaLength("cs1", handles.get(1), 2, 100);
    assertLookupsWait(h);
  }

  @Test
  void concatWaitsForTheLengthsItChecks() {
    StateFixture f = new StateFixture();
    List<Long> handles = write(f);
    f.create("/d/t");
    long target = f.writeChunks("/d/t", CHUNK_SIZE).get(0);
    StateFixture g = restarted(f);
    // "chunk 0 of /d/t holds 0 bytes, not a full chunk" (INVALID_ARGUMENT, final) before this rule.
    assertEquals(StateError.BUSY, g.error(() -> g.concat("/d/t", "/d/f")));
    g.heartbeat("cs1", replica(target, 1, CHUNK_SIZE), replica(handles.get(0), 1, CHUNK_SIZE),
        replica(handles.get(1), 1, PART_BYTES));
    g.concat("/d/t", "/d/f");
    assertEquals(2 * CHUNK_SIZE + PART_BYTES, g.state.fileStatus("/d/t").lengthBytes());
  }

  @Test
  void aChunkThisMasterAllocatedIsAnsweredAtOnce() {
    StateFixture f = new StateFixture();
    write(f);
    StateFixture g = restarted(f);
    THREE_SERVERS.forEach(g::heartbeat);
    g.create("/n");
    g.writeChunks("/n", PART_BYTES); // allocated by this master: empty until its writes, which the writer reports
    assertEquals(PART_BYTES, g.state.fileStatus("/n").lengthBytes());
    assertEquals(StateError.BUSY, g.error(() -> g.state.fileStatus("/d/f")));
  }

  @Test
  void aCopyOnWriteCopyKeepsItsOriginalsReportedLength() {
    StateFixture f = new StateFixture();
    List<Long> handles = write(f);
    StateFixture g = restarted(f);
    g.heartbeat("cs1", replica(handles.get(0), 1, CHUNK_SIZE), replica(handles.get(1), 1, PART_BYTES));
    g.heartbeat("cs2");
    g.heartbeat("cs3");
    g.snapshot("/d", "s1");
    LeaseView lease = g.acquire("/d/f", 1, List.of("cs1")); // copies the shared chunk on cs1 first [0116]
    assertEquals(1, g.copies.size());
    assertEquals(g.copies.get(0).newHandle(), lease.handle());
    assertEquals(CHUNK_SIZE + PART_BYTES, g.state.fileStatus("/d/f").lengthBytes());
  }
}
