package io.gfs.master.oplog;

import io.gfs.common.Crc32c;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Reads one log segment frame by frame. It stops at the first frame that is short, over-long or fails its CRC and
 * reports where the good frames end; the caller decides whether that is a torn tail (end of the last segment: truncate)
 * or corruption (anywhere else: fatal). A frame that checks out but does not decode, or breaks the sequence, is always
 * corruption. {@link #findLaterFrame} tells the two apart in the last segment: a torn tail has no valid record after
 * the bad frame, corruption in the middle does.
 */
final class SegmentReader {
  /** A lower bound on any frame: header, sequence number and kind byte (every record body adds to it). */
  static final int FRAME_BYTES_MIN = RecordCodec.HEADER_BYTES + 8 + 1;
  /** Bytes of candidate frame starts examined per read of the forward scan. */
  private static final int SCAN_WINDOW_BYTES = 1 << 20;

  /** A valid frame found after a bad one: where it starts and its sequence number. */
  record LaterFrame(long offsetBytes, long sequence) {}

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
          return new Scan(position, fileBytes, expected - 1, entries,
              "frame length " + length + " at byte " + position);
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

  /**
   * Looks for a frame starting at or after fromBytes that passes its CRC, decodes, and carries a sequence number after
   * lastGoodSequence. A crash mid-append leaves nothing like that behind the torn frame (the log only ever appends), so
   * finding one means acknowledged records sit behind a damaged one: corruption, not a torn tail. Cheap tests (length,
   * a plausible sequence number) run before the CRC, so a long tail of garbage is scanned quickly.
   */
  static LaterFrame findLaterFrame(Path file, long fromBytes, long lastGoodSequence) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileBytes = channel.size();
      ByteBuffer window = ByteBuffer.allocate(SCAN_WINDOW_BYTES + RecordCodec.HEADER_BYTES
          + RecordCodec.PAYLOAD_BYTES_MAX);
      for (long base = fromBytes; base + RecordCodec.HEADER_BYTES < fileBytes; base += SCAN_WINDOW_BYTES) {
        window.clear();
        while (window.hasRemaining() && base + window.position() < fileBytes) {
          if (channel.read(window, base + window.position()) < 0) {
            break;
          }
        }
        int filled = window.position();
        byte[] bytes = window.array();
        for (int at = 0; at < Math.min(SCAN_WINDOW_BYTES, filled - RecordCodec.HEADER_BYTES); at++) {
          LaterFrame found = frameAt(bytes, at, filled, base + at, fileBytes, lastGoodSequence);
          if (found != null) {
            return found;
          }
        }
      }
      return null;
    }
  }

  private static LaterFrame frameAt(byte[] bytes, int at, int filled, long offsetBytes, long fileBytes,
      long lastGoodSequence) {
    ByteBuffer header = ByteBuffer.wrap(bytes, at, RecordCodec.HEADER_BYTES);
    long length = Integer.toUnsignedLong(header.getInt());
    if (length < FRAME_BYTES_MIN - RecordCodec.HEADER_BYTES || length > RecordCodec.PAYLOAD_BYTES_MAX
        || at + RecordCodec.HEADER_BYTES + length > filled) {
      return null;
    }
    int crc = header.getInt();
    long sequence = ByteBuffer.wrap(bytes, at + RecordCodec.HEADER_BYTES, 8).getLong();
    // Records after this offset number at most (bytes left / smallest frame): rejects nearly all garbage cheaply.
    long sequenceMax = lastGoodSequence + 1 + (fileBytes - offsetBytes) / FRAME_BYTES_MIN;
    if (sequence <= lastGoodSequence || sequence > sequenceMax) {
      return null;
    }
    int payloadStart = at + RecordCodec.HEADER_BYTES;
    if (Crc32c.of(bytes, payloadStart, (int) length) != crc) {
      return null;
    }
    try {
      RecordCodec.decode(java.util.Arrays.copyOfRange(bytes, payloadStart, payloadStart + (int) length));
    } catch (IOException e) {
      return null;
    }
    return new LaterFrame(offsetBytes, sequence);
  }
}
