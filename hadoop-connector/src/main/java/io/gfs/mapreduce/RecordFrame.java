package io.gfs.mapreduce;

import io.gfs.common.Check;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * How one record sits in a record-append file [0110]: a fixed header, then the payload. Big-endian:
 *
 * <pre>
 *   0  magic          int   0xF5474652 ("\xF5GFR")
 *   4  payloadLength  int   bytes of payload that follow the header
 *   8  writerId       long  who appended it (a task attempt, or a random id for other writers)
 *  16  seq            long  the writer's record number, 0, 1, 2, ...
 *  24  crc32c         int   CRC32C of bytes [4, 24) and of the payload
 *  28  payload
 * </pre>
 *
 * The magic's first byte, 0xF5, never occurs in UTF-8, so text payloads cannot hold a false magic. The CRC covers the
 * length and the id, so a torn piece [0109] or a false magic inside binary data is rejected instead of trusted. gfs
 * pads the tail of a chunk with zeros [0107]; zero is not a magic, so padding is skipped while scanning.
 */
public final class RecordFrame {
  public static final int MAGIC = 0xF547_4652;
  public static final int HEADER_BYTES = 28;
  static final int CRC_OFFSET = 24;

  private RecordFrame() {}

  /** The largest frame gfs will append for a chunk size: a record is at most a quarter of a chunk [0106]. */
  public static int frameBytesMax(long chunkSizeBytes) {
    Check.argument(chunkSizeBytes >= 4L * HEADER_BYTES, "chunk size %s too small for a frame", chunkSizeBytes);
    return (int) Math.min(Integer.MAX_VALUE - 16, chunkSizeBytes / 4);
  }

  /** The framed bytes of one record. */
  public static byte[] encode(long writerId, long seq, byte[] payload, int offset, int length) {
    Check.argument(offset >= 0 && length >= 0 && length <= payload.length - offset,
        "range [%s, +%s) outside a payload buffer of %s", offset, length, payload.length);
    Check.argument(seq >= 0, "seq %s < 0", seq);
    byte[] frame = new byte[HEADER_BYTES + length];
    encodeInto(frame, 0, writerId, seq, payload, offset, length);
    return frame;
  }

  /** Writes one frame at {@code at} of {@code target}, which must have room for {@code HEADER_BYTES + length}. */
  static void encodeInto(byte[] target, int at, long writerId, long seq, byte[] payload, int offset, int length) {
    ByteBuffer b = ByteBuffer.wrap(target, at, HEADER_BYTES + length);
    b.putInt(MAGIC).putInt(length).putLong(writerId).putLong(seq);
    System.arraycopy(payload, offset, target, at + HEADER_BYTES, length);
    b.putInt(crcOf(target, at, length));
  }

  /**
   * The payload length of a valid frame starting at {@code at} of {@code bytes}, or -1 if the bytes there are not one:
   * wrong magic, a length outside [0, payloadBytesMax], fewer than the frame's bytes available, or a CRC mismatch.
   */
  static int validLength(byte[] bytes, int at, int available, int payloadBytesMax) {
    if (available < HEADER_BYTES || intAt(bytes, at) != MAGIC) {
      return -1;
    }
    int length = intAt(bytes, at + 4);
    if (length < 0 || length > payloadBytesMax || available - HEADER_BYTES < length) {
      return -1;
    }
    return crcOf(bytes, at, length) == intAt(bytes, at + CRC_OFFSET) ? length : -1;
  }

  /** The whole frame's bytes this header claims, or -1 if the magic or the length is wrong (CRC not checked). */
  static int claimedFrameBytes(byte[] bytes, int at, int payloadBytesMax) {
    if (intAt(bytes, at) != MAGIC) {
      return -1;
    }
    int length = intAt(bytes, at + 4);
    return length < 0 || length > payloadBytesMax ? -1 : HEADER_BYTES + length;
  }

  static long writerIdAt(byte[] bytes, int at) {
    return longAt(bytes, at + 8);
  }

  static long seqAt(byte[] bytes, int at) {
    return longAt(bytes, at + 16);
  }

  private static int crcOf(byte[] frame, int at, int payloadLength) {
    CRC32C crc = new CRC32C();
    crc.update(frame, at + 4, CRC_OFFSET - 4);
    crc.update(frame, at + HEADER_BYTES, payloadLength);
    return (int) crc.getValue();
  }

  static int intAt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }

  private static long longAt(byte[] b, int at) {
    return (long) intAt(b, at) << 32 | (intAt(b, at + 4) & 0xffff_ffffL);
  }
}
