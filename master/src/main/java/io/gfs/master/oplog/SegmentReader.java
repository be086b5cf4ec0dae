package io.gfs.master.oplog;

import io.gfs.common.Crc32c;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads one log segment frame by frame. It stops at the first frame that is short, over-long or fails its CRC and
 * reports where the good frames end; the caller decides whether that is a torn tail (end of the last segment: truncate)
 * or corruption (anywhere else: fatal). A frame that checks out but does not decode, or breaks the sequence, is always
 * corruption.
 */
final class SegmentReader {
  /** How a scan ended: validBytes of good frames; problem is null when the whole file was good. */
  record Scan(long validBytes, long fileBytes, long lastSequence, int entries, String problem) {
    boolean clean() {
      return problem == null;
    }
  }

  private SegmentReader() {}

  /**
   * Scans the segment, passing each entry in order. expectedFirst is the sequence number the first frame must carry
   * (the one in the file name).
   */
  static Scan scan(Path file, long expectedFirst, Consumer<LogEntry> consumer) throws IOException {
    long fileBytes = Files.size(file);
    long position = 0;
    long expected = expectedFirst;
    int entries = 0;
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      while (position < fileBytes) {
        long remaining = fileBytes - position;
        if (remaining < RecordCodec.HEADER_BYTES) {
          return new Scan(position, fileBytes, expected - 1, entries, "short frame header at byte " + position);
        }
        byte[] header = new byte[RecordCodec.HEADER_BYTES];
        in.readFully(header);
        ByteBuffer h = ByteBuffer.wrap(header);
        long length = Integer.toUnsignedLong(h.getInt());
        int crc = h.getInt();
        if (length == 0 || length > RecordCodec.PAYLOAD_BYTES_MAX) {
          return new Scan(position, fileBytes, expected - 1, entries, "frame length " + length + " at byte " + position);
        }
        if (remaining - RecordCodec.HEADER_BYTES < length) {
          return new Scan(position, fileBytes, expected - 1, entries, "short frame at byte " + position);
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        if (Crc32c.of(payload, 0, payload.length) != crc) {
          return new Scan(position, fileBytes, expected - 1, entries, "CRC mismatch in frame at byte " + position);
        }
        LogEntry entry;
        try {
          entry = RecordCodec.decode(payload);
        } catch (IOException e) {
          throw new IOException(file + ": record at byte " + position + " passed its CRC but does not decode: "
              + e.getMessage(), e);
        }
        if (entry.sequence() != expected) {
          throw new IOException(file + ": record at byte " + position + " has sequence " + entry.sequence()
              + ", expected " + expected);
        }
        consumer.accept(entry);
        entries++;
        expected++;
        position += RecordCodec.HEADER_BYTES + length;
      }
    } catch (EOFException e) {
      // The file shrank while being read; treat like a short frame.
      return new Scan(position, fileBytes, expected - 1, entries, "unexpected end of file at byte " + position);
    }
    return new Scan(position, fileBytes, expected - 1, entries, null);
  }
}
