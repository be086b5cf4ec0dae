package io.gfs.master.oplog;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads a checkpoint file through one large buffer and checksums it on the way (restart speed, issue 6): the CRC32C
 * covers every byte before the 4-byte trailer. Primitive reads come straight from the buffer instead of through
 * DataInputStream's byte-at-a-time path. Nothing read may be used before {@link #verifyTrailer} succeeded.
 */
final class CheckpointInput implements AutoCloseable {
  static final int BUFFER_BYTES = 1 << 20;
  private final Path file;
  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
  private final CRC32C crc = new CRC32C();
  /** Bytes the checksum covers: the whole file but its trailer. */
  private final long checkedBytes;
  /** File offset of the next byte the channel hands over. */
  private long fileOffset;

  CheckpointInput(Path file, int trailerBytes) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.checkedBytes = channel.size() - trailerBytes;
    buffer.limit(0);
  }

  /** Makes at least count bytes available in the buffer (count at most {@link #BUFFER_BYTES}). */
  private void need(int count) throws IOException {
    if (buffer.remaining() >= count) {
      return;
    }
    buffer.compact();
    while (buffer.position() < count) {
      int start = buffer.position();
      int n = channel.read(buffer);
      if (n < 0) {
        throw new EOFException(file + ": ends in the middle of the checkpoint");
      }
      long covered = Math.min(n, checkedBytes - fileOffset);
      if (covered > 0) {
        crc.update(buffer.array(), start, (int) covered);
      }
      fileOffset += n;
    }
    buffer.flip();
  }

  int readInt() throws IOException {
    need(Integer.BYTES);
    return buffer.getInt();
  }

  long readLong() throws IOException {
    need(Long.BYTES);
    return buffer.getLong();
  }

  short readShort() throws IOException {
    need(Short.BYTES);
    return buffer.getShort();
  }

  void skip(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      readByte();
    }
  }

  byte readByte() throws IOException {
    need(1);
    return buffer.get();
  }

  /** A string as RecordCodec writes it: its UTF-8 length, then the bytes. */
  String readString(int bytesMax) throws IOException {
    int length = readInt();
    if (length < 0 || length > bytesMax || length > BUFFER_BYTES) {
      throw new IOException(file + ": string length " + length + " outside [0, " + bytesMax + "]");
    }
    need(length);
    String value = new String(buffer.array(), buffer.position(), length, StandardCharsets.UTF_8);
    buffer.position(buffer.position() + length);
    return value;
  }

  /** After the last field: the next 4 bytes are the trailer, equal to the checksum of everything before them. */
  void verifyTrailer() throws IOException {
    if (fileOffset - buffer.remaining() != checkedBytes) {
      throw new IOException(file + ": image does not end at the trailer");
    }
    int computed = (int) crc.getValue();
    int stored = readInt();
    if (stored != computed) {
      throw new IOException(file + ": checkpoint CRC mismatch (incomplete or corrupt)");
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
