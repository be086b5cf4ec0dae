package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.Mutation;
import io.gfs.thrift.gen.MutationGroupOutcome;
import io.gfs.thrift.gen.MutationKind;
import io.gfs.thrift.gen.RecordAppendRequest;
import io.gfs.thrift.gen.ServerAddress;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A secondary applying a group of record appends the primary ordered together [0102, 0111]: in serial order, stopping
 * at the first that fails, a retried group applied once; and the primary reporting a secondary's failure [0103].
 */
class AppendGroupIT extends ThreeChunkServersTest {
  private static final long LEASE_MILLIS = 60_000;
  private static final long CHUNK = 1L << 20;


  AppendGroupIT() {
    super(7L);
  }

  private MutationGroupOutcome applyGroup(int replica, Mutation... group) throws Exception {
    return cluster.call(replica, c -> c.applyMutations(List.of(group)));
  }

  private static Mutation append(long handle, long serial, long offset, long dataId, int length) {
    return new Mutation(handle, 1, serial, MutationKind.RECORD_APPEND, offset, dataId, length, false);
  }

  @Test
  void aSecondaryAppliesAGroupInOrderStopsAtTheFirstFailureAndAppliesARetriedGroupOnce() throws Exception {
    cluster.assign(21, 1, true, 0, LEASE_MILLIS, 1);
    byte[] a = bytes(3000);
    byte[] b = bytes(4000);
    byte[] c = bytes(5000);
    cluster.push(601, a, cluster.chain(1));
    cluster.push(603, c, cluster.chain(1)); // b's data (602) has not arrived
    Mutation[] group = {append(21, 1, 0, 601, a.length), append(21, 2, 3000, 602, b.length),
        append(21, 3, 7000, 603, c.length)};
    MutationGroupOutcome first = applyGroup(1, group);
    assertEquals(1, first.getAppliedCount());
    assertEquals(ErrorCode.DATA_NOT_FOUND, first.getFailure().getCode(), first.getFailure().getMessage());
    assertTrue(cluster.get(1).pushBuffer().contains(603), "c was not tried: its data waits for the retried group");
    assertArrayEquals(a, cluster.read(1, 21, 1, 0, a.length));

    cluster.push(602, b, cluster.chain(1));
    cluster.push(604, bytes(3000), cluster.chain(1)); // a's retry would bring other bytes: applied already, dropped
    group[0] = append(21, 1, 0, 604, a.length);
    MutationGroupOutcome retried = applyGroup(1, group);
    assertEquals(3, retried.getAppliedCount());
    assertFalse(retried.isSetFailure());
    byte[] all = cluster.read(1, 21, 1, 0, 12_000);
    assertArrayEquals(a, Arrays.copyOfRange(all, 0, 3000), "serial 1 applied once, not overwritten by its retry");
    assertArrayEquals(b, Arrays.copyOfRange(all, 3000, 7000));
    assertArrayEquals(c, Arrays.copyOfRange(all, 7000, 12_000));
    assertFalse(cluster.get(1).pushBuffer().contains(604), "the duplicate's data is dropped, not kept forever");
  }

  @Test
  void aGroupMixingChunksOrNotRisingInSerialNumbersIsRefusedWhole() throws Exception {
    cluster.assign(22, 1, true, 0, LEASE_MILLIS, 1);
    cluster.assign(23, 1, true, 0, LEASE_MILLIS, 1);
    GfsException mixed = assertThrows(GfsException.class,
        () -> applyGroup(1, append(22, 1, 0, 700, 10), append(23, 2, 10, 701, 10)));
    assertEquals(ErrorCode.INVALID_ARGUMENT, mixed.getCode());
    GfsException falling = assertThrows(GfsException.class,
        () -> applyGroup(1, append(22, 2, 0, 700, 10), append(22, 2, 10, 701, 10)));
    assertEquals(ErrorCode.INVALID_ARGUMENT, falling.getCode());
    GfsException empty = assertThrows(GfsException.class, () -> applyGroup(1));
    assertEquals(ErrorCode.INVALID_ARGUMENT, empty.getCode());
    Mutation stale = new Mutation(22, 2, 1, MutationKind.PAD, CHUNK, 0, 0, false);
    MutationGroupOutcome outcome = applyGroup(1, stale);
    assertEquals(0, outcome.getAppliedCount());
    assertEquals(ErrorCode.STALE_VERSION, outcome.getFailure().getCode());
  }

