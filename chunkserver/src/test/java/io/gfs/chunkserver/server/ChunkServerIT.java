package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.Mutation;
import io.gfs.thrift.gen.MutationKind;
import io.gfs.thrift.gen.RecordAppendRequest;
import io.gfs.thrift.gen.ServerAddress;
import io.gfs.thrift.gen.WriteRequest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.thrift.TException;
import org.junit.jupiter.api.Test;

/** Three real chunkservers driven over Thrift the way the master and the client drive them. */
class ChunkServerIT extends ThreeChunkServersTest {
  private static final long LEASE_MILLIS = 60_000;


  ChunkServerIT() {
    super(42L);
  }

  private static ErrorCode code(ThrowingCall call) {
    return assertThrows(GfsException.class, call::run).getCode();
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws Exception;
  }

  private WriteRequest write(long handle, long version, long offset, long dataId, int length, int... secondaries) {
    WriteRequest request = new WriteRequest(handle, version, offset, dataId, length, List.of(), true);
    request.setSecondaries(Arrays.stream(secondaries).mapToObj(cluster::wire).toList());
    return request;
  }

  private void writeVia(int primary, WriteRequest request) throws TException {
    cluster.call(primary, c -> {
      c.write(request);
      return null;
    });
  }

  @Test
  void aWriteThroughThePrimaryReachesEveryReplicaByteForByte() throws Exception {
    cluster.assign(1, 1, true, 0, LEASE_MILLIS, 0, 1, 2);
    byte[] data = bytes(2 * ThreeChunkServers.PIECE + 12_345);
    // Pushed to the "closest" replica first, which is not the primary [0098].
    cluster.push(100, data, cluster.chain(1, 0, 2));
    writeVia(0, write(1, 1, 0, 100, data.length, 1, 2));
    for (int r = 0; r < 3; r++) {
      assertArrayEquals(data, cluster.read(r, 1, 1, 0, data.length), "replica " + r);
      assertEquals(0, cluster.get(r).pushBuffer().entryCount(), "replica " + r + " released the pushed data");
    }
    // An overwrite across block boundaries, then an append past a gap.
    byte[] patch = bytes(70_000);
    cluster.push(101, patch, cluster.chain(2, 1, 0));
    writeVia(0, write(1, 1, 100_000, 101, patch.length, 1, 2));
    byte[] tail = bytes(5000);
    cluster.push(102, tail, cluster.chain(0, 1, 2));
    long tailOffset = data.length + 1000;
    writeVia(0, write(1, 1, tailOffset, 102, tail.length, 2, 1));
    byte[] expected = Arrays.copyOf(data, (int) tailOffset + tail.length);
    System.arraycopy(patch, 0, expected, 100_000, patch.length);
    System.arraycopy(tail, 0, expected, (int) tailOffset, tail.length);
    for (int r = 0; r < 3; r++) {
      assertArrayEquals(expected, cluster.read(r, 1, 1, 0, expected.length), "replica " + r);
      assertEquals(expected.length, cluster.call(r, c -> c.read(1, 1, 0, 0, null)).getChunkLengthBytes());
    }
    assertEquals(List.of(1L), cluster.get(0).state().leaseExtensionRequests());
    assertEquals(List.of(), cluster.get(1).state().leaseExtensionRequests());
  }

