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
import io.gfs.thrift.gen.DirectoryPolicy;
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
 * Per-directory policy with a real master and real chunkservers [0069, 0084, 0120]: a temp directory with one replica
 * and immediate deletes; files created below it without a replication get one replica, a delete frees the disk at once
 * (nothing to undelete), and the policy survives a master restart.
 */
class PolicyIT {
  private static final int CHUNK_BYTES = 1 << 20;

  @TempDir
  Path metaDir;
  @TempDir
  Path chunkDir;

  private final RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(30_000));
  private final Map<String, String> values = new HashMap<>();
  private MasterServer master;
  private HostPort masterAddress;
  private RealChunkServers chunkServers;

  @BeforeEach
  void start() throws Exception {
    values.put(GfsConfigKeys.Master.META_DIR.name(), metaDir.toString());
    values.put(GfsConfigKeys.Master.PORT.name(), "0");
    values.put(GfsConfigKeys.Master.HOST.name(), "127.0.0.1");
    values.put(GfsConfigKeys.Master.HEARTBEAT_INTERVAL_MS.name(), "100");
    values.put(GfsConfigKeys.Master.GC_RETENTION_MS.name(), "3600000"); // an hour elsewhere
    values.put(GfsConfigKeys.Cluster.CHUNK_SIZE_BYTES.name(), Integer.toString(CHUNK_BYTES));
    master = MasterServer.start(GfsConfig.of(values));
    masterAddress = master.address();
    chunkServers = new RealChunkServers(chunkDir, () -> masterAddress).start(3);
    awaitTrue(() -> call(c -> c.getClusterStatus()).getChunkServers().size() == 3, "3 chunkservers registered");
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
  void aTempDirectoryKeepsOneReplicaAndItsDeletesFreeTheDiskAtOnce() throws Exception {
    call(c -> c.mkdirs("/tmp", null, null, (short) -1));
    call(c -> {
      c.setPolicy("/tmp", 1, 0);
      return null;
    });
    assertEquals(new DirectoryPolicy("/tmp", 1, 0, 1, 0), call(c -> c.getPolicy("/tmp")));
    assertEquals(new DirectoryPolicy("/", -1, -1, 3, 3_600_000), call(c -> c.getPolicy("/")));
    assertEquals(1, call(c -> c.create("/tmp/job/part-0", false, true, 0, null, null, (short) -1)).getReplication());
    assertEquals(3, call(c -> c.create("/kept", false, true, 0, null, null, (short) -1)).getReplication());
    byte[] data = new byte[4096];
    new Random(1).nextBytes(data);
    ChunkLease lease = writeChunk("/tmp/job/part-0", 0, data);
    assertEquals(0, lease.getSecondariesSize(), "one replica");
    boolean removed = call(c -> c.remove("/tmp/job", true));
    assertTrue(removed);
    assertEquals(List.of(), call(c -> c.listDeleted("/tmp")), "nothing to undelete");
    awaitTrue(() -> diskCopies(lease.getHandle()) == 0, "the chunk deleted from disk at once");
    GfsException notDirectory = assertThrows(GfsException.class, () -> call(c -> {
      c.setPolicy("/kept", 1, 0);
      return null;
    }));
    assertEquals(ErrorCode.NOT_DIRECTORY, notDirectory.getCode());
    // The policy is durable.
    master.close();
    master = MasterServer.start(GfsConfig.of(values));
    masterAddress = master.address();
    assertEquals(new DirectoryPolicy("/tmp", 1, 0, 1, 0), call(c -> c.getPolicy("/tmp")));
  }

  private <R> R call(RpcClients.Call<MasterService.Client, R> call) throws Exception {
    return rpc.master(masterAddress, call);
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
      c.write(new WriteRequest(lease.getHandle(), lease.getVersion(), 0, dataId, data.length,
          lease.getSecondaries(), true));
      return null;
    });
    return lease;
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
