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
}
