package io.gfs.chunkserver.server;

import io.gfs.common.Crc32c;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.ThriftBinary;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.apache.thrift.TBase;

/**
 * Records that travel with their record append request and then with the primary's mutation instead of being pushed
 * first ([0112]: the request and the record may follow the same path). For small records the per-call costs dominate,
 * and this saves the push chain's calls. Checked like pushed data: the length, and the CRC32C of the whole record on
 * every replica before a byte of it is written. A record goes on inside its group's mutations (one hop to the
 * secondaries, one call per secondary for the whole group). Only a record of {@link #RELAY_BYTES_MIN} or more that
 * arrives while others hold or wait for the chunk's lock is first relayed to the secondaries' push buffers
 * ({@link SecondaryFanout#relay}), its mutation naming it by data id, so the lock is not held while big records
 * travel (8bbbffc measured 64 KiB records carried in the group slower, before the group's waiters stopped queueing on
 * the lock and the fan-out stopped handing every call to a pool).
 */
final class InlineRecords {
  /** Largest record that may travel inline: one push piece, so a request stays far below the smallest frame max. */
  static final int RECORD_BYTES_MAX = GfsConfigKeys.DATA_PIECE_BYTES_MAX;

  /**
   * Most record bytes one group of mutations carries inline to a secondary: with the smallest frame max (2 MiB) a
   * group call still fits in one frame.
   */
  static final int GROUP_BYTES_MAX = GfsConfigKeys.DATA_PIECE_BYTES_MAX;

  /**
   * Smallest record the primary relays ahead of its group when the chunk is busy. A relay costs two calls per record
   * (one to each secondary, each a selector and a worker hand-off there); riding the group costs the lock the time to
   * carry it. For 64 KiB records by 4 and 16 appenders (./bin/gfs bench append, load ~24) riding the group took the
   * voluntary thread switches per record from 21.9 / 13.0 to 11.4 / 6.8 and the process's CPU per record from
   * 3.08 / 1.70 to 1.49 / 1.28 ms. From a quarter of a group's inline bytes up, a group batches at most four records,
   * and the transfer under the lock is what the relay was made to avoid.
   */
  static final int RELAY_BYTES_MIN = GROUP_BYTES_MAX / 4;

  private InlineRecords() {}

  /**
   * The record a request or mutation carries, read in place: the bytes of the received frame, not the generated
   * getter's two copies (a right-sized array, then a clone of it), which cost a 64 KiB record two allocations and two
   * copies on every replica. An array-backed view, as the store and the CRC need; a copy only when the field cannot be
   * reached or has no array. Null when the struct carries no record.
   */
  static ByteBuffer of(TBase<?, ?> struct, Supplier<byte[]> copying) {
    ByteBuffer shared = ThriftBinary.shared(struct, "data");
    if (shared != null && shared.hasArray()) {
      return shared;
    }
    byte[] copy = copying.get();
    return copy == null ? null : ByteBuffer.wrap(copy);
  }

  /** The record, once its length and CRC32C are right; INVALID_ARGUMENT or CHECKSUM_MISMATCH otherwise. */
  static ByteBuffer checked(long handle, long dataId, ByteBuffer data, int lengthBytes, boolean crcSet, int crc32c)
      throws GfsException {
    if (data == null || data.remaining() != lengthBytes || lengthBytes > RECORD_BYTES_MAX) {
      throw Errors.invalid("chunk %s: an inline record of %s bytes, said to be %s (at most %s)", handle,
          data == null ? 0 : data.remaining(), lengthBytes, RECORD_BYTES_MAX);
    }
    if (!crcSet) {
      throw Errors.invalid("chunk %s: inline record %s without its CRC32C", handle, dataId);
    }
    int actual = Crc32c.of(data.array(), data.arrayOffset() + data.position(), data.remaining());
    if (actual != crc32c) {
      throw RpcErrors.error(ErrorCode.CHECKSUM_MISMATCH, "chunk %s: inline record %s has CRC32C %08x, expected %08x",
          handle, dataId, actual, crc32c);
    }
    return data;
  }
}
