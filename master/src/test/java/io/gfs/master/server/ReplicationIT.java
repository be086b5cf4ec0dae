package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.Crc32c;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.MasterService;
import io.gfs.thrift.gen.ServerAddress;
import io.gfs.thrift.gen.WriteRequest;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-replication with a real master and real chunkservers [0069-0072, 0127]: a stopped chunkserver's chunks are cloned
 * back to their target from the survivors, byte-identical; a replica corrupted on disk is replaced and then deleted;
 * lowering a file's replication deletes the excess replicas.
 */
class ReplicationIT {
  private static final int CHUNK_BYTES = 1 << 20;

  @TempDir
  Path metaDir;
  @TempDir
  Path chunkDir;

  private final RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(30_000));
  private MasterServer master;
  private HostPort masterAddress;
  private RealChunkServers chunkServers;

  @BeforeEach
  void start() throws Exception {
    Map<String, String> values = new HashMap<>();
    values.put(GfsConfigKeys.Master.META_DIR.name(), metaDir.toString());
    values.put(GfsConfigKeys.Master.PORT.name(), "0");
    values.put(GfsConfigKeys.Master.HOST.name(), "127.0.0.1");
    values.put(GfsConfigKeys.Master.HEARTBEAT_INTERVAL_MS.name(), "100");
    values.put(GfsConfigKeys.Master.CHUNKSERVER_DEAD_AFTER_MS.name(), "1000");
    values.put(GfsConfigKeys.Master.LEASE_DURATION_MS.name(), "4000"); // short: leased chunks are not cloned
    values.put(GfsConfigKeys.Master.REPLICATION_SCAN_INTERVAL_MS.name(), "100");
    values.put(GfsConfigKeys.Cluster.CHUNK_SIZE_BYTES.name(), Integer.toString(CHUNK_BYTES));
    master = MasterServer.start(GfsConfig.of(values));
    masterAddress = master.address();
  }

  @AfterEach
  void stop() {
    rpc.close();
    if (chunkServers != null) {
      chunkServers.close();
    }
    if (master != null) {
      master.close();
    }
  }

  private <R> R call(RpcClients.Call<MasterService.Client, R> call) throws Exception {
    return rpc.master(masterAddress, call);
  }

  private void startChunkServers(int count) throws Exception {
    chunkServers = new RealChunkServers(chunkDir, () -> masterAddress).start(count);
    awaitTrue(() -> call(c -> c.getClusterStatus()).getChunkServers().size() == count,
        count + " chunkservers registered");
  }

  @Test
  void aStoppedChunkserversChunksAreClonedBackToTheirTarget() throws Exception {
    startChunkServers(4);
    call(c -> c.create("/data", false, true, 3, null, null, (short) -1));
    Random random = new Random(11);
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      byte[] data = new byte[i == 5 ? 4321 : CHUNK_BYTES];
      random.nextBytes(data);
      writeChunk("/data", i, data);
      chunks.add(data);
    }
    awaitTrue(() -> underReplicated() == 0, "every chunk at 3 replicas");
    // The server holding the most chunks stops for good.
    int victim = 0;
    for (int i = 1; i < 4; i++) {
      if (chunksOn(i) > chunksOn(victim)) {
        victim = i;
      }
    }
    HostPort victimAddress = chunkServers.get(victim).address();
    assertTrue(chunksOn(victim) > 0);
    chunkServers.stop(victim);
    awaitTrue(() -> call(c -> c.getClusterStatus()).getChunkServers().size() == 3, "the stopped server is declared dead");
    awaitTrue(() -> underReplicated() == 0 && call(c -> c.getClusterStatus()).getClonesInFlight() == 0,
        "every chunk cloned back to 3 replicas");
    for (ChunkLocation location : call(c -> c.findChunks("/data", 0, 10)).getChunks()) {
      assertEquals(3, location.getReplicas().size());
      assertFalse(location.getReplicas().contains(RpcErrors.toThrift(victimAddress)));
      for (ServerAddress replica : location.getReplicas()) {
        assertArrayEquals(chunks.get((int) location.getChunkIndex()), read(replica, location),
            "chunk " + location.getChunkIndex() + " on " + replica);
      }
    }
    master.state().checkInvariants();
  }

  @Test
  void aCorruptReplicaIsReplacedAndThenDeleted() throws Exception {
    startChunkServers(3);
    call(c -> c.create("/f", false, true, 2, null, null, (short) -1));
    byte[] data = new byte[200_000];
    new Random(3).nextBytes(data);
    ChunkLease lease = writeChunk("/f", 0, data);
    awaitTrue(() -> underReplicated() == 0, "2 replicas");
    HostPort bad = RpcErrors.fromThrift(lease.getSecondaries().get(0));
    int badIndex = chunkServers.indexOf(bad);
    try (RandomAccessFile file = new RandomAccessFile(chunkServers.dataDir(badIndex)
        .resolve(lease.getHandle() + ".chunk").toFile(), "rw")) {
      file.seek(70_000);
      int b = file.read();
      file.seek(70_000);
      file.write(b ^ 1);
    }
    GfsException mismatch = assertThrows(GfsException.class, () -> rpc.chunkServer(bad,
        c -> c.read(lease.getHandle(), lease.getVersion(), 65_536, 10_000)));
    assertEquals(ErrorCode.CHECKSUM_MISMATCH, mismatch.getCode());
    // Reported in the next heartbeat: a good replica is cloned to the third server, then the bad one deleted.
    awaitTrue(() -> !chunkServers.holdsOnDisk(badIndex, lease.getHandle()), "the corrupt replica is deleted");
    awaitTrue(() -> underReplicated() == 0, "back to 2 good replicas");
    ChunkLocation location = call(c -> c.findChunks("/f", 0, 1)).getChunks().get(0);
    assertEquals(2, location.getReplicas().size());
    assertFalse(location.getReplicas().contains(RpcErrors.toThrift(bad)));
    for (ServerAddress replica : location.getReplicas()) {
      assertArrayEquals(data, read(replica, location));
    }
  }

  @Test
  void withNoSpareServerTheCorruptReplicaIsRepairedInPlace() throws Exception {
    startChunkServers(2);
    call(c -> c.create("/f", false, true, 2, null, null, (short) -1));
    byte[] data = new byte[100_000];
    new Random(4).nextBytes(data);
    ChunkLease lease = writeChunk("/f", 0, data);
    awaitTrue(() -> underReplicated() == 0, "2 replicas");
    HostPort bad = RpcErrors.fromThrift(lease.getSecondaries().get(0));
    int badIndex = chunkServers.indexOf(bad);
    try (RandomAccessFile file = new RandomAccessFile(chunkServers.dataDir(badIndex)
        .resolve(lease.getHandle() + ".chunk").toFile(), "rw")) {
      file.seek(10);
      int b = file.read();
      file.seek(10);
      file.write(b ^ 1);
    }
    assertThrows(GfsException.class, () -> rpc.chunkServer(bad, c -> c.read(lease.getHandle(), lease.getVersion(), 0,
        100)));
    // Reported in the next heartbeat; the only server without it holds the corrupt copy: cloned over it.
    awaitTrue(() -> {
      try {
        rpc.chunkServer(bad, c -> c.read(lease.getHandle(), lease.getVersion(), 0, 100));
        return true;
      } catch (GfsException stillCorrupt) {
        return false;
      }
    }, "a good copy cloned over the corrupt one");
    awaitTrue(() -> underReplicated() == 0, "2 good replicas known to the master");
    ChunkLocation location = call(c -> c.findChunks("/f", 0, 1)).getChunks().get(0);
    assertTrue(location.getReplicas().contains(RpcErrors.toThrift(bad)));
    assertArrayEquals(data, read(RpcErrors.toThrift(bad), location));
  }

  @Test
  void loweringReplicationDeletesTheExcess() throws Exception {
    startChunkServers(3);
    call(c -> c.create("/f", false, true, 3, null, null, (short) -1));
    ChunkLease lease = writeChunk("/f", 0, new byte[1000]);
    awaitTrue(() -> underReplicated() == 0, "3 replicas");
    assertTrue((boolean) call(c -> c.setReplication("/f", 1)));
    awaitTrue(() -> diskCopies(lease.getHandle()) == 1, "two replicas deleted from disk");
    assertEquals(1, call(c -> c.findChunks("/f", 0, 1)).getChunks().get(0).getReplicas().size());
  }

  private long underReplicated() throws Exception {
    ClusterStatus status = call(c -> c.getClusterStatus());
    return status.getUnderReplicatedChunks();
  }

  private int chunksOn(int index) throws Exception {
    HostPort address = chunkServers.get(index).address();
    return (int) call(c -> c.getClusterStatus()).getChunkServers().stream()
        .filter(s -> RpcErrors.fromThrift(s.getAddress()).equals(address)).findFirst().orElseThrow().getChunkCount();
  }

  private int diskCopies(long handle) {
    int copies = 0;
    for (int i = 0; i < chunkServers.count(); i++) {
      copies += chunkServers.holdsOnDisk(i, handle) ? 1 : 0;
    }
    return copies;
  }

  private ChunkLease writeChunk(String path, long chunkIndex, byte[] data) throws Exception {
    ChunkLease lease = call(c -> c.acquireLease(path, chunkIndex));
    long dataId = new Random().nextLong();
    rpc.chunkServer(RpcErrors.fromThrift(lease.getPrimary()), c -> {
      c.pushData(dataId, 0, ByteBuffer.wrap(data), true, data.length, Crc32c.of(data, 0, data.length),
          lease.getSecondaries());
      c.write(new WriteRequest(lease.getHandle(), lease.getVersion(), 0, dataId, data.length, lease.getSecondaries(),
          true));
      return null;
    });
    call(c -> {
      c.reportChunkLength(path, chunkIndex, lease.getHandle(), data.length);
      return null;
    });
    return lease;
  }

  private byte[] read(ServerAddress replica, ChunkLocation location) throws Exception {
    ByteBuffer out = ByteBuffer.allocate((int) location.getLengthBytes());
    while (out.hasRemaining()) {
      int at = out.position();
      out.put(rpc.chunkServer(RpcErrors.fromThrift(replica), c -> c.read(location.getHandle(), location.getVersion(),
          at, Math.min(1 << 20, out.remaining()))).getData());
    }
    return out.array();
  }

  @FunctionalInterface
  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void awaitTrue(Condition condition, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.holds()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
      Thread.sleep(20);
    }
  }
}
