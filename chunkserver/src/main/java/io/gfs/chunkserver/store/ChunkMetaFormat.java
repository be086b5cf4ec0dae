package io.gfs.chunkserver.store;

import io.gfs.common.Crc32c;
import java.nio.ByteBuffer;

/**
 * The layout of a {@code <handle>.meta} file, all big-endian: magic "GFSC", format version, chunk version (long), the
 * CRC32C of those 16 bytes, then one CRC32C int per 64 KiB block of the chunk file. The header CRC lets a load tell a
 * torn or garbage header from a real one; the block CRCs protect the data.
 */
final class ChunkMetaFormat {
  static final int MAGIC = 0x47465343; // "GFSC"
  static final int FORMAT_VERSION = 1;
  static final int HEADER_BYTES = 20;
  private static final int HEADER_CHECKED_BYTES = 16;

  private ChunkMetaFormat() {}

  /** A decoded meta file. */
  record Meta(long version, int[] crcs) {}

  /** A meta file that cannot be trusted; the message says why. */
  static final class BadMetaException extends Exception {
    private static final long serialVersionUID = 1L;

    BadMetaException(String message) {
      super(message);
    }
  }

  static byte[] header(long version) {
    ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES);
    buffer.putInt(MAGIC).putInt(FORMAT_VERSION).putLong(version);
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

  static long crcPosition(int block) {
    return HEADER_BYTES + 4L * block;
  }

  static Meta decode(byte[] file) throws BadMetaException {
    if (file.length < HEADER_BYTES) {
      throw new BadMetaException("meta file has " + file.length + " bytes, shorter than its header");
    }
    if ((file.length - HEADER_BYTES) % 4 != 0) {
      throw new BadMetaException("meta file length " + file.length + " is not a header plus whole CRCs");
    }
    ByteBuffer buffer = ByteBuffer.wrap(file);
    int magic = buffer.getInt();
    int format = buffer.getInt();
    long version = buffer.getLong();
    int headerCrc = buffer.getInt();
    if (magic != MAGIC) {
      throw new BadMetaException(String.format("bad magic %08x", magic));
    }
    if (headerCrc != Crc32c.of(file, 0, HEADER_CHECKED_BYTES)) {
      throw new BadMetaException("header CRC mismatch");
    }
    if (format != FORMAT_VERSION) {
      throw new BadMetaException("unknown format version " + format);
    }
    if (version < 1) {
      throw new BadMetaException("chunk version " + version + " < 1");
    }
    int[] crcs = new int[(file.length - HEADER_BYTES) / 4];
    for (int i = 0; i < crcs.length; i++) {
      crcs[i] = buffer.getInt();
    }
    return new Meta(version, crcs);
  }
}
