package io.gfs.master.server;

import static io.gfs.master.server.MasterItCluster.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfigKeys;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ServerAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rebalancing with a real master and real chunkservers [0073-0074]: a new, empty chunkserver joins three that hold
 * every chunk; the balancer moves replicas onto it, never more at once than its share of the clone budget, until the
 * servers' utilisations are within 10% of each other; every chunk stays at its replication and reads back intact.
 */
class RebalanceIT extends MasterItClusterTest {
  private static final int CHUNK_BYTES = 1 << 20;
  private static final long CAPACITY_BYTES = 32L * CHUNK_BYTES;
  private static final int PER_SERVER_CLONES_MAX = 2;
  /** Moves take at most a quarter of the clone budget. */
  private static final int MOVES_MAX = 2;

  @BeforeEach
  void start() throws Exception {
    cluster = MasterItCluster.start(metaDir, chunkDir, CHUNK_BYTES, 2000, Map.of( // leased chunks do not move
        GfsConfigKeys.Master.CHUNKSERVER_DEAD_AFTER_MS.name(), "3000",
        GfsConfigKeys.Master.REPLICATION_CLONES_PER_SERVER_MAX.name(), Integer.toString(PER_SERVER_CLONES_MAX),
        GfsConfigKeys.Master.REPLICATION_CLONES_MAX.name(), Integer.toString(4 * MOVES_MAX)));
  }

  @Test
  void aNewEmptyChunkserverIsFilledUntilUtilisationIsWithinTenPercent() throws Exception {
    cluster.startChunkServers(3, servers -> servers.capacityBytes(CAPACITY_BYTES));
    cluster.call(c -> c.create("/data", false, true, 2, null, null, (short) -1));
    Random random = new Random(3);
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      byte[] data = new byte[CHUNK_BYTES];
      random.nextBytes(data);
      cluster.writeChunk("/data", i, data);
      chunks.add(data);
    }
    awaitTrue(() -> spread() <= 0.10 && cluster.status().getClonesInFlight() == 0,
        "the three servers balanced among themselves");
    cluster.chunkServers().start(1); // new and empty
    awaitTrue(() -> cluster.status().getChunkServers().size() == 4, "the new server registered");
    long clonesInFlightMax = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (spread() > 0.10 || cluster.status().getClonesInFlight() > 0) {
      assertTrue(System.nanoTime() < deadline, "timed out balancing; spread " + spread());
      clonesInFlightMax = Math.max(clonesInFlightMax, cluster.status().getClonesInFlight());
      Thread.sleep(20);
    }
    assertTrue(clonesInFlightMax <= MOVES_MAX, "gradual: at most " + MOVES_MAX + " moves at once, saw "
        + clonesInFlightMax);
    assertTrue(cluster.chunksOn(3) >= 8, "the new server holds " + cluster.chunksOn(3) + " chunks");
    awaitTrue(() -> cluster.underReplicated() == 0, "every chunk at its replication");
    awaitTrue(this::quiet, "the balancer stopped moving (within its own 5% threshold)");
    List<ChunkLocation> locations = cluster.call(c -> c.findChunks("/data", 0, 100)).getChunks();
    for (int i = 0; i < chunks.size(); i++) {
      assertEquals(2, locations.get(i).getReplicasSize(), "chunk " + i);
      for (ServerAddress replica : locations.get(i).getReplicas()) {
        assertArrayEquals(chunks.get(i), cluster.read(replica, locations.get(i)), "chunk " + i + " on " + replica);
      }
    }
    awaitTrue(() -> totalDiskCopies(locations) == 2 * chunks.size(), "moved copies deleted from their sources");
  }

  /** No clone in flight over a second (ten replication scans). */
  private boolean quiet() throws Exception {
    for (int i = 0; i < 50; i++) {
      if (cluster.status().getClonesInFlight() > 0) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** Fullest minus emptiest utilisation, as the servers last reported. */
  private double spread() throws Exception {
    double min = 1;
    double max = 0;
    for (ChunkServerStatus s : cluster.status().getChunkServers()) {
      double utilization = (double) s.getUsedBytes() / s.getCapacityBytes();
      min = Math.min(min, utilization);
      max = Math.max(max, utilization);
    }
    return max - min;
  }

  private int totalDiskCopies(List<ChunkLocation> locations) {
    int copies = 0;
    for (ChunkLocation location : locations) {
      for (int i = 0; i < cluster.chunkServers().count(); i++) {
        copies += cluster.chunkServers().holdsOnDisk(i, location.getHandle()) ? 1 : 0;
      }
    }
    return copies;
  }

}
