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
import io.gfs.thrift.gen.ChunkServerStatus;
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
 * Rebalancing with a real master and real chunkservers [0073-0074]: a new, empty chunkserver joins three that hold
 * every chunk; the balancer moves replicas onto it, never more at once than its share of the clone budget, until the
 * servers' utilisations are within 10% of each other; every chunk stays at its replication and reads back intact.
 */
class RebalanceIT {
  private static final int CHUNK_BYTES = 1 << 20;
  private static final long CAPACITY_BYTES = 32L * CHUNK_BYTES;
  private static final int PER_SERVER_CLONES_MAX = 2;
  /** Moves take at most a quarter of the clone budget. */
  private static final int MOVES_MAX = 2;

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
    values.put(GfsConfigKeys.Master.CHUNKSERVER_DEAD_AFTER_MS.name(), "3000");
    values.put(GfsConfigKeys.Master.LEASE_DURATION_MS.name(), "2000"); // leased chunks do not move
    values.put(GfsConfigKeys.Master.REPLICATION_SCAN_INTERVAL_MS.name(), "100");
    values.put(GfsConfigKeys.Master.REPLICATION_CLONES_PER_SERVER_MAX.name(), Integer.toString(PER_SERVER_CLONES_MAX));
    values.put(GfsConfigKeys.Master.REPLICATION_CLONES_MAX.name(), Integer.toString(4 * MOVES_MAX));
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

  @Test
  void aNewEmptyChunkserverIsFilledUntilUtilisationIsWithinTenPercent() throws Exception {
    chunkServers = new RealChunkServers(chunkDir, () -> masterAddress).capacityBytes(CAPACITY_BYTES).start(3);
    awaitTrue(() -> call(c -> c.getClusterStatus()).getChunkServers().size() == 3, "3 chunkservers registered");
    call(c -> c.create("/data", false, true, 2, null, null, (short) -1));
    Random random = new Random(3);
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      byte[] data = new byte[CHUNK_BYTES];
      random.nextBytes(data);
      writeChunk("/data", i, data);
      chunks.add(data);
    }
    awaitTrue(() -> spread() <= 0.10 && call(c -> c.getClusterStatus()).getClonesInFlight() == 0,
        "the three servers balanced among themselves");
    chunkServers.start(1); // new and empty
    awaitTrue(() -> call(c -> c.getClusterStatus()).getChunkServers().size() == 4, "the new server registered");
    long clonesInFlightMax = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (spread() > 0.10 || call(c -> c.getClusterStatus()).getClonesInFlight() > 0) {
      assertTrue(System.nanoTime() < deadline, "timed out balancing; spread " + spread());
      clonesInFlightMax = Math.max(clonesInFlightMax, call(c -> c.getClusterStatus()).getClonesInFlight());
      Thread.sleep(20);
    }
    assertTrue(clonesInFlightMax <= MOVES_MAX, "gradual: at most " + MOVES_MAX + " moves at once, saw "
        + clonesInFlightMax);
    assertTrue(chunksOn(3) >= 8, "the new server holds " + chunksOn(3) + " chunks");
    awaitTrue(() -> underReplicated() == 0, "every chunk at its replication");
    awaitTrue(this::quiet, "the balancer stopped moving (within its own 5% threshold)");
    List<ChunkLocation> locations = call(c -> c.findChunks("/data", 0, 100)).getChunks();
    for (int i = 0; i < chunks.size(); i++) {
      assertEquals(2, locations.get(i).getReplicasSize(), "chunk " + i);
      for (ServerAddress replica : locations.get(i).getReplicas()) {
        assertArrayEquals(chunks.get(i), read(replica, locations.get(i)), "chunk " + i + " on " + replica);
      }
    }
    awaitTrue(() -> totalDiskCopies(locations) == 2 * chunks.size(), "moved copies deleted from their sources");
  }

  /** No clone in flight over a second (ten replication scans). */
  private boolean quiet() throws Exception {
    for (int i = 0; i < 50; i++) {
      if (call(c -> c.getClusterStatus()).getClonesInFlight() > 0) {
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
    for (ChunkServerStatus s : call(c -> c.getClusterStatus()).getChunkServers()) {
      double utilization = (double) s.getUsedBytes() / s.getCapacityBytes();
      min = Math.min(min, utilization);
      max = Math.max(max, utilization);
    }
    return max - min;
  }

  private int totalDiskCopies(List<ChunkLocation> locations) {
    int copies = 0;
    for (ChunkLocation location : locations) {
      for (int i = 0; i < chunkServers.count(); i++) {
        copies += chunkServers.holdsOnDisk(i, location.getHandle()) ? 1 : 0;
      }
    }
    return copies;
  }

  private long underReplicated() throws Exception {
    return call(c -> c.getClusterStatus()).getUnderReplicatedChunks();
  }

  private int chunksOn(int index) throws Exception {
    HostPort address = chunkServers.get(index).address();
    return (int) call(c -> c.getClusterStatus()).getChunkServers().stream()
        .filter(s -> RpcErrors.fromThrift(s.getAddress()).equals(address)).findFirst().orElseThrow().getChunkCount();
  }

  private <R> R call(RpcClients.Call<MasterService.Client, R> call) throws Exception {
    return rpc.master(masterAddress, call);
  }

  private void writeChunk(String path, long chunkIndex, byte[] data) throws Exception {
    ChunkLease lease = call(c -> c.acquireLease(path, chunkIndex));
    long dataId = new Random().nextLong();
    rpc.chunkServer(RpcErrors.fromThrift(lease.getPrimary()), c -> {
      c.pushData(dataId, 0, ByteBuffer.wrap(data), true, data.length, Crc32c.of(data, 0, data.length),
          lease.getSecondaries());
      c.write(new WriteRequest(lease.getHandle(), lease.getVersion(), 0, dataId, data.length,
          lease.getSecondaries(), true));
      return null;
    });
    call(c -> {
      c.reportChunkLength(path, chunkIndex, lease.getHandle(), data.length);
      return null;
    });
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
