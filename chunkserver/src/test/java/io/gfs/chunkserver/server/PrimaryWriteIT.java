package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.WriteRequest;
import java.util.Arrays;
import java.util.List;
import org.apache.thrift.TException;
import org.junit.jupiter.api.Test;

/**
 * The primary's write on three real chunkservers, where the secondaries apply a mutation while the primary writes its
 * own copy: whatever the primary's own write does, a serial number sent to the secondaries is never given to another
 * write, so no later write is taken by them for one already applied.
 */
class PrimaryWriteIT extends ThreeChunkServersTest {
  private static final int BLOCK = 64 * 1024;
  private static final long LEASE_MILLIS = 60_000;
  private long nextDataId = 100;

  PrimaryWriteIT() {
    super(11L);
  }

  private void write(long handle, long offset, byte[] data) throws TException {
    long dataId = nextDataId++;
    cluster.push(dataId, data, cluster.chain(0, 1, 2));
    WriteRequest request = new WriteRequest(handle, 1, offset, dataId, data.length,
        List.of(cluster.wire(1), cluster.wire(2)), false);
    cluster.call(0, c -> {
      c.write(request);
      return null;
    });
  }

  @Test
  void aWriteThePrimaryRefusesStillUsesUpItsSerialNumber() throws Exception {
    cluster.assign(1, 1, true, 0, LEASE_MILLIS, 0, 1, 2);
    byte[] first = bytes(3 * BLOCK);
    write(1, 0, first);
    cluster.flipOnDisk(0, 1, BLOCK + 10, 0x04); // only the primary's block 1 rots
    byte[] patch = bytes(1000);
    // Overwrites part of block 1: the primary verifies the block first and refuses, while the secondaries apply it.
    GfsException refused = assertThrows(GfsException.class, () -> write(1, BLOCK + 100, patch));
    assertEquals(ErrorCode.CHECKSUM_MISMATCH, refused.getCode(), refused.getMessage());
    byte[] expected = first.clone();
    System.arraycopy(patch, 0, expected, BLOCK + 100, patch.length);
    for (int r = 1; r < 3; r++) {
      assertArrayEquals(expected, cluster.read(r, 1, 1, 0, expected.length), "secondary " + r);
      // The number went to the secondaries, so the primary never gives it to another write: a later one with it
      // would be taken by them as applied already and skipped while acknowledged.
      assertEquals(cluster.get(r).state().nextSerial(1), cluster.get(0).state().nextSerial(1), "secondary " + r);
    }
    assertEquals(3, cluster.get(0).state().nextSerial(1));
  }

  @Test
  void everyServerOfTheChainReusesThePushBuffersArraysOnceAWriteIsDone() throws Exception {
    cluster.assign(3, 1, true, 0, LEASE_MILLIS, 0, 1, 2);
    int length = 4 * BLOCK; // a power of two, as a full client write buffer is
    byte[] content = new byte[0];
    for (int i = 0; i < 4; i++) {
      byte[] data = bytes(length + i); // a fresh pattern each time, so a reused array holding old bytes would show
      data = Arrays.copyOf(data, length);
      data[0] = (byte) i;
      write(3, content.length, data);
      byte[] next = Arrays.copyOf(content, content.length + length);
      System.arraycopy(data, 0, next, content.length, length);
      content = next;
      for (int r = 0; r < 3; r++) {
        // Head and middle give an array back once their forward of the last piece is done (just after the push
        // returned): wait for that, so the next write's push finds it.
        ChunkServer server = cluster.get(r);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (server.pushBuffer().reservedBytes() > 0 || server.pushBuffer().idleArrayCount() == 0) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("server " + r + " kept its push buffer entry after write " + i);
          }
          Thread.sleep(5);
        }
      }
    }
    for (int r = 0; r < 3; r++) {
      assertArrayEquals(content, cluster.read(r, 3, 1, 0, content.length), "replica " + r);
      assertEquals(3, cluster.get(r).pushBuffer().reusedArrayCount(), "server " + r + ": writes 2-4 reused one");
    }
  }

  @Test
  void writesInTurnLandOnEveryReplica() throws Exception {
    cluster.assign(2, 1, true, 0, LEASE_MILLIS, 0, 1, 2);
    byte[] content = new byte[0];
    for (int i = 0; i < 6; i++) {
      byte[] data = bytes(BLOCK * (i + 1) + 17 * i);
      long offset = i % 3 == 2 ? content.length / 2 : content.length; // some overwrite the middle
      write(2, offset, data);
      byte[] next = Arrays.copyOf(content, (int) Math.max(content.length, offset + data.length));
      System.arraycopy(data, 0, next, (int) offset, data.length);
      content = next;
    }
    for (int r = 0; r < 3; r++) {
      assertArrayEquals(content, cluster.read(r, 2, 1, 0, content.length), "replica " + r);
    }
  }
}
