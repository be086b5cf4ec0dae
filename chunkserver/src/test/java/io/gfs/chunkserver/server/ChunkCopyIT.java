package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.Crc32c;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.thrift.gen.ChunkChecksum;
import io.gfs.thrift.gen.ChunkReport;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ServerAddress;
import io.gfs.thrift.gen.WriteRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.thrift.TException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Re-replication [0069-0072] and snapshot copy-on-write [0116] on three real chunkservers driven over Thrift as the
 * master will drive them: copyChunkFrom pulls a chunk from another server, copyChunkLocal copies one on the same disk.
 */
class ChunkCopyIT extends ThreeChunkServersTest {
  private static final long LEASE_MILLIS = 60_000;
  private static final long CLONE_RATE = 4L << 20; // a 1 MiB piece every 250 ms

  long nextDataId = 1;

  ChunkCopyIT() {
    super(5L);
  }

  @Override
  Map<String, String> extraConfig() {
    return Map.of(
        GfsConfigKeys.ChunkServer.CLONE_BYTES_PER_SECOND.name(), Long.toString(CLONE_RATE),
        GfsConfigKeys.ChunkServer.CLONES_MAX.name(), "1",
        GfsConfigKeys.ChunkServer.SCRUB_BYTES_PER_SECOND.name(), "0");
  }

  @BeforeEach
  void paceByTheTestClock() {
    // Waiting moves the servers' clock instead of real time: throttled clones run at once, and their pacing shows.
    cluster.sleeper = millis -> cluster.clockOffsetMillis.addAndGet(millis);
  }

  /** Creates {@code handle} at version 1 on {@code replicas} (the first is primary) holding {@code data}. */
  private void chunk(long handle, byte[] data, int... replicas) throws TException {
    cluster.assign(handle, 1, true, replicas[0], LEASE_MILLIS, replicas);
    long dataId = nextDataId++;
    int[] rest = java.util.Arrays.copyOfRange(replicas, 1, replicas.length);
    cluster.push(dataId, data, cluster.chain(replicas));
    WriteRequest request = new WriteRequest(handle, 1, 0, dataId, data.length,
        java.util.Arrays.stream(rest).mapToObj(cluster::wire).toList(), true);
    cluster.call(replicas[0], c -> {
      c.write(request);
      return null;
    });
  }

  private void copyFrom(int target, long handle, long version, ServerAddress source) throws TException {
    cluster.call(target, c -> {
      c.copyChunkFrom(handle, version, source, 0L, null);
      return null;
    });
  }

  private void copyLocal(int server, long sourceHandle, long targetHandle, long version) throws TException {
    cluster.call(server, c -> {
      c.copyChunkLocal(sourceHandle, targetHandle, version, 0L, null);
      return null;
    });
  }

  private static GfsException failure(ChunkServerIT.ThrowingCall call) {
    return assertThrows(GfsException.class, call::run);
  }

