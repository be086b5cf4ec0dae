package io.gfs.chunkserver.server;

import io.gfs.common.Crc32c;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;

/**
 * Records that travel with their record append request and then with the primary's mutation instead of being pushed
 * first ([0112]: the request and the record may follow the same path). For small records the per-call costs dominate,
 * and this saves the push chain's calls. Checked like pushed data: the length, and the CRC32C of the whole record on
 * every replica before a byte of it is written. A lone appender's record goes on inside the primary's mutation (one
 * hop to the secondaries). When others hold or wait for the chunk's lock, the primary first relays the record to its
 * secondaries' push buffers ({@link SecondaryFanout#relay}) and the mutation names it by data id: carried inside the
 * group's mutations, records reached the secondaries while the primary held the lock, and 16 appenders of 64 KiB
 * records were slower than with pushed records (8bbbffc).
 */
final class InlineRecords {
  /** Largest record that may travel inline: one push piece, so a request stays far below the smallest frame max. */
  static final int RECORD_BYTES_MAX = GfsConfigKeys.DATA_PIECE_BYTES_MAX;

  /**
   * Most record bytes one group of mutations carries inline to a secondary: with the smallest frame max (2 MiB) a
   * group call still fits in one frame.
   */
  static final int GROUP_BYTES_MAX = GfsConfigKeys.DATA_PIECE_BYTES_MAX;

  private InlineRecords() {}

  /** The record, once its length and CRC32C are right; INVALID_ARGUMENT or CHECKSUM_MISMATCH otherwise. */
  static byte[] checked(long handle, long dataId, byte[] data, int lengthBytes, boolean crcSet, int crc32c)
      throws GfsException {
    if (data.length != lengthBytes || lengthBytes > RECORD_BYTES_MAX) {
      throw Errors.invalid("chunk %s: an inline record of %s bytes, said to be %s (at most %s)", handle, data.length,
          lengthBytes, RECORD_BYTES_MAX);
    }
    if (!crcSet) {
      throw Errors.invalid("chunk %s: inline record %s without its CRC32C", handle, dataId);
    }
    int actual = Crc32c.of(data, 0, data.length);
    if (actual != crc32c) {
      throw RpcErrors.error(ErrorCode.CHECKSUM_MISMATCH, "chunk %s: inline record %s has CRC32C %08x, expected %08x",
          handle, dataId, actual, crc32c);
    }
    return data;
  }
}