  /**
   * Pieces read one after another are read into one direct buffer lent to each call in turn, not one per RPC worker
   * (the workers take calls in turn: a buffer each meant 32 made and zeroed, each cold when read into), and each piece
   * is exact although the next read refills that buffer.
   */
  @Test
  void piecesReadOneAfterAnotherShareOneLentBuffer() throws Exception {
    cluster.assign(3, 1, true, 0, LEASE_MILLIS, 0, 1, 2);
    byte[] data = bytes(3 * ThreeChunkServers.PIECE);
    cluster.push(300, data, cluster.chain(0, 1, 2));
    writeVia(0, write(3, 1, 0, 300, data.length, 1, 2));
    long createdBefore = io.gfs.common.rpc.DirectBinaries.lentBuffersCreated();
    long lendsBefore = io.gfs.common.rpc.DirectBinaries.lends();
    int reads = 40;
    for (int i = 0; i < reads; i++) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (io.gfs.common.rpc.DirectBinaries.buffersLentNow() != 0) { // a reply is in before its buffer is back
        assertTrue(System.nanoTime() < deadline, "a lent buffer never came back");
        Thread.sleep(1);
      }
      int offset = (i % 3) * ThreeChunkServers.PIECE + (i % 2) * 1000;
      int length = ThreeChunkServers.PIECE - (i % 2) * 1000;
      ByteBuffer piece = ByteBuffer.wrap(cluster.call(0, c -> c.read(3, 1, offset, length, null)).getData());
      assertEquals(ByteBuffer.wrap(data, offset, length), piece, "read " + i);
    }
    assertEquals(reads, io.gfs.common.rpc.DirectBinaries.lends() - lendsBefore, "reads that borrowed a buffer");
    assertTrue(io.gfs.common.rpc.DirectBinaries.lentBuffersCreated() - createdBefore <= 1,
        "buffers made: " + (io.gfs.common.rpc.DirectBinaries.lentBuffersCreated() - createdBefore));
  }

  @Test
  void aFlippedByteOnDiskIsRefusedByThatReplicaAndServedByTheOthers() throws Exception {
    cluster.assign(5, 1, true, 0, LEASE_MILLIS, 0, 1, 2);
    byte[] data = bytes(300_000);
    cluster.push(200, data, cluster.chain(0, 1, 2));
    writeVia(0, write(5, 1, 0, 200, data.length, 1, 2));
    cluster.flipOnDisk(1, 5, 150_000, 0x40);
    GfsException e = assertThrows(GfsException.class, () -> cluster.call(1, c -> c.read(5, 1, 140_000, 20_000, null)));
    assertEquals(ErrorCode.CHECKSUM_MISMATCH, e.getCode());
    assertTrue(cluster.get(1).state().isCorrupt(5), "the replica is reported corrupt in the next heartbeat");
    // Untouched blocks are still served from the damaged replica; the damaged range comes from the others.
    assertArrayEquals(Arrays.copyOfRange(data, 0, 65_536), cluster.read(1, 5, 1, 0, 65_536));
    assertArrayEquals(Arrays.copyOfRange(data, 140_000, 160_000), cluster.read(0, 5, 1, 140_000, 20_000));
    assertArrayEquals(Arrays.copyOfRange(data, 140_000, 160_000), cluster.read(2, 5, 1, 140_000, 20_000));
  }

  @Test
  void leaseAndVersionErrorsAreTyped() throws Exception {
    cluster.assign(7, 1, true, 0, LEASE_MILLIS, 0, 1, 2);
    byte[] data = bytes(1000);
    cluster.push(300, data, cluster.chain(0, 1, 2));
    assertEquals(ErrorCode.NOT_PRIMARY, code(() -> writeVia(1, write(7, 1, 0, 300, data.length, 0, 2))));
    assertEquals(ErrorCode.STALE_VERSION, code(() -> writeVia(0, write(7, 2, 0, 300, data.length, 1, 2))));
    assertEquals(ErrorCode.STALE_VERSION, code(() -> cluster.call(2, c -> c.read(7, 2, 0, 10, null))));
    assertEquals(ErrorCode.UNKNOWN_CHUNK, code(() -> cluster.call(2, c -> c.read(8, 1, 0, 10, null))));
    assertEquals(ErrorCode.DATA_NOT_FOUND, code(() -> writeVia(0, write(7, 1, 0, 999, data.length, 1, 2))));
    assertEquals(ErrorCode.DATA_NOT_FOUND, code(() -> writeVia(0, write(7, 1, 0, 300, data.length + 1, 1, 2))));
    assertEquals(ErrorCode.UNKNOWN_CHUNK, code(() -> cluster.assign(8, 1, false, 0, 0, 0)));
    // The lease runs out on the primary's clock, a tenth early.
    cluster.clockOffsetMillis.addAndGet(LEASE_MILLIS * 9 / 10 + 1);
    assertEquals(ErrorCode.LEASE_EXPIRED, code(() -> writeVia(0, write(7, 1, 0, 300, data.length, 1, 2))));
    // A new lease at a new version; replica 2 misses it and is stale.
    cluster.assign(7, 2, false, 0, LEASE_MILLIS, 0, 1);
    assertEquals(ErrorCode.STALE_VERSION, code(() -> cluster.assign(7, 1, false, 0, 0, 1)));
    GfsException stale = assertThrows(GfsException.class, () -> writeVia(0, write(7, 2, 0, 300, data.length, 1, 2)));
    assertEquals(ErrorCode.STALE_VERSION, stale.getCode());
    assertEquals(cluster.address(2).toString(), stale.getHint(), stale.getMessage());
    // Applied on the primary and replica 1 all the same: a failed mutation leaves the region undefined [0103].
    assertArrayEquals(data, cluster.read(1, 7, 2, 0, data.length));
  }

  @Test
  void recordAppendRefusesRecordsOverAQuarterChunk() throws Exception {
    cluster.assign(9, 1, true, 0, LEASE_MILLIS, 0, 1, 2);
    byte[] data = bytes(300_000);
    cluster.push(400, data, cluster.chain(0, 1, 2));
    RecordAppendRequest request = new RecordAppendRequest(9, 1, 400, data.length,
        List.of(cluster.wire(1), cluster.wire(2)), false, 1 << 20);
    assertEquals(ErrorCode.RECORD_TOO_LARGE, code(() -> cluster.call(0, c -> c.recordAppend(request))));
    request.setChunkSizeBytes(4 << 20);
    assertEquals(0L, (long) cluster.call(0, c -> c.recordAppend(request)));
  }

  @Test
  void aRetriedMutationIsAppliedOnceAndSerialsOnlyMoveForward() throws Exception {
    cluster.assign(11, 1, true, 0, LEASE_MILLIS, 1);
    byte[] first = bytes(5000);
    byte[] second = bytes(5000);
    cluster.push(500, first, cluster.chain(1));
    cluster.push(501, second, cluster.chain(1));
    Mutation m = new Mutation(11, 1, 1, MutationKind.WRITE, 0, 500, first.length, false);
    cluster.call(1, c -> {
      c.applyMutation(m);
      return null;
    });
    Mutation again = new Mutation(11, 1, 1, MutationKind.WRITE, 0, 501, second.length, false);
    cluster.call(1, c -> {
      c.applyMutation(again);
      return null;
    });
    assertArrayEquals(first, cluster.read(1, 11, 1, 0, first.length));
    assertFalse(cluster.get(1).pushBuffer().contains(501), "the duplicate's data is dropped, not kept forever");
    cluster.push(502, second, cluster.chain(1));
    Mutation next = new Mutation(11, 1, 2, MutationKind.RECORD_APPEND, 10_000, 502, second.length, false);
    cluster.call(1, c -> {
      c.applyMutation(next);
      return null;
    });
    byte[] all = cluster.read(1, 11, 1, 0, 15_000);
    assertArrayEquals(first, Arrays.copyOf(all, 5000));
    assertArrayEquals(new byte[5000], Arrays.copyOfRange(all, 5000, 10_000), "the gap is zero-filled");
    assertArrayEquals(second, Arrays.copyOfRange(all, 10_000, 15_000));
    Mutation stale = new Mutation(11, 2, 3, MutationKind.PAD, 1 << 20, 0, 0, false);
    assertEquals(ErrorCode.STALE_VERSION, code(() -> cluster.call(1, c -> {
      c.applyMutation(stale);
      return null;
    })));
  }

  @Test
  void piecesAreForwardedWhileTheRestIsStillComing() throws Exception {
    byte[] data = bytes(2 * ThreeChunkServers.PIECE);
    int crc = io.gfs.common.Crc32c.of(data, 0, data.length);
    cluster.call(0, c -> {
      c.pushData(650, 0, ByteBuffer.wrap(data, 0, ThreeChunkServers.PIECE), false, data.length, crc,
          List.of(cluster.wire(1), cluster.wire(2)), null);
      return null;
    });
    // Only the first piece was sent, yet it travels on down the chain [0100].
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!cluster.get(2).pushBuffer().contains(650)) {
      assertTrue(System.nanoTime() < deadline, "the first piece did not reach the end of the chain");
      Thread.sleep(10);
    }
    assertTrue(cluster.get(1).pushBuffer().contains(650));
  }

  /**
   * The forwards of one push run one after another on one forwarder thread while pieces keep coming, the thread that
   * went idle last taking the next push: the pool used to start a new thread for each piece until it had 64, every
   * piece's forward running on a thread cold in the caches.
   */
  @Test
  void theForwardsOfOnePushDoNotRotateThroughNewThreads() throws Exception {
    String prefix = cluster.get(0).serverId() + "-forward-";
    Set<String> before = threadsNamed(prefix);
    int pieceBytes = 64 << 10;
    int pieces = 24;
    byte[] data = bytes(pieces * pieceBytes);
    int crc = io.gfs.common.Crc32c.of(data, 0, data.length);
    for (int k = 0; k < pieces; k++) {
      int at = k * pieceBytes;
      boolean last = k == pieces - 1;
      cluster.call(0, c -> {
        c.pushData(660, at, ByteBuffer.wrap(data, at, pieceBytes), last, data.length, crc,
            List.of(cluster.wire(1), cluster.wire(2)), null);
        return null;
      });
    }
    assertTrue(cluster.get(2).pushBuffer().contains(660), "the data did not reach the end of the chain");
    Set<String> started = threadsNamed(prefix);
    started.removeAll(before);
    // One would do; a thread that has queued the next push but not yet gone idle can make a second one now and then.
    assertTrue(started.size() <= 4, pieces + " pieces forwarded by new threads " + started);
  }

  private static Set<String> threadsNamed(String prefix) {
    Set<String> names = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith(prefix)) {
        names.add(thread.getName());
      }
    }
    return names;
  }

  @Test
  void aBrokenChainIsReportedNamingTheServerThatFailed() throws Exception {
    HostPort nowhere = new HostPort("127.0.0.1", ThreeChunkServers.freePort());
    byte[] data = bytes(2 * ThreeChunkServers.PIECE + 10);
    GfsException e = assertThrows(GfsException.class,
        () -> cluster.push(600, data, List.of(cluster.address(0), cluster.address(1), nowhere)));
    assertEquals(nowhere.toString(), e.getHint(), e.getMessage());
    assertTrue(e.getMessage().contains(cluster.address(1).toString()), e.getMessage());
    assertTrue(cluster.get(0).pushBuffer().contains(600));
    assertTrue(cluster.get(1).pushBuffer().contains(600));
    // A downstream checksum failure comes back as such.
    int wrongCrc = 1;
    GfsException bad = assertThrows(GfsException.class, () -> cluster.call(0, c -> {
      c.pushData(601, 0, ByteBuffer.wrap(data, 0, 100), true, 100, wrongCrc, List.of(cluster.wire(1)), null);
      return null;
    }));
    assertEquals(ErrorCode.CHECKSUM_MISMATCH, bad.getCode());
    assertFalse(cluster.get(0).pushBuffer().contains(601));
  }

  @Test
  void badArgumentsAreInvalidAndTheServerGoesOn() throws Exception {
    cluster.assign(13, 1, true, 0, LEASE_MILLIS, 0);
    List<ThrowingCall> calls = List.of(
        () -> cluster.call(0, c -> c.read(13, 1, -1, 10, null)),
        () -> cluster.call(0, c -> c.read(13, 1, 0, -10, null)),
        () -> cluster.call(0, c -> c.read(13, 1, 0, (1 << 20) + 1, null)),
        () -> writeVia(0, write(13, 1, -5, 1, 10)),
        () -> writeVia(0, write(13, 1, (1L << 30) - 5, 1, 10)),
        () -> writeVia(0, write(13, 1, Long.MAX_VALUE - 3, 1, 10)),
        () -> writeVia(0, write(13, 1, 0, 1, 0)),
        () -> writeVia(0, write(13, 1, 0, 1, 10, 1, 0)), // the primary among its own secondaries
        () -> cluster.call(0, c -> {
          c.pushData(1, 50, ByteBuffer.allocate(100), false, 100, 0, List.of(), null);
          return null;
        }),
        () -> cluster.call(0, c -> {
          c.pushData(1, 0, ByteBuffer.allocate(10), false, -1, 0, List.of(), null);
          return null;
        }),
        () -> cluster.call(0, c -> {
          c.pushData(2, 0, ByteBuffer.allocate(10), true, 10, 0, List.of(new ServerAddress(" ", 7)), null);
          return null;
        }),
        () -> cluster.assign(13, 1, false, 0, -1, 0),
        () -> cluster.assign(13, 0, false, 0, 0, 0),
        () -> cluster.call(0, c -> {
          c.applyMutation(new Mutation(13, 1, 1, MutationKind.WRITE, -1, 1, 10, false));
          return null;
        }));
    for (ThrowingCall call : calls) {
      assertEquals(ErrorCode.INVALID_ARGUMENT, code(call));
    }
    assertEquals(0, cluster.call(0, c -> c.read(13, 1, 0, 10, null)).getChunkLengthBytes());
  }

  @Test
  void chunksAndTheServerIdSurviveARestart() throws Exception {
    cluster.assign(15, 1, true, 0, LEASE_MILLIS, 0, 1, 2);
    byte[] data = bytes(200_000);
    cluster.push(700, data, cluster.chain(0, 1, 2));
    writeVia(0, write(15, 1, 0, 700, data.length, 1, 2));
    cluster.assign(15, 2, false, 0, LEASE_MILLIS, 0, 1, 2);
    String id = cluster.get(2).serverId();
    cluster.restart(2);
    assertEquals(id, cluster.get(2).serverId());
    assertEquals(2, cluster.get(2).state().version(15).getAsLong());
    assertArrayEquals(data, cluster.read(2, 15, 2, 0, data.length));
    assertEquals(ErrorCode.STALE_VERSION, code(() -> cluster.call(2, c -> c.read(15, 3, 0, 1, null))));
  }
}
