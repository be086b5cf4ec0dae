package io.gfs.master.server;

import static io.gfs.master.server.MasterItCluster.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ServerAddress;
import java.io.RandomAccessFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Re-replication with a real master and real chunkservers [0069-0072, 0127]: a stopped chunkserver's chunks are cloned
 * back to their target from the survivors, byte-identical; a replica corrupted on disk is replaced and then deleted;
 * lowering a file's replication deletes the excess replicas.
 */
class ReplicationIT extends MasterItClusterTest {
  private static final int CHUNK_BYTES = 1 << 20;

  @BeforeEach
  void start() throws Exception {
    cluster = MasterItCluster.start(metaDir, chunkDir, CHUNK_BYTES, 4000, Map.of()); // short leases
  }

  @Test
  void aStoppedChunkserversChunksAreClonedBackToTheirTarget() throws Exception {
    cluster.startChunkServers(4);
    cluster.call(c -> c.create("/data", false, true, 3, null, null, (short) -1));
    Random random = new Random(11);
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      byte[] data = new byte[i == 5 ? 4321 : CHUNK_BYTES];
      random.nextBytes(data);
      cluster.writeChunk("/data", i, data);
      chunks.add(data);
    }
    awaitTrue(() -> cluster.underReplicated() == 0, "every chunk at 3 replicas");
    // The server holding the most chunks stops for good.
    int victim = 0;
    for (int i = 1; i < 4; i++) {
      if (cluster.chunksOn(i) > cluster.chunksOn(victim)) {
        victim = i;
      }
    }
    HostPort victimAddress = cluster.chunkServers().get(victim).address();
    assertTrue(cluster.chunksOn(victim) > 0);
    cluster.chunkServers().stop(victim);
    awaitTrue(() -> cluster.status().getChunkServers().size() == 3, "the stopped server is declared dead");
    awaitTrue(() -> cluster.underReplicated() == 0 && cluster.status().getClonesInFlight() == 0,
        "every chunk cloned back to 3 replicas");
    for (ChunkLocation location : cluster.call(c -> c.findChunks("/data", 0, 10)).getChunks()) {
      assertEquals(3, location.getReplicas().size());
      assertFalse(location.getReplicas().contains(RpcErrors.toThrift(victimAddress)));
      for (ServerAddress replica : location.getReplicas()) {
        assertArrayEquals(chunks.get((int) location.getChunkIndex()), cluster.read(replica, location),
            "chunk " + location.getChunkIndex() + " on " + replica);
      }
    }
    cluster.master().state().checkInvariants();
  }

  @Test
  void aCorruptReplicaIsReplacedAndThenDeleted() throws Exception {
    cluster.startChunkServers(3);
    cluster.call(c -> c.create("/f", false, true, 2, null, null, (short) -1));
    byte[] data = new byte[200_000];
    new Random(3).nextBytes(data);
    ChunkLease lease = cluster.writeChunk("/f", 0, data);
    awaitTrue(() -> cluster.underReplicated() == 0, "2 replicas");
    HostPort bad = RpcErrors.fromThrift(lease.getSecondaries().get(0));
    int badIndex = cluster.chunkServers().indexOf(bad);
    try (RandomAccessFile file = new RandomAccessFile(cluster.chunkServers().dataDir(badIndex)
        .resolve(lease.getHandle() + ".chunk").toFile(), "rw")) {
      file.seek(70_000);
      int b = file.read();
      file.seek(70_000);
      file.write(b ^ 1);
    }
    GfsException mismatch = assertThrows(GfsException.class, () -> cluster.rpc().chunkServer(bad,
        c -> c.read(lease.getHandle(), lease.getVersion(), 65_536, 10_000, null)));
    assertEquals(ErrorCode.CHECKSUM_MISMATCH, mismatch.getCode());
    // Reported in the next heartbeat: a good replica is cloned to the third server, then the bad one deleted.
    awaitTrue(() -> !cluster.chunkServers().holdsOnDisk(badIndex, lease.getHandle()), "the corrupt replica is deleted");
    awaitTrue(() -> cluster.underReplicated() == 0, "back to 2 good replicas");
    ChunkLocation location = cluster.call(c -> c.findChunks("/f", 0, 1)).getChunks().get(0);
    assertEquals(2, location.getReplicas().size());
    assertFalse(location.getReplicas().contains(RpcErrors.toThrift(bad)));
    for (ServerAddress replica : location.getReplicas()) {
      assertArrayEquals(data, cluster.read(replica, location));
    }
  }

  @Test
  void withNoSpareServerTheCorruptReplicaIsRepairedInPlace() throws Exception {
    cluster.startChunkServers(2);
    cluster.call(c -> c.create("/f", false, true, 2, null, null, (short) -1));
    byte[] data = new byte[100_000];
    new Random(4).nextBytes(data);
    ChunkLease lease = cluster.writeChunk("/f", 0, data);
    awaitTrue(() -> cluster.underReplicated() == 0, "2 replicas");
    HostPort bad = RpcErrors.fromThrift(lease.getSecondaries().get(0));
    int badIndex = cluster.chunkServers().indexOf(bad);
    try (RandomAccessFile file = new RandomAccessFile(cluster.chunkServers().dataDir(badIndex)
        .resolve(lease.getHandle() + ".chunk").toFile(), "rw")) {
      file.seek(10);
      int b = file.read();
      file.seek(10);
      file.write(b ^ 1);
    }
    assertThrows(GfsException.class, () -> cluster.rpc().chunkServer(bad,
        c -> c.read(lease.getHandle(), lease.getVersion(), 0, 100, null)));
    // Reported in the next heartbeat; the only server without it holds the corrupt copy: cloned over it.
    awaitTrue(() -> {
      try {
        cluster.rpc().chunkServer(bad, c -> c.read(lease.getHandle(), lease.getVersion(), 0, 100, null));
        return true;
      } catch (GfsException stillCorrupt) {
        return false;
      }
    }, "a good copy cloned over the corrupt one");
    awaitTrue(() -> cluster.underReplicated() == 0, "2 good replicas known to the master");
    ChunkLocation location = cluster.call(c -> c.findChunks("/f", 0, 1)).getChunks().get(0);
    assertTrue(location.getReplicas().contains(RpcErrors.toThrift(bad)));
    assertArrayEquals(data, cluster.read(RpcErrors.toThrift(bad), location));
  }

  @Test
  void loweringReplicationDeletesTheExcess() throws Exception {
    cluster.startChunkServers(3);
    cluster.call(c -> c.create("/f", false, true, 3, null, null, (short) -1));
    ChunkLease lease = cluster.writeChunk("/f", 0, new byte[1000]);
    awaitTrue(() -> cluster.underReplicated() == 0, "3 replicas");
    assertTrue((boolean) cluster.call(c -> c.setReplication("/f", 1)));
    awaitTrue(() -> cluster.diskCopies(lease.getHandle()) == 1, "two replicas deleted from disk");
    assertEquals(1, cluster.call(c -> c.findChunks("/f", 0, 1)).getChunks().get(0).getReplicas().size());
  }

}
