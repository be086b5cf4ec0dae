package io.gfs.mapreduce;

import io.gfs.common.Check;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * What a committed writer acknowledges: the file offset gfs returned for each of its records, in seq order. The reader
 * returns a record only at its acknowledged offset, which makes "exactly once" exact: a copy left by a retried
 * append [0109] sits at another offset, wherever in the file it landed. Format (big-endian):
 *
 * <pre>
 *   magic int 0xF5474643, version byte 1, writerId long, attempt (DataOutput UTF)
 *   per record, seq 0, 1, ...: varint(zigzag(offset - previous offset)), previous starting at 0
 *   count long, crc32c int of every byte before the crc
 * </pre>
 *
 * Offsets of one sequential writer grow [0109], so deltas are small (about the record size): two or three bytes per
 * record.
 */
final class CommitMarker {
  static final int MAGIC = 0xF547_4643;
  static final int VERSION = 1;
  private static final int TRAILER_BYTES = 12;

  private CommitMarker() {}

  /** Streams a marker: header at construction, one entry per acknowledged record, trailer at finish. */
  static final class Writer {
    private final CRC32C crc = new CRC32C();
    private final DataOutputStream out;
    private long previousOffset;
    private long count;

    Writer(OutputStream target, long writerId, String attempt) throws IOException {
      this.out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(target, 64 * 1024), crc));
      out.writeInt(MAGIC);
      out.writeByte(VERSION);
      out.writeLong(writerId);
      out.writeUTF(attempt);
    }

    void add(long offset) throws IOException {
      Check.argument(offset >= 0, "offset %s < 0", offset);
      long delta = offset - previousOffset;
      writeVarint(out, (delta << 1) ^ (delta >> 63));
      previousOffset = offset;
      count++;
    }

    long count() {
      return count;
    }

    /** Writes the trailer and flushes; the caller closes the target. */
    void finish() throws IOException {
      out.writeLong(count);
      out.flush();
      int value = (int) crc.getValue();
      out.writeInt(value);
      out.flush();
    }
  }

  /** Receives a marker's entries. */
  @FunctionalInterface
  interface EntrySink {
    void accept(long writerId, long seq, long offset) throws IOException;
  }

  /** The header of a marker that was read. */
  record Header(long writerId, String attempt, long count) {}

  /** Reads a whole marker of lengthBytes bytes, handing every entry to sink; IOException if it is damaged. */
  static Header read(InputStream source, long lengthBytes, String name, EntrySink sink) throws IOException {
    CRC32C crc = new CRC32C();
    CountingInput counted = new CountingInput(new CheckedInputStream(new BufferedInputStream(source, 64 * 1024), crc));
    DataInputStream in = new DataInputStream(counted);
    try {
      if (in.readInt() != MAGIC || in.readUnsignedByte() != VERSION) {
        throw new IOException("commit marker " + name + ": not a gfs commit marker (bad magic or version)");
      }
      long writerId = in.readLong();
      String attempt = in.readUTF();
      long entriesEnd = lengthBytes - TRAILER_BYTES;
      long offset = 0;
      long seq = 0;
      while (counted.count < entriesEnd) {
        long zigzag = readVarint(in);
        offset += (zigzag >>> 1) ^ -(zigzag & 1);
        sink.accept(writerId, seq++, offset);
      }
      long count = in.readLong();
      int expected = (int) crc.getValue();
      int stored = in.readInt();
      if (counted.count != lengthBytes || count != seq || stored != expected) {
        throw new IOException(String.format("commit marker %s is damaged: %d entries read, %d claimed, crc %s",
            name, seq, count, stored == expected ? "ok" : "mismatch"));
      }
      return new Header(writerId, attempt, count);
    } catch (EOFException e) {
      throw new IOException("commit marker " + name + " is truncated", e);
    }
  }

  static void writeVarint(DataOutputStream out, long value) throws IOException {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  static long readVarint(DataInputStream in) throws IOException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readUnsignedByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IOException("varint longer than 10 bytes in a commit marker");
  }

  /** Counts bytes read, so the reader knows where the entries end. */
  private static final class CountingInput extends FilterInputStream {
    long count;

    CountingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
