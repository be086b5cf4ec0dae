package io.gfs.master.server;

import static io.gfs.master.server.MasterItCluster.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.master.oplog.OpLog;
import io.gfs.master.oplog.Recovery;
import io.gfs.master.state.LogRecord;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A master killed between logging a new chunk (ADD_CHUNK) and telling any chunkserver about it leaves a file whose
 * last chunk has no replica anywhere. The next writer abandons it (logged) and the file takes writes and reads again;
 * a chunk some chunkserver held is reported missing instead and comes back with its server.
 */
class AbandonedChunkIT extends MasterItClusterTest {
  private static final int CHUNK_BYTES = 1 << 20;

  @BeforeEach
  void start() throws Exception {
    cluster = MasterItCluster.start(metaDir, chunkDir, CHUNK_BYTES, 4000, Map.of());
  }

  private static byte[] random(int length, long seed) {
    byte[] data = new byte[length];
    new Random(seed).nextBytes(data);
    return data;
  }

  /** The lease, or null while the master answers NO_CHUNKSERVERS. */
  private ChunkLease leaseOrNull(String path, long chunkIndex) throws Exception {
    try {
      return cluster.call(c -> c.acquireLease(path, chunkIndex));
    } catch (GfsException e) {
      assertEquals(ErrorCode.NO_CHUNKSERVERS, e.getCode(), e.getMessage());
      return null;
    }
  }

  @Test
  void aLastChunkLoggedButNeverCreatedIsAbandonedByTheNextWriter() throws Exception {
    cluster.startChunkServers(3);
    cluster.call(c -> c.create("/f", false, true, 3, null, null, (short) -1));
    byte[] first = random(CHUNK_BYTES, 1);
    long firstHandle = cluster.writeChunk("/f", 0, first).getHandle();
    // The master logs chunk 1 and dies before any assignVersion: what its log holds when it comes back.
    cluster.master().close();
    long lastSequence = Recovery.recover(metaDir, image -> { }, entry -> { }).lastSequence();
    long lostHandle = firstHandle + 1;
    try (OpLog log = OpLog.open(metaDir, lastSequence, OpLog.SyncHook.NONE)) {
      log.appendAndWait(new LogRecord.AddChunk("/f", 1, lostHandle, 1, System.currentTimeMillis()));
    }
    cluster.restartMaster();
    awaitTrue(() -> cluster.status().getChunkServers().size() == 3, "the chunkservers found the new master");
    // BUSY (awaitTrue's "not yet") while the lost chunk's length may still come in a report: a dead-after interval.
    awaitTrue(() -> cluster.call(c -> c.getFileInfo("/f")).getChunkCount() == 2, "/f's lookup answered");

    AtomicReference<ChunkLease> lease = new AtomicReference<>();
    awaitTrue(() -> {
      if (lease.get() == null) {
        lease.set(leaseOrNull("/f", 1));
      }
      return lease.get() != null;
    }, "a writer gets a lease on chunk 1 (NO_CHUNKSERVERS for good before the fix)");
    assertNotEquals(lostHandle, lease.get().getHandle(), "a new chunk replaced the abandoned one");
    assertEquals(1, lease.get().getVersion());
    byte[] second = random(4096, 2);
    assertEquals(lease.get().getHandle(), cluster.writeChunk("/f", 1, second).getHandle());

    assertEquals(CHUNK_BYTES + second.length, cluster.call(c -> c.getFileInfo("/f")).getLengthBytes());
    List<ChunkLocation> chunks = cluster.call(c -> c.findChunks("/f", 0, 10)).getChunks();
    assertEquals(2, chunks.size());
    assertEquals(firstHandle, chunks.get(0).getHandle());
    assertArrayEquals(first, cluster.read(chunks.get(0)));
    assertArrayEquals(second, cluster.read(chunks.get(1)));
    // The abandonment is in the log: another restart replays it.
    cluster.restartMaster();
    awaitTrue(() -> cluster.status().getChunkServers().size() == 3, "the chunkservers found the new master");
    List<ChunkLocation> replayed = cluster.call(c -> c.findChunks("/f", 0, 10)).getChunks();
    assertEquals(List.of(firstHandle, lease.get().getHandle()),
        replayed.stream().map(ChunkLocation::getHandle).toList());
  }

  @Test
  void aChunkAChunkserverHeldIsMissingWhileItIsDownNeverAbandoned() throws Exception {
    cluster.startChunkServers(3);
    cluster.call(c -> c.create("/g", false, true, 1, null, null, (short) -1));
    // Allocated on one server; no byte written and no length reported: only the grant says a server held it.
    ChunkLease lease = cluster.call(c -> c.acquireLease("/g", 0));
    HostPort holder = RpcErrors.fromThrift(lease.getPrimary());
    int index = cluster.chunkServers().indexOf(holder);
    cluster.chunkServers().stop(index);
    awaitTrue(() -> cluster.status().getChunkServers().size() == 2, "the master took the holder as dead");
    // Well past the dead-after interval (1 s) and the lease (4 s): asked again and again, it stays missing.
    long until = System.nanoTime() + 6_000_000_000L;
    int refusals = 0;
    while (System.nanoTime() < until || refusals < 3) {
      GfsException missing = assertThrows(GfsException.class, () -> cluster.call(c -> c.acquireLease("/g", 0)));
      assertEquals(ErrorCode.NO_CHUNKSERVERS, missing.getCode(), missing.getMessage());
      refusals++;
      Thread.sleep(200);
    }
    assertEquals(List.of(lease.getHandle()), cluster.call(c -> c.findChunks("/g", 0, 10)).getChunks().stream()
        .map(ChunkLocation::getHandle).toList());
    // Its server comes back: the very chunk takes writes again.
    cluster.chunkServers().restart(index);
    AtomicReference<ChunkLease> again = new AtomicReference<>();
    awaitTrue(() -> {
      if (again.get() == null) {
        again.set(leaseOrNull("/g", 0));
      }
      return again.get() != null;
    }, "a lease once the holder is back");
    assertEquals(lease.getHandle(), again.get().getHandle());
    byte[] data = random(4096, 3);
    cluster.writeChunk("/g", 0, data);
    assertArrayEquals(data, cluster.read(cluster.call(c -> c.findChunks("/g", 0, 1)).getChunks().get(0)));
  }
}
