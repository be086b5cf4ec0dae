package io.gfs.master.server;

import static io.gfs.master.server.MasterItCluster.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.Crc32c;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.WriteRequest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshots with a real master and real chunkservers [0113-0116]: a snapshot taken under a writer's lease revokes it
 * on the primary; then an overwrite and an append go to copies made locally on the same chunkservers, the snapshot
 * reads back the old bytes, and deleting the snapshot frees the old chunks' disk space. A rename revokes leases too
 * [0093].
 */
class SnapshotIT extends MasterItClusterTest {
  private static final int CHUNK_BYTES = 1 << 20;

  @BeforeEach
  void start() throws Exception {
    cluster = MasterItCluster.start(metaDir, chunkDir, CHUNK_BYTES, 60_000, // long: only a revocation ends it in time
        Map.of(GfsConfigKeys.Master.CHUNKSERVER_DEAD_AFTER_MS.name(), "3000"));
    cluster.startChunkServers(3);
  }

  @Test
  void snapshotThenOverwriteAndAppendCopyLocallyAndTheSnapshotReadsBackUnchanged() throws Exception {
    cluster.call(c -> c.create("/d/f", false, true, 3, null, null, (short) -1));
    Random random = new Random(5);
    byte[] first = bytes(random, CHUNK_BYTES);
    byte[] second = bytes(random, 5000);
    cluster.writeChunk("/d/f", 0, 0, first);
    ChunkLease open = cluster.writeChunk("/d/f", 1, 0, second); // its lease (60 s) is still held by the primary
    cluster.call(c -> {
      c.createSnapshot("/d", "s1");
      return null;
    });
    assertEquals(List.of("s1"), cluster.call(c -> c.listSnapshots("/d")));
    // The primary dropped the revoked lease: a write under it is refused at once.
    long dataId = random.nextLong();
    GfsException refused = assertThrows(GfsException.class, () -> cluster.rpc().chunkServer(
        RpcErrors.fromThrift(open.getPrimary()), c -> {
          c.pushData(dataId, 0, ByteBuffer.wrap(second), true, second.length, Crc32c.of(second, 0, second.length),
              open.getSecondaries(), null);
          c.write(new WriteRequest(open.getHandle(), open.getVersion(), 0, dataId, second.length,
              open.getSecondaries(), true));
          return null;
        }));
    assertTrue(refused.getCode() == ErrorCode.NOT_PRIMARY || refused.getCode() == ErrorCode.LEASE_EXPIRED,
        refused.getCode().toString());
    List<ChunkLocation> before = cluster.call(c -> c.findChunks("/d/f", 0, 10)).getChunks();
    // Overwrite the start of chunk 0 and append to chunk 1.
    byte[] patch = bytes(random, 4096);
    byte[] tail = bytes(random, 3000);
    ChunkLease overwritten = cluster.writeChunk("/d/f", 0, 0, patch);
    ChunkLease appended = cluster.writeChunk("/d/f", 1, second.length, tail);
    for (int i = 0; i < 2; i++) {
      long oldHandle = before.get(i).getHandle();
      long newHandle = (i == 0 ? overwritten : appended).getHandle();
      assertTrue(newHandle != oldHandle, "chunk " + i + " was copied before the write");
      for (int s = 0; s < 3; s++) {
        assertEquals(cluster.chunkServers().holdsOnDisk(s, oldHandle), cluster.chunkServers().holdsOnDisk(s, newHandle),
            "the copy of chunk " + i + " sits on the same chunkservers as the original (a local copy)");
      }
    }
    // The snapshot reads the old bytes; the file the new ones.
    List<ChunkLocation> snapshot = cluster.call(c -> c.findChunks("/d/.snapshot/s1/f", 0, 10)).getChunks();
    assertEquals(before.get(0).getHandle(), snapshot.get(0).getHandle());
    assertArrayEquals(first, cluster.read(snapshot.get(0)));
    assertArrayEquals(second, cluster.read(snapshot.get(1)));
    assertEquals(CHUNK_BYTES + 5000L, cluster.call(c -> c.getFileInfo("/d/.snapshot/s1/f")).getLengthBytes());
    List<ChunkLocation> now = cluster.call(c -> c.findChunks("/d/f", 0, 10)).getChunks();
    byte[] expected0 = first.clone();
    System.arraycopy(patch, 0, expected0, 0, patch.length);
    assertArrayEquals(expected0, cluster.read(now.get(0)));
    byte[] expected1 = new byte[second.length + tail.length];
    System.arraycopy(second, 0, expected1, 0, second.length);
    System.arraycopy(tail, 0, expected1, second.length, tail.length);
    assertArrayEquals(expected1, cluster.read(now.get(1)));
    // Read-only.
    GfsException readOnly = assertThrows(GfsException.class,
        () -> cluster.call(c -> c.remove("/d/.snapshot/s1/f", false)));
    assertEquals(ErrorCode.INVALID_PATH, readOnly.getCode());
    // Deleting the snapshot frees the old chunks on disk.
    cluster.call(c -> {
      c.deleteSnapshot("/d", "s1");
      return null;
    });
    awaitTrue(() -> cluster.diskCopies(before.get(0).getHandle()) == 0
        && cluster.diskCopies(before.get(1).getHandle()) == 0,
        "the snapshot's chunks deleted from the chunkservers");
    assertEquals(List.of(), cluster.call(c -> c.listSnapshots("/d")));
  }

  @Test
  void renameRevokesTheLeasesOfWhatItMoves() throws Exception {
    cluster.call(c -> c.create("/a/f", false, true, 3, null, null, (short) -1));
    byte[] data = bytes(new Random(6), 1000);
    ChunkLease open = cluster.writeChunk("/a/f", 0, 0, data); // a 60 s lease the primary still holds
    cluster.call(c -> {
      c.rename("/a", "/b");
      return null;
    });
    long dataId = new Random(7).nextLong();
    GfsException refused = assertThrows(GfsException.class, () -> cluster.rpc().chunkServer(
        RpcErrors.fromThrift(open.getPrimary()), c -> {
          c.pushData(dataId, 0, ByteBuffer.wrap(data), true, data.length, Crc32c.of(data, 0, data.length),
              open.getSecondaries(), null);
          c.write(new WriteRequest(open.getHandle(), open.getVersion(), 0, dataId, data.length,
              open.getSecondaries(), true));
          return null;
        }));
    assertTrue(refused.getCode() == ErrorCode.NOT_PRIMARY || refused.getCode() == ErrorCode.LEASE_EXPIRED,
        refused.getCode().toString());
    // Writing under the new name works (a new grant).
    byte[] more = bytes(new Random(8), 500);
    cluster.writeChunk("/b/f", 0, data.length, more);
    assertEquals(1500, cluster.call(c -> c.getFileInfo("/b/f")).getLengthBytes());
  }

  private static byte[] bytes(Random random, int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }

}
