package io.gfs.chunkserver.store;

import io.gfs.common.Crc32c;
import java.nio.ByteBuffer;

/**
 * The layout of a {@code <handle>.meta} file, all big-endian: magic "GFSC", format version, chunk version (long), the
 * checksummed length (long: how many bytes of the chunk file the CRCs vouch for), the CRC32C of those 24 bytes, then
 * one CRC32C int per 64 KiB block of the chunk. The header CRC lets a load tell a torn or garbage header from a real
 * one; the block CRCs protect the data; the checksummed length lets a load cut off bytes a crash left in the chunk file
 * without their CRCs ({@link TornTailRecovery}).
 *
 * <p>Format 1 (the first release) had no length: a 20-byte header of magic, format, version and CRC. It is still read,
 * and the store rewrites such a file in format 2 at load.
 */
final class ChunkMetaFormat {
  static final int MAGIC = 0x47465343; // "GFSC"
  static final int FORMAT_VERSION = 2;
  static final int HEADER_BYTES = 28;
  private static final int HEADER_CHECKED_BYTES = 24;
  private static final int FORMAT_1 = 1;
  private static final int FORMAT_1_HEADER_BYTES = 20;
  private static final int FORMAT_1_HEADER_CHECKED_BYTES = 16;

  private ChunkMetaFormat() {}

  /**
   * A decoded meta file.
   *
   * @param lengthBytes the checksummed length, or -1 for a format 1 file, which did not record it
   */
  record Meta(int format, long version, long lengthBytes, int[] crcs) {}

  /** A meta file that cannot be trusted; the message says why. */
  static final class BadMetaException extends Exception {
    private static final long serialVersionUID = 1L;

    BadMetaException(String message) {
      super(message);
    }
  }

  static byte[] header(long version, long lengthBytes) {
    ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES);
    buffer.putInt(MAGIC).putInt(FORMAT_VERSION).putLong(version).putLong(lengthBytes);
    buffer.putInt(Crc32c.of(buffer.array(), 0, HEADER_CHECKED_BYTES));
    return buffer.array();
  }

  static byte[] crcs(int[] crcs, int firstBlock, int endBlock) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * (endBlock - firstBlock));
    for (int block = firstBlock; block < endBlock; block++) {
      buffer.putInt(crcs[block]);
    }
    return buffer.array();
  }

  /** A whole format 2 meta file. */
  static byte[] file(long version, long lengthBytes, int[] crcs) {
    return ByteBuffer.allocate(HEADER_BYTES + 4 * crcs.length).put(header(version, lengthBytes))
        .put(crcs(crcs, 0, crcs.length)).array();
  }

  static long crcPosition(int block) {
    return HEADER_BYTES + 4L * block;
  }

  static Meta decode(byte[] file) throws BadMetaException {
    if (file.length < FORMAT_1_HEADER_BYTES) {
      throw new BadMetaException("meta file has " + file.length + " bytes, shorter than its header");
    }
    ByteBuffer buffer = ByteBuffer.wrap(file);
    int magic = buffer.getInt();
    int format = buffer.getInt();
    long version = buffer.getLong();
    if (magic != MAGIC) {
      throw new BadMetaException(String.format("bad magic %08x", magic));
    }
    long lengthBytes;
    int headerBytes;
    if (format == FORMAT_1) {
      checkHeaderCrc(file, FORMAT_1_HEADER_CHECKED_BYTES, buffer.getInt());
      lengthBytes = -1;
      headerBytes = FORMAT_1_HEADER_BYTES;
    } else if (format == FORMAT_VERSION && file.length >= HEADER_BYTES) {
      lengthBytes = buffer.getLong();
      checkHeaderCrc(file, HEADER_CHECKED_BYTES, buffer.getInt());
      headerBytes = HEADER_BYTES;
      if (lengthBytes < 0) {
        throw new BadMetaException("checksummed length " + lengthBytes + " < 0");
      }
    } else {
      throw new BadMetaException("unknown format version " + format + " or short header (" + file.length
          + " bytes)");
    }
    if (version < 1) {
      throw new BadMetaException("chunk version " + version + " < 1");
    }
    if ((file.length - headerBytes) % 4 != 0) {
      throw new BadMetaException("meta file length " + file.length + " is not a header plus whole CRCs");
    }
    int[] crcs = new int[(file.length - headerBytes) / 4];
    for (int i = 0; i < crcs.length; i++) {
      crcs[i] = buffer.getInt();
    }
    return new Meta(format, version, lengthBytes, crcs);
  }

  private static void checkHeaderCrc(byte[] file, int checkedBytes, int recorded) throws BadMetaException {
    if (recorded != Crc32c.of(file, 0, checkedBytes)) {
      throw new BadMetaException("header CRC mismatch");
    }
  }
}