  @Test
  void aSecondaryWithoutTheRecordMakesThePrimaryReportFailureNamingIt() throws Exception {
    cluster.assign(24, 1, true, 0, LEASE_MILLIS, 0, 1, 2);
    byte[] record = bytes(6000);
    cluster.push(800, record, cluster.chain(0, 1)); // replica 2 never got it
    RecordAppendRequest request = new RecordAppendRequest(24, 1, 800, record.length,
        List.of(cluster.wire(1), cluster.wire(2)), false, CHUNK);
    GfsException failed = assertThrows(GfsException.class, () -> cluster.call(0, c -> c.recordAppend(request)));
    assertEquals(ErrorCode.DATA_NOT_FOUND, failed.getCode(), failed.getMessage());
    assertEquals(cluster.address(2).toString(), failed.getHint(), failed.getMessage());
    // The client's retry (new data id, pushed everywhere) lands after the failed one's region [0109].
    cluster.push(801, record, cluster.chain(0, 1, 2));
    request.setDataId(801);
    long offset = cluster.call(0, c -> c.recordAppend(request));
    assertEquals(record.length, offset);
    for (int r = 0; r < 3; r++) {
      assertArrayEquals(record, cluster.read(r, 24, 1, offset, record.length), "replica " + r);
    }
  }

  @Test
  void aRecordThatDoesNotFitPadsEveryReplicaAndIsToldChunkFull() throws Exception {
    cluster.assign(25, 1, true, 0, LEASE_MILLIS, 0, 1, 2);
    int[] lengths = {200_000, 200_000, 200_000, 200_000, 200_000, 200_000};
    long expected = 0;
    for (int i = 0; i < lengths.length; i++) {
      byte[] record = bytes(lengths[i]);
      cluster.push(900 + i, record, cluster.chain(2, 1, 0));
      RecordAppendRequest request = new RecordAppendRequest(25, 1, 900 + i, record.length,
          List.of(cluster.wire(1), cluster.wire(2)), false, CHUNK);
      if (expected + record.length > CHUNK) {
        GfsException full = assertThrows(GfsException.class, () -> cluster.call(0, c -> c.recordAppend(request)));
        assertEquals(ErrorCode.CHUNK_FULL, full.getCode(), full.getMessage());
        for (int r = 0; r < 3; r++) {
          assertEquals(CHUNK, cluster.get(r).store().lengthBytes(25), "replica " + r + " padded");
        }
        return;
      }
      assertEquals(expected, (long) cluster.call(0, c -> c.recordAppend(request)));
      expected += record.length;
    }
    fail("six records of 200,000 bytes never overflowed a 1 MiB chunk");
  }

  @Test
  void aRecordSentWithItsRequestReachesEveryReplicaWithoutAPushAndIsCheckedOnEach() throws Exception {
    cluster.assign(26, 1, true, 0, LEASE_MILLIS, 0, 1, 2);
    byte[] record = bytes(70_000);
    int crc = io.gfs.common.Crc32c.of(record, 0, record.length);
    RecordAppendRequest request = new RecordAppendRequest(26, 1, 950, record.length,
        List.of(cluster.wire(1), cluster.wire(2)), false, CHUNK);
    request.setData(record).setCrc32c(crc + 1);
    GfsException corrupt = assertThrows(GfsException.class, () -> cluster.call(0, c -> c.recordAppend(request)));
    assertEquals(ErrorCode.CHECKSUM_MISMATCH, corrupt.getCode(), corrupt.getMessage());
    request.setCrc32c(crc);
    assertEquals(0L, (long) cluster.call(0, c -> c.recordAppend(request)));
    for (int r = 0; r < 3; r++) {
      assertArrayEquals(record, cluster.read(r, 26, 1, 0, record.length), "replica " + r);
      assertFalse(cluster.get(r).pushBuffer().contains(950), "nothing was pushed or kept");
    }
    // A secondary checks the CRC of a record it gets inline as well, before writing a byte of it.
    Mutation damaged = append(26, 2, record.length, 951, 100);
    damaged.setData(new byte[100]).setCrc32c(12345);
    MutationGroupOutcome outcome = applyGroup(1, damaged);
    assertEquals(0, outcome.getAppliedCount());
    assertEquals(ErrorCode.CHECKSUM_MISMATCH, outcome.getFailure().getCode());
    assertEquals(record.length, cluster.get(1).store().lengthBytes(26));
  }

  /** A record append mutation carrying its record inline, with the record's CRC32C. */
  private static Mutation inline(long handle, long serial, long offset, long dataId, byte[] record) {
    Mutation m = append(handle, serial, offset, dataId, record.length);
    return m.setData(record).setCrc32c(io.gfs.common.Crc32c.of(record, 0, record.length));
  }

  /** The replica's chunk: every block verified against its stored CRC, and the whole-chunk CRC equal to the bytes'. */
  private void assertEveryBlockCrcRight(int replica, long handle, byte[] expected) throws Exception {
    assertArrayEquals(expected, cluster.read(replica, handle, 1, 0, expected.length), "replica " + replica);
    cluster.get(replica).store().verify(handle);
    assertEquals(io.gfs.common.Crc32c.of(expected, 0, expected.length),
        cluster.get(replica).store().chunkCrc(handle).crc32c(), "replica " + replica);
  }

