package io.gfs.master.state;

import static io.gfs.master.state.StateFixture.THREE_SERVERS;
import static io.gfs.master.state.StateFixture.replica;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A new chunk logged (ADD_CHUNK) before any chunkserver created it, the master killed in between: the next writer
 * abandons it (logged) and allocates afresh, as HDFS's lease recovery removes a last block with no replica and no
 * bytes. A chunk some server ever held is reported missing instead, never abandoned.
 */
class AbandonChunkTest {
  /** The master restarted on the log so far; its chunkservers report what they hold. */
  private static StateFixture restart(StateFixture before, List<HeartbeatReport.Replica> held) {
    StateFixture after = new StateFixture();
    before.log.forEach(after::apply);
    after.nowMillis = before.nowMillis + 1;
    for (String s : THREE_SERVERS) {
      after.heartbeat(s, held, List.of(), List.of());
    }
    return after;
  }

  private static void beatAll(StateFixture f, List<HeartbeatReport.Replica> held) {
    for (String s : THREE_SERVERS) {
      f.heartbeat(s, held, List.of(), List.of());
    }
  }

  @Test
  void aLastChunkNoServerEverCreatedIsAbandonedAndTheFileTakesWritesAgain() {
    StateFixture f = new StateFixture();
    THREE_SERVERS.forEach(f::heartbeat);
    f.create("/f");
    long first = f.writeChunks("/f", StateFixture.CHUNK_SIZE).get(0);
    long lost = f.allocateOnly("/f", 1); // logged; the master died before any assignVersion
    List<HeartbeatReport.Replica> held = List.of(replica(first, 1, StateFixture.CHUNK_SIZE));
    StateFixture g = restart(f, held);
    assertEquals(2, g.state.fileStatusOrNull("/f").chunkCount());
    // Until every live server had a dead-after interval to report, no replica is known NOT to exist: missing, and
    // the file's length may still grow by the lost chunk's bytes, so a client's lookup is told to come back.
    assertEquals(StateError.NO_CHUNKSERVERS, g.error(() -> g.acquire("/f", 1, THREE_SERVERS)));
    assertEquals(StateError.BUSY, g.error(() -> g.state.fileStatus("/f")));
    g.nowMillis += StateFixture.DEAD_AFTER_MILLIS;
    beatAll(g, held);
    int logged = g.log.size();
    LeaseView lease = g.acquire("/f", 1, THREE_SERVERS);
    assertEquals(new LogRecord.AbandonChunk("/f", 1, lost), g.log.get(logged));
    assertInstanceOf(LogRecord.AddChunk.class, g.log.get(logged + 1));
    assertNotEquals(lost, lease.handle());
    assertEquals(1, lease.chunkIndex());
    assertEquals(2, lease.secondaries().size());
    assertEquals(2, g.state.fileStatus("/f").chunkCount());
    assertEquals(first, g.state.findChunks("/f", 0, 1, g.nowMillis).chunks().get(0).handle());
    assertEquals(StateFixture.CHUNK_SIZE, g.state.fileStatus("/f").lengthBytes());
    // The abandoned handle is garbage now: a server that somehow reports it is told to delete it.
    assertEquals(List.of(lost), g.heartbeat("cs1", replica(first, 1, StateFixture.CHUNK_SIZE), replica(lost, 1, 0))
        .deleteChunks());
    assertEquals(g.replay().image(), g.state.image(), "the abandonment replays");
  }

  @Test
  void theLastChunkOfAFileAskedForAsMinusOneIsAbandonedToo() {
    StateFixture f = new StateFixture();
    THREE_SERVERS.forEach(f::heartbeat);
    f.create("/f");
    long lost = f.allocateOnly("/f", 0);
    f.nowMillis += StateFixture.DEAD_AFTER_MILLIS;
    beatAll(f, List.of());
    LeaseView lease = f.acquire("/f", -1, THREE_SERVERS); // a record appender asks for the last chunk
    assertEquals(0, lease.chunkIndex());
    assertNotEquals(lost, lease.handle());
    assertEquals(1, f.state.fileStatus("/f").chunkCount());
  }

  @Test
  void aChunkAGrantConfirmedIsReportedMissingNeverAbandoned() {
    StateFixture f = new StateFixture();
    THREE_SERVERS.forEach(f::heartbeat);
    f.create("/f", false, true, 1);
    LeaseView lease = f.acquire("/f", 0, THREE_SERVERS); // created and written on one server; no length reported yet
    f.nowMillis += StateFixture.DEAD_AFTER_MILLIS + StateFixture.LEASE_MILLIS;
    List<String> others = new java.util.ArrayList<>(THREE_SERVERS);
    others.removeIf(s -> StateFixture.address(s).equals(lease.primary()));
    others.forEach(f::heartbeat);
    f.state.tick(f.nowMillis); // its only holder died
    assertEquals(StateError.NO_CHUNKSERVERS, f.error(() -> f.acquire("/f", 0, THREE_SERVERS)));
    assertEquals(List.of(lease.handle()),
        f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().stream().map(ChunkView::handle).toList());
  }

  @Test
  void aChunkAServerReportedAfterARestartIsReportedMissingNeverAbandoned() {
    StateFixture f = new StateFixture();
    THREE_SERVERS.forEach(f::heartbeat);
    f.create("/f", false, true, 1);
    LeaseView lease = f.acquire("/f", 0, List.of("cs1"));
    StateFixture g = new StateFixture();
    f.log.forEach(g::apply);
    g.nowMillis = f.nowMillis;
    g.heartbeat("cs1", replica(lease.handle(), 1, 0)); // reported to the new master, then its holder died
    g.heartbeat("cs2");
    g.nowMillis += StateFixture.DEAD_AFTER_MILLIS + 1;
    g.heartbeat("cs2");
    g.state.tick(g.nowMillis);
    assertEquals(StateError.NO_CHUNKSERVERS, g.error(() -> g.acquire("/f", 0, List.of("cs2"))));
    assertEquals(1, g.state.fileStatus("/f").chunkCount());
  }

  @Test
  void aChunkAtALaterVersionHadAReplicaAndIsNeverAbandoned() {
    StateFixture f = new StateFixture();
    THREE_SERVERS.forEach(f::heartbeat);
    f.create("/f");
    LeaseView first = f.acquire("/f", 0, THREE_SERVERS);
    f.nowMillis += StateFixture.LEASE_MILLIS;
    beatAll(f, List.of(replica(first.handle(), 1, 0)));
    f.acquire("/f", 0, THREE_SERVERS); // version 2 is logged only after a replica took it
    StateFixture g = new StateFixture();
    f.log.forEach(g::apply);
    g.nowMillis = f.nowMillis + StateFixture.DEAD_AFTER_MILLIS;
    g.heartbeat("cs4"); // none of its holders came back
    g.nowMillis += StateFixture.DEAD_AFTER_MILLIS;
    g.heartbeat("cs4");
    assertEquals(StateError.NO_CHUNKSERVERS, g.error(() -> g.acquire("/f", 0, List.of("cs4"))));
    assertFalse(g.log.stream().anyMatch(LogRecord.AbandonChunk.class::isInstance));
    assertTrue(g.state.fileStatus("/f").chunkCount() == 1);
  }
}
