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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rack-aware placement with real chunkservers [0066-0068]: two racks of two; every new chunk gets a replica on each
 * rack, so with a whole rack stopped every chunk is still readable, and re-replication then restores the target on the
 * rack that is left.
 */
class RackIT {
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
    values.put(GfsConfigKeys.Master.LEASE_DURATION_MS.name(), "2000");
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

  @Test
  void withAWholeRackStoppedEveryChunkIsStillReadable() throws Exception {
    chunkServers = new RealChunkServers(chunkDir, () -> masterAddress).rack(0, "/r1").rack(1, "/r1").rack(2, "/r2")
        .rack(3, "/r2").start(4);
    awaitTrue(() -> call(c -> c.getClusterStatus()).getChunkServers().size() == 4, "4 chunkservers registered");
    call(c -> c.create("/data", false, true, 2, null, null, (short) -1));
    Random random = new Random(4);
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      byte[] data = new byte[i == 11 ? 777 : CHUNK_BYTES];
      random.nextBytes(data);
      writeChunk("/data", i, data);
      chunks.add(data);
    }
    for (ChunkLocation location : call(c -> c.findChunks("/data", 0, 100)).getChunks()) {
      Set<Boolean> onRack1 = new HashSet<>();
      for (ServerAddress replica : location.getReplicas()) {
        onRack1.add(chunkServers.indexOf(RpcErrors.fromThrift(replica)) < 2);
      }
      assertEquals(Set.of(true, false), onRack1, "chunk " + location.getChunkIndex() + " spans both racks");
    }
    chunkServers.stop(0);
    chunkServers.stop(1);
    List<ChunkLocation> left = call(c -> c.findChunks("/data", 0, 100)).getChunks();
    for (int i = 0; i < chunks.size(); i++) {
      ChunkLocation location = left.get(i);
      boolean read = false;
      for (ServerAddress replica : location.getReplicas()) {
        if (chunkServers.indexOf(RpcErrors.fromThrift(replica)) >= 2) {
          assertArrayEquals(chunks.get(i), read(replica, location), "chunk " + i);
          read = true;
        }
      }
      assertTrue(read, "chunk " + i + " has a replica on the rack still up");
    }
    awaitTrue(() -> call(c -> c.getClusterStatus()).getChunkServers().size() == 2, "rack /r1 declared dead");
    awaitTrue(() -> call(c -> c.getClusterStatus()).getUnderReplicatedChunks() == 0
        && call(c -> c.getClusterStatus()).getClonesInFlight() == 0, "re-replicated on the rack left");
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
