package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfigKeys;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ServerAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Rack-aware placement with real chunkservers [0066-0068]: two racks of two; every new chunk gets a replica on each
 * rack, so with a whole rack stopped every chunk is still readable, and re-replication then restores the target on the
 * rack that is left. The racks come either from the chunkservers themselves (gfs.chunkserver.rack) or from the
 * master's topology table (gfs.master.topology.table, Hadoop's net.topology.table.file.name), which overrides what the
 * chunkservers declare.
 */
class RackIT extends MasterItClusterTest {
  private static final int CHUNK_BYTES = 1 << 20;

  @Test
  void withAWholeRackStoppedEveryChunkIsStillReadable() throws Exception {
    cluster = MasterItCluster.start(metaDir, chunkDir, CHUNK_BYTES, 2000, Map.of());
    cluster.startChunkServers(4, s -> s.rack(0, "/r1").rack(1, "/r1").rack(2, "/r2").rack(3, "/r2"));
    writeThenStopARack();
  }

  @Test
  void racksFromTheTopologyTableOverrideWhatChunkserversDeclare() throws Exception {
    Path table = metaDir.resolveSibling(metaDir.getFileName() + "-racks.txt");
    Files.writeString(table, "# host rack\n127.0.0.11 /table/r1\n127.0.0.12 /table/r1\n127.0.0.13 /table/r2\n"
        + "127.0.0.14 /table/r2\n");
    try {
      cluster = MasterItCluster.start(metaDir, chunkDir, CHUNK_BYTES, 2000,
          Map.of(GfsConfigKeys.Master.TOPOLOGY_TABLE.name(), table.toString()));
      // Every server claims the same rack; the table knows better.
      cluster.startChunkServers(4, s -> s.host(0, "127.0.0.11").host(1, "127.0.0.12").host(2, "127.0.0.13")
          .host(3, "127.0.0.14").rack(0, "/claimed").rack(1, "/claimed").rack(2, "/claimed").rack(3, "/claimed"));
      Set<String> racks = new HashSet<>();
      for (ChunkServerStatus s : cluster.status().getChunkServers()) {
        racks.add(s.getAddress().getHost() + " " + s.getRack());
      }
      assertEquals(Set.of("127.0.0.11 /table/r1", "127.0.0.12 /table/r1", "127.0.0.13 /table/r2",
          "127.0.0.14 /table/r2"), racks);
      writeThenStopARack();
    } finally {
      Files.deleteIfExists(table);
    }
  }

  /** Chunks at replication 2 span both racks; servers 0 and 1 (one rack) stop; everything reads back. */
  private void writeThenStopARack() throws Exception {
    RealChunkServers chunkServers = cluster.chunkServers();
    cluster.call(c -> c.create("/data", false, true, 2, null, null, (short) -1));
    Random random = new Random(4);
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      byte[] data = new byte[i == 11 ? 777 : CHUNK_BYTES];
      random.nextBytes(data);
      cluster.writeChunk("/data", i, data);
      chunks.add(data);
    }
    for (ChunkLocation location : cluster.call(c -> c.findChunks("/data", 0, 100)).getChunks()) {
      Set<Boolean> onRack1 = new HashSet<>();
      for (ServerAddress replica : location.getReplicas()) {
        onRack1.add(chunkServers.indexOf(RpcErrors.fromThrift(replica)) < 2);
      }
      assertEquals(Set.of(true, false), onRack1, "chunk " + location.getChunkIndex() + " spans both racks");
    }
    chunkServers.stop(0);
    chunkServers.stop(1);
    List<ChunkLocation> left = cluster.call(c -> c.findChunks("/data", 0, 100)).getChunks();
    for (int i = 0; i < chunks.size(); i++) {
      ChunkLocation location = left.get(i);
      boolean read = false;
      for (ServerAddress replica : location.getReplicas()) {
        if (chunkServers.indexOf(RpcErrors.fromThrift(replica)) >= 2) {
          assertArrayEquals(chunks.get(i), cluster.read(replica, location), "chunk " + i);
          read = true;
        }
      }
      assertTrue(read, "chunk " + i + " has a replica on the rack still up");
    }
    MasterItCluster.awaitTrue(() -> cluster.status().getChunkServers().size() == 2, "rack 1 declared dead");
    cluster.awaitFullyReplicated("re-replicated on the rack left");
  }
}
