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
 * Snapshots with a real master and real chunkservers [0113-0116]: a snapshot taken under a writer's lease revokes it
 * on the primary; then an overwrite and an append go to copies made locally on the same chunkservers, the snapshot
 * reads back the old bytes, and deleting the snapshot frees the old chunks' disk space. A rename revokes leases too
 * [0093].
 */
class SnapshotIT {
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
    values.put(GfsConfigKeys.Master.CHUNKSERVER_DEAD_AFTER_MS.name(), "3000");
    values.put(GfsConfigKeys.Master.LEASE_DURATION_MS.name(), "60000"); // long: only a revocation ends it in time
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
  void snapshotThenOverwriteAndAppendCopyLocallyAndTheSnapshotReadsBackUnchanged() throws Exception {
    call(c -> c.create("/d/f", false, true, 3, null, null, (short) -1));
    Random random = new Random(5);
    byte[] first = bytes(random, CHUNK_BYTES);
    byte[] second = bytes(random, 5000);
    writeChunk("/d/f", 0, 0, first);
    ChunkLease open = writeChunk("/d/f", 1, 0, second); // its lease (60 s) is still held by the primary
    call(c -> {
      c.createSnapshot("/d", "s1");
      return null;
    });
    assertEquals(List.of("s1"), call(c -> c.listSnapshots("/d")));
    // The primary dropped the revoked lease: a write under it is refused at once.
    long dataId = random.nextLong();
    GfsException refused = assertThrows(GfsException.class, () -> rpc.chunkServer(
        RpcErrors.fromThrift(open.getPrimary()), c -> {
          c.pushData(dataId, 0, ByteBuffer.wrap(second), true, second.length, Crc32c.of(second, 0, second.length),
              open.getSecondaries());
          c.write(new WriteRequest(open.getHandle(), open.getVersion(), 0, dataId, second.length,
              open.getSecondaries(), true));
          return null;
        }));
    assertTrue(refused.getCode() == ErrorCode.NOT_PRIMARY || refused.getCode() == ErrorCode.LEASE_EXPIRED,
        refused.getCode().toString());
    List<ChunkLocation> before = call(c -> c.findChunks("/d/f", 0, 10)).getChunks();
    // Overwrite the start of chunk 0 and append to chunk 1.
    byte[] patch = bytes(random, 4096);
    byte[] tail = bytes(random, 3000);
    ChunkLease overwritten = writeChunk("/d/f", 0, 0, patch);
    ChunkLease appended = writeChunk("/d/f", 1, second.length, tail);
    for (int i = 0; i < 2; i++) {
      long oldHandle = before.get(i).getHandle();
      long newHandle = (i == 0 ? overwritten : appended).getHandle();
      assertTrue(newHandle != oldHandle, "chunk " + i + " was copied before the write");
      for (int s = 0; s < 3; s++) {
        assertEquals(chunkServers.holdsOnDisk(s, oldHandle), chunkServers.holdsOnDisk(s, newHandle),
            "the copy of chunk " + i + " sits on the same chunkservers as the original (a local copy)");
      }
    }
    // The snapshot reads the old bytes; the file the new ones.
    List<ChunkLocation> snapshot = call(c -> c.findChunks("/d/.snapshot/s1/f", 0, 10)).getChunks();
    assertEquals(before.get(0).getHandle(), snapshot.get(0).getHandle());
    assertArrayEquals(first, read(snapshot.get(0)));
    assertArrayEquals(second, read(snapshot.get(1)));
    assertEquals(CHUNK_BYTES + 5000L, call(c -> c.getFileInfo("/d/.snapshot/s1/f")).getLengthBytes());
    List<ChunkLocation> now = call(c -> c.findChunks("/d/f", 0, 10)).getChunks();
    byte[] expected0 = first.clone();
    System.arraycopy(patch, 0, expected0, 0, patch.length);
    assertArrayEquals(expected0, read(now.get(0)));
    byte[] expected1 = new byte[second.length + tail.length];
    System.arraycopy(second, 0, expected1, 0, second.length);
    System.arraycopy(tail, 0, expected1, second.length, tail.length);
    assertArrayEquals(expected1, read(now.get(1)));
    // Read-only.
    GfsException readOnly = assertThrows(GfsException.class,
        () -> call(c -> c.remove("/d/.snapshot/s1/f", false)));
    assertEquals(ErrorCode.INVALID_PATH, readOnly.getCode());
    // Deleting the snapshot frees the old chunks on disk.
    call(c -> {
      c.deleteSnapshot("/d", "s1");
      return null;
    });
    awaitTrue(() -> diskCopies(before.get(0).getHandle()) == 0 && diskCopies(before.get(1).getHandle()) == 0,
        "the snapshot's chunks deleted from the chunkservers");
    assertEquals(List.of(), call(c -> c.listSnapshots("/d")));
  }

  @Test
  void renameRevokesTheLeasesOfWhatItMoves() throws Exception {
    call(c -> c.create("/a/f", false, true, 3, null, null, (short) -1));
    byte[] data = bytes(new Random(6), 1000);
    ChunkLease open = writeChunk("/a/f", 0, 0, data); // a 60 s lease the primary still holds
    call(c -> {
      c.rename("/a", "/b");
      return null;
    });
    long dataId = new Random(7).nextLong();
    GfsException refused = assertThrows(GfsException.class, () -> rpc.chunkServer(
        RpcErrors.fromThrift(open.getPrimary()), c -> {
          c.pushData(dataId, 0, ByteBuffer.wrap(data), true, data.length, Crc32c.of(data, 0, data.length),
              open.getSecondaries());
          c.write(new WriteRequest(open.getHandle(), open.getVersion(), 0, dataId, data.length,
              open.getSecondaries(), true));
          return null;
        }));
    assertTrue(refused.getCode() == ErrorCode.NOT_PRIMARY || refused.getCode() == ErrorCode.LEASE_EXPIRED,
        refused.getCode().toString());
    // Writing under the new name works (a new grant).
    byte[] more = bytes(new Random(8), 500);
    writeChunk("/b/f", 0, data.length, more);
    assertEquals(1500, call(c -> c.getFileInfo("/b/f")).getLengthBytes());
  }

  private static byte[] bytes(Random random, int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
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

  private ChunkLease writeChunk(String path, long chunkIndex, long offset, byte[] data) throws Exception {
    ChunkLease lease = call(c -> c.acquireLease(path, chunkIndex));
    long dataId = new Random().nextLong();
    rpc.chunkServer(RpcErrors.fromThrift(lease.getPrimary()), c -> {
      c.pushData(dataId, 0, ByteBuffer.wrap(data), true, data.length, Crc32c.of(data, 0, data.length),
          lease.getSecondaries());
      c.write(new WriteRequest(lease.getHandle(), lease.getVersion(), offset, dataId, data.length,
          lease.getSecondaries(), true));
      return null;
    });
    call(c -> {
      c.reportChunkLength(path, chunkIndex, lease.getHandle(), offset + data.length);
      return null;
    });
    return lease;
  }

  private byte[] read(ChunkLocation location) throws Exception {
    ByteBuffer out = ByteBuffer.allocate((int) location.getLengthBytes());
    ServerAddress replica = location.getReplicas().get(0);
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
