package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Holders of a chunk that fall silent and come back keep their copies. The 20-minute soak (seed 4603268277754260782,
 * at b85f67c) lost chunk 308 this way: every chunkserver that came back to the master that had created the chunk was
 * told to delete every chunk that master had granted (its report counted as outside the grant), one holder after the
 * other, grant-confirmed copies and clone-made ones alike, until no copy was left anywhere (fixed by 17f5b82).
 * Driven step by step against a model of what each server's disk holds.
 */
class ReturningHoldersTest {
  private final StateFixture f = new StateFixture();
  /** The servers whose disk holds the chunk (version 1): what a real chunkserver would report. */
  private final Set<String> onDisk = new TreeSet<>();
  private long handle;

  /** One heartbeat with the server's full report; the deletions it is told to make happen on its disk. */
  private List<Long> report(String serverId) {
    List<HeartbeatReport.Replica> chunks = onDisk.contains(serverId)
        ? List.of(new HeartbeatReport.Replica(handle, 1, 1000)) : List.of();
    List<Long> deleted = f.heartbeat(serverId, chunks, List.of(), List.of()).deleteChunks();
    if (deleted.contains(handle)) {
      onDisk.remove(serverId);
    }
    return deleted;
  }

  /** The server is silent past the dead-after interval; the others report; the master declares it dead. */
  private void silent(String down, List<String> servers) {
    f.nowMillis += StateFixture.DEAD_AFTER_MILLIS + 1;
    servers.stream().filter(other -> !other.equals(down)).forEach(this::report);
    assertEquals(List.of(down), f.state.tick(f.nowMillis));
  }

  /** Every clone the master plans now runs and lands; then everyone reports (excess copies may go then). */
  private void repair(List<String> servers) {
    for (ClonePlan clone : f.state.planReplication(f.nowMillis, 10, 10)) {
      assertTrue(onDisk.contains(clone.sourceId()), "clone from a server without the chunk: " + clone);
      onDisk.add(clone.targetId());
      f.state.completeClone(clone, true, f.nowMillis);
    }
    servers.forEach(this::report);
  }

  private Set<HostPort> locations() {
    return new HashSet<>(f.state.findChunks("/f", 0, 1, f.nowMillis).chunks().get(0).replicas());
  }

  @Test
  void everyHolderThatPausesAndComesBackKeepsItsCopy() {
    List<String> servers = new ArrayList<>(List.of("cs1", "cs2", "cs3"));
    servers.forEach(this::report);
    f.create("/f");
    LeaseView lease = f.acquire("/f", 0, servers); // every target confirmed version 1
    handle = lease.handle();
    onDisk.addAll(servers);
    f.nowMillis += StateFixture.LEASE_MILLIS; // the writer is done; the chunk stays at version 1
    servers.add("cs4"); // a spare for re-replication
    servers.forEach(this::report);
    // As chunk 308 in the soak: a confirmed holder pauses, is re-replicated around, comes back; then the others,
    // the clone-made copy among them. Each time the returning copy is as good as the rest.
    for (String down : List.of("cs2", "cs3", "cs4", "cs1", "cs2")) {
      if (!onDisk.contains(down)) {
        continue; // an excess copy removed earlier: nothing of this chunk to come back with
      }
      silent(down, servers);
      repair(servers.stream().filter(other -> !other.equals(down)).toList()); // re-replicated around it meanwhile
      assertFalse(report(down).contains(handle),
          down + " came back with version 1, the chunk's version, and was told to delete it");
      repair(servers);
    }
    assertTrue(onDisk.size() >= 3, "copies left on disk: " + onDisk);
    Set<HostPort> expected = new HashSet<>();
    onDisk.forEach(s -> expected.add(StateFixture.address(s)));
    assertEquals(expected, locations(), "the master locates exactly the copies on disk");
  }

  /**
   * After a restart the master knows every copy only from reports (none confirmed by a grant since it started). Such
   * a copy must go from the locations when its server's full report stops listing it: the grace for reports taken
   * before a grant does not apply to it. Before the fix the grace test overflowed (now - Long.MIN_VALUE) and the copy
   * stayed a location forever, so readers kept being sent to a server without the chunk.
   */
  @Test
  void afterARestartACopyIsForgottenWhenItsServerStopsReportingIt() {
    List<String> servers = List.of("cs1", "cs2", "cs3");
    servers.forEach(this::report);
    f.create("/f");
    handle = f.acquire("/f", 0, servers).handle();
    MasterState restarted = f.replay();
    long now = f.nowMillis + StateFixture.LEASE_MILLIS;
    for (String server : servers) {
      restartedReport(restarted, server, true, now);
    }
    assertEquals(3, restartedLocations(restarted, now).size(), "every reported copy is a location");
    now += StateFixture.DEAD_AFTER_MILLIS / 2; // well within the dead-after interval: cs2 is alive, its disk lost it
    restartedReport(restarted, "cs2", false, now);
    assertFalse(restartedLocations(restarted, now).contains(StateFixture.address("cs2")),
        "cs2 no longer reports the chunk, yet the master still sends readers there");
    assertEquals(2, restartedLocations(restarted, now).size());
  }

  private void restartedReport(MasterState restarted, String serverId, boolean holds, long now) {
    List<HeartbeatReport.Replica> chunks = holds ? List.of(new HeartbeatReport.Replica(handle, 1, 1000)) : List.of();
    restarted.heartbeat(new HeartbeatReport(serverId, StateFixture.address(serverId), "/r", 1L << 40, 0, chunks,
        List.of(), List.of()), now);
    restarted.checkInvariants();
  }

  private Set<HostPort> restartedLocations(MasterState restarted, long now) {
    return new HashSet<>(restarted.findChunks("/f", 0, 1, now).chunks().get(0).replicas());
  }
}
