package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.common.Crc32c;
import io.gfs.thrift.gen.ChunkChecksum;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.WriteRequest;
import java.util.Arrays;
import java.util.List;
import org.apache.thrift.TException;
import org.junit.jupiter.api.Test;

/** getChunkChecksum on three real chunkservers: the CRC32C of a replica's bytes, without reading them. */
class ChunkChecksumIT extends ThreeChunkServersTest {
  private static final long LEASE_MILLIS = 60_000;

  long nextDataId = 1000;

  ChunkChecksumIT() {
    super(7L);
  }

  /** Creates {@code handle} on all three servers and writes {@code data} at 0 through replica 0 as primary. */
  private void writeChunk(long handle, byte[] data) throws TException {
    cluster.assign(handle, 1, true, 0, LEASE_MILLIS, 0, 1, 2);
    long dataId = nextDataId++;
    cluster.push(dataId, data, cluster.chain(2, 1, 0));
    WriteRequest request = new WriteRequest(handle, 1, 0, dataId, data.length,
        List.of(cluster.wire(1), cluster.wire(2)), false);
    cluster.call(0, c -> {
      c.write(request);
      return null;
    });
  }

  private ChunkChecksum checksum(int replica, long handle, long version) throws TException {
    return cluster.call(replica, c -> c.getChunkChecksum(handle, version, null));
  }

  private ErrorCode code(int replica, long handle, long version) {
    return assertThrows(GfsException.class, () -> checksum(replica, handle, version)).getCode();
  }

  @Test
  void everyReplicaAnswersTheCrcOfItsBytes() throws Exception {
    byte[] data = new byte[3 * ThreeChunkServers.PIECE + 12_345];
    random.nextBytes(data);
    writeChunk(1, data);
    ChunkChecksum expected = new ChunkChecksum(data.length, Crc32c.of(data, 0, data.length));
    for (int r = 0; r < 3; r++) {
      assertEquals(expected, checksum(r, 1, 1), "replica " + r);
    }
    cluster.assign(2, 1, true, 0, LEASE_MILLIS, 0);
    assertEquals(new ChunkChecksum(0, 0), checksum(0, 2, 1), "an empty chunk has the CRC of no bytes");
  }

  @Test
  void equalContentsGiveEqualCrcsWhateverTheChunking() throws Exception {
    byte[] data = new byte[2 * ThreeChunkServers.PIECE + 777];
    random.nextBytes(data);
    writeChunk(10, data);
    int cut = 1_000_003; // not on a 64 KiB block boundary
    writeChunk(11, Arrays.copyOfRange(data, 0, cut));
    writeChunk(12, Arrays.copyOfRange(data, cut, data.length));
    ChunkChecksum whole = checksum(1, 10, 1);
    ChunkChecksum head = checksum(2, 11, 1);
    ChunkChecksum tail = checksum(0, 12, 1);
    assertEquals(whole.getLengthBytes(), head.getLengthBytes() + tail.getLengthBytes());
    assertEquals(whole.getCrc32c(), Crc32c.combine(head.getCrc32c(), tail.getCrc32c(), tail.getLengthBytes()));
  }

  @Test
  void unknownStaleCorruptAndBadArgumentsAreTypedErrors() throws Exception {
    byte[] data = new byte[300_000];
    random.nextBytes(data);
    writeChunk(20, data);
    cluster.assign(20, 2, false, 0, LEASE_MILLIS, 0, 1);
    assertEquals(ErrorCode.UNKNOWN_CHUNK, code(0, 21, 1));
    assertEquals(ErrorCode.STALE_VERSION, code(2, 20, 2), "replica 2 missed version 2");
    assertEquals(ErrorCode.STALE_VERSION, code(0, 20, 3));
    assertEquals(data.length, checksum(0, 20, 1).getLengthBytes(), "a reader behind the replica is served");
    assertEquals(ErrorCode.INVALID_ARGUMENT, code(0, 20, 0));
    // A flipped byte on disk: the CRCs alone still look fine, but once a read has found it, the replica says so.
    cluster.flipOnDisk(1, 20, 70_000, 0x04);
    assertEquals(ErrorCode.CHECKSUM_MISMATCH,
        assertThrows(GfsException.class, () -> cluster.call(1, c -> c.read(20, 2, 65_536, 10, null))).getCode());
    assertEquals(ErrorCode.CHECKSUM_MISMATCH, code(1, 20, 2));
    assertEquals(checksum(0, 20, 2), new ChunkChecksum(data.length, Crc32c.of(data, 0, data.length)));
  }
}