  private List<String> stagingFiles(int server) throws Exception {
    try (Stream<Path> files = Files.list(cluster.dataDir(server))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".building")).toList();
    }
  }

  @Test
  void aCloneIsByteIdenticalDurableReportedAndPacedToTheRate() throws Exception {
    byte[] data = bytes(5 * ThreeChunkServers.PIECE + 321);
    chunk(1, data, 0, 1);
    long clockBefore = cluster.nowMillis();
    copyFrom(2, 1, 1, cluster.wire(1));
    // Six pieces: each after the first waits for the one before it at 4 MiB/s.
    assertTrue(cluster.nowMillis() - clockBefore >= 5 * 250, "the clone was not paced");
    assertArrayEquals(data, cluster.read(2, 1, 1, 0, data.length));
    ChunkChecksum expected = new ChunkChecksum(data.length, Crc32c.of(data, 0, data.length));
    assertEquals(expected, cluster.call(2, c -> c.getChunkChecksum(1, 1, null)));
    assertTrue(cluster.get(2).nextHeartbeat().getChunks().contains(new ChunkReport(1, 1, data.length)));
    assertEquals(List.of(), stagingFiles(2));
    // A retried clone finds the replica in place and succeeds without copying again.
    long clockAfter = cluster.nowMillis();
    copyFrom(2, 1, 1, cluster.wire(0));
    assertTrue(cluster.nowMillis() - clockAfter < 250, "the retry copied again");
    cluster.restart(2);
    assertArrayEquals(data, cluster.read(2, 1, 1, 0, data.length));
    assertEquals(1, cluster.get(2).state().version(1).getAsLong());
  }

  @Test
  void aCorruptReplicaIsReplacedByACloneAndAStaleOneToo() throws Exception {
    byte[] data = bytes(700_000);
    chunk(2, data, 0, 1, 2);
    cluster.flipOnDisk(2, 2, 400_000, 0x01);
    assertEquals(ErrorCode.CHECKSUM_MISMATCH, failure(() -> cluster.call(2, c -> c.read(2, 1, 393_216, 10, null))).getCode());
    assertTrue(cluster.get(2).state().isCorrupt(2));
    copyFrom(2, 2, 1, cluster.wire(0));
    assertFalse(cluster.get(2).state().isCorrupt(2));
    assertArrayEquals(data, cluster.read(2, 2, 1, 0, data.length));
    assertEquals(List.of(), cluster.get(2).nextHeartbeat().getCorruptChunks());
    // Replica 2 misses version 2; a clone at version 2 brings it up to date.
    cluster.assign(2, 2, false, 0, LEASE_MILLIS, 0, 1);
    assertEquals(ErrorCode.STALE_VERSION, failure(() -> cluster.call(2, c -> c.read(2, 2, 0, 1, null))).getCode());
    copyFrom(2, 2, 2, cluster.wire(1));
    assertArrayEquals(data, cluster.read(2, 2, 2, 0, data.length));
    assertEquals(ErrorCode.STALE_VERSION, failure(() -> copyFrom(2, 2, 1, cluster.wire(0))).getCode(),
        "a clone never takes a replica back to an older version");
  }

  @Test
  void aBadSourceFailsTheCloneNamingItAndLeavesNothingBehind() throws Exception {
    byte[] data = bytes(2 * ThreeChunkServers.PIECE + 5);
    chunk(3, data, 0, 1);
    GfsException unknown = failure(() -> copyFrom(2, 99, 1, cluster.wire(1)));
    assertEquals(ErrorCode.UNKNOWN_CHUNK, unknown.getCode());
    assertEquals(cluster.address(1).toString(), unknown.getHint());
    assertEquals(ErrorCode.STALE_VERSION, failure(() -> copyFrom(2, 3, 2, cluster.wire(1))).getCode(),
        "the source is behind the version asked for");
    cluster.flipOnDisk(1, 3, ThreeChunkServers.PIECE + 10, 0x01);
    GfsException corrupt = failure(() -> copyFrom(2, 3, 1, cluster.wire(1)));
    assertEquals(ErrorCode.CHECKSUM_MISMATCH, corrupt.getCode());
    assertEquals(cluster.address(1).toString(), corrupt.getHint());
    assertTrue(cluster.get(1).state().isCorrupt(3), "the source found its own damage, as on any read");
    HostPort nowhere = new HostPort("127.0.0.1", ThreeChunkServers.freePort());
    GfsException down = failure(() -> copyFrom(2, 3, 1, new ServerAddress(nowhere.host(), nowhere.port())));
    assertEquals(ErrorCode.IO_ERROR, down.getCode());
    assertEquals(nowhere.toString(), down.getHint());
    for (GfsException e : List.of(
        failure(() -> copyFrom(2, 3, 1, cluster.wire(2))),
        failure(() -> copyFrom(2, 3, 0, cluster.wire(0))),
        failure(() -> copyFrom(2, 3, 1, new ServerAddress("", 5))))) {
      assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode(), e.getMessage());
    }
    assertFalse(cluster.get(2).state().contains(3));
    assertEquals(ErrorCode.UNKNOWN_CHUNK, failure(() -> cluster.call(2, c -> c.read(3, 1, 0, 1, null))).getCode());
    assertEquals(List.of(), stagingFiles(2));
    // The good replica still serves as a source.
    copyFrom(2, 3, 1, cluster.wire(0));
    assertArrayEquals(data, cluster.read(2, 3, 1, 0, data.length));
  }

  @Test
  void clonesBeyondTheLimitAreBusy() throws Exception {
    chunk(4, bytes(3 * ThreeChunkServers.PIECE), 0);
    chunk(5, bytes(1000), 0);
    CountDownLatch waiting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong paused = new AtomicLong();
    cluster.sleeper = millis -> {
      paused.addAndGet(millis);
      waiting.countDown();
      assertTrue(release.await(30, TimeUnit.SECONDS));
    };
    CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> {
      try {
        copyFrom(1, 4, 1, cluster.wire(0));
      } catch (TException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      assertTrue(waiting.await(30, TimeUnit.SECONDS), "the first clone never reached its throttle");
      assertEquals(ErrorCode.BUSY, failure(() -> copyFrom(1, 5, 1, cluster.wire(0))).getCode());
      assertEquals(ErrorCode.BUSY, failure(() -> copyLocal(1, 7, 4, 1)).getCode(), "chunk 4 is being copied");
    } finally {
      release.countDown();
    }
    slow.get(30, TimeUnit.SECONDS);
    assertTrue(paused.get() > 0);
    copyFrom(1, 5, 1, cluster.wire(0));
    assertEquals(1000, cluster.call(1, c -> c.read(5, 1, 0, 10, null)).getChunkLengthBytes());
  }

  @Test
  void aLocalCopyIsAnIndependentChunkOnTheSameServer() throws Exception {
    byte[] data = bytes(3 * ThreeChunkServers.PIECE + 77);
    chunk(10, data, 0, 1, 2);
    for (int r = 0; r < 3; r++) {
      copyLocal(r, 10, 11, 1);
      copyLocal(r, 10, 11, 1); // retried: already there
      assertArrayEquals(data, cluster.read(r, 11, 1, 0, data.length), "replica " + r);
      ChunkChecksum original = cluster.call(r, c -> c.getChunkChecksum(10, 1, null));
      ChunkChecksum copy = cluster.call(r, c -> c.getChunkChecksum(11, 1, null));
      assertEquals(original, copy, "replica " + r);
    }
    // The copy is the snapshot's new chunk: writes to it leave the original alone [0116].
    cluster.assign(11, 2, false, 0, LEASE_MILLIS, 0, 1, 2);
    byte[] patch = bytes(1000);
    cluster.push(900, patch, cluster.chain(0, 1, 2));
    WriteRequest request = new WriteRequest(11, 2, 5, 900, patch.length, List.of(cluster.wire(1), cluster.wire(2)),
        false);
    cluster.call(0, c -> {
      c.write(request);
      return null;
    });
    for (int r = 0; r < 3; r++) {
      assertArrayEquals(data, cluster.read(r, 10, 1, 0, data.length), "replica " + r + " of the original");
      assertArrayEquals(patch, cluster.read(r, 11, 2, 5, patch.length), "replica " + r + " of the copy");
    }
    assertEquals(ErrorCode.UNKNOWN_CHUNK, failure(() -> copyLocal(0, 12, 13, 1)).getCode());
    assertEquals(ErrorCode.INVALID_ARGUMENT, failure(() -> copyLocal(0, 10, 10, 1)).getCode());
    assertEquals(ErrorCode.STALE_VERSION, failure(() -> copyLocal(0, 10, 11, 1)).getCode(), "11 is at 2 now");
    // A corrupt source is refused and found out, like any read of it.
    cluster.flipOnDisk(1, 10, 2 * ThreeChunkServers.PIECE + 3, 0x01);
    assertEquals(ErrorCode.CHECKSUM_MISMATCH, failure(() -> copyLocal(1, 10, 14, 1)).getCode());
    assertTrue(cluster.get(1).state().isCorrupt(10));
    assertFalse(cluster.get(1).state().contains(14));
    assertEquals(List.of(), stagingFiles(1));
    cluster.restart(1);
    assertArrayEquals(patch, cluster.read(1, 11, 2, 5, patch.length), "the copy survives a restart");
  }
}