  @Test
  void blockAlignedRecordsCarriedInlineLeaveEveryBlockCrcRightAndCorruptionDetectable() throws Exception {
    int block = (int) io.gfs.common.GfsConfigKeys.CHECKSUM_BLOCK_BYTES;
    // Through the primary: each 64 KiB record is one whole block, its block CRC the record's checked CRC.
    cluster.assign(28, 1, true, 0, LEASE_MILLIS, 0, 1, 2);
    byte[] all = new byte[0];
    for (int i = 0; i < 3; i++) {
      byte[] record = bytes(block);
      RecordAppendRequest request = new RecordAppendRequest(28, 1, 970 + i, record.length,
          List.of(cluster.wire(1), cluster.wire(2)), false, CHUNK);
      request.setData(record).setCrc32c(io.gfs.common.Crc32c.of(record, 0, record.length));
      assertEquals((long) all.length, (long) cluster.call(0, c -> c.recordAppend(request)));
      all = concat(all, record);
    }
    for (int r = 0; r < 3; r++) {
      assertEveryBlockCrcRight(r, 28, all);
    }
    // On a secondary, a run of inline records after a pushed one (the run starts at the group's second mutation).
    cluster.assign(29, 1, true, 0, LEASE_MILLIS, 1);
    byte[] pushed = bytes(block);
    byte[] b = bytes(block);
    byte[] c = bytes(block);
    cluster.push(980, pushed, cluster.chain(1));
    MutationGroupOutcome outcome = applyGroup(1, append(29, 1, 0, 980, block), inline(29, 2, block, 981, b),
        inline(29, 3, 2L * block, 982, c));
    assertEquals(3, outcome.getAppliedCount(), String.valueOf(outcome.getFailure()));
    assertEveryBlockCrcRight(1, 29, concat(concat(pushed, b), c));
    cluster.flipOnDisk(1, 29, 2L * block + 5, 1);
    assertThrows(io.gfs.chunkserver.store.ChecksumMismatchException.class, () -> cluster.get(1).store().verify(29));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void aBigRecordSentWithItsRequestWhileItsChunkIsBusyReachesTheSecondariesBeforeTheChunksLock() throws Exception {
    cluster.assign(27, 1, true, 0, LEASE_MILLIS, 0, 1, 2);
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      silent.setSoTimeout(60_000);
      // An append whose only secondary never answers holds the chunk's lock until that connection drops.
      byte[] first = bytes(1000);
      cluster.push(960, first, cluster.chain(0));
      RecordAppendRequest stuck = new RecordAppendRequest(27, 1, 960, first.length,
          List.of(new ServerAddress(silent.getInetAddress().getHostAddress(), silent.getLocalPort())), false, CHUNK);
      Future<Long> stuckCall = callers.submit(() -> cluster.call(0, c -> c.recordAppend(stuck)));
      try (Socket fanout = silent.accept()) { // the primary sends the mutation with the chunk's lock held
        byte[] record = bytes(InlineRecords.RELAY_BYTES_MIN); // smaller ones ride the group (see the test below)
        RecordAppendRequest request = new RecordAppendRequest(27, 1, 961, record.length,
            List.of(cluster.wire(1), cluster.wire(2)), false, CHUNK);
        request.setData(record).setCrc32c(io.gfs.common.Crc32c.of(record, 0, record.length));
        Future<Long> call = callers.submit(() -> cluster.call(0, c -> c.recordAppend(request)));
        for (int r = 1; r <= 2; r++) {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          while (!cluster.get(r).pushBuffer().contains(961) && System.nanoTime() < deadline) {
            Thread.sleep(10);
          }
          assertTrue(cluster.get(r).pushBuffer().contains(961), "replica " + r + " got the record before the lock");
        }
        assertFalse(stuckCall.isDone() || call.isDone(), "the first append still holds the chunk");
        fanout.close(); // the first append's secondary is unreachable: it fails, and the second one goes ahead
        ExecutionException failed = assertThrows(ExecutionException.class, () -> stuckCall.get(60, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof GfsException, failed.toString());
        long offset = call.get(60, TimeUnit.SECONDS);
        assertEquals(first.length, offset, "after the failed append's region on the primary [0109]");
        for (int r = 0; r < 3; r++) {
          assertArrayEquals(record, cluster.read(r, 27, 1, offset, record.length), "replica " + r);
          assertFalse(cluster.get(r).pushBuffer().contains(961), "applied and dropped on replica " + r);
        }
      }
    } finally {
      callers.shutdownNow();
      assertTrue(callers.awaitTermination(60, TimeUnit.SECONDS), "callers ended");
    }
  }
}
