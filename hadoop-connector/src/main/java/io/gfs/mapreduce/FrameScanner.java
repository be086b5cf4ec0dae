package io.gfs.mapreduce;

import io.gfs.common.Check;
import java.io.IOException;
import java.util.Arrays;

/**
 * Finds every valid frame whose first byte lies in [start, end) by scanning [0110]: at a valid frame (magic, sane
 * length, CRC32C) it returns the frame and jumps over it; anywhere else it moves to the next occurrence of the magic.
 * A failed check moves on by one byte, not by the claimed length, because a torn piece may have been overwritten by a
 * later record that starts inside it. Padding (zeros, [0107]) holds no magic and is passed over quickly. A frame that
 * starts before end may end after it: the scanner reads on to its end, so a record is never cut by a split.
 */
final class FrameScanner {
  private static final byte MAGIC_FIRST_BYTE = (byte) (RecordFrame.MAGIC >>> 24);

  private final ByteWindow window;
  private final long end;
  private final int payloadBytesMax;
  private long position;
  private long skippedBytes;
  private long rejectedCandidates;

  FrameScanner(PositionedSource source, long start, long end, int frameBytesMax, int windowBytes) {
    Check.argument(start >= 0 && start <= end, "bad range [%s, %s)", start, end);
    Check.argument(frameBytesMax > RecordFrame.HEADER_BYTES, "frame max %s too small", frameBytesMax);
    this.window = new ByteWindow(source, start, windowBytes);
    this.end = end;
    this.payloadBytesMax = frameBytesMax - RecordFrame.HEADER_BYTES;
    this.position = start;
  }

  /** The next valid frame starting before end, or null when there is none. */
  Frame next() throws IOException {
    while (position < end) {
      int available = window.ensure(position, RecordFrame.HEADER_BYTES);
      if (available < RecordFrame.HEADER_BYTES) {
        skip(available); // a header cannot fit before the end of the file
        return null;
      }
      byte[] bytes = window.bytes();
      int at = window.indexOf(position);
      int claimed = RecordFrame.claimedFrameBytes(bytes, at, payloadBytesMax);
      if (claimed > 0) {
        available = window.ensure(position, claimed);
        bytes = window.bytes();
        at = window.indexOf(position);
        int length = RecordFrame.validLength(bytes, at, available, payloadBytesMax);
        if (length >= 0) {
          Frame frame = new Frame(position, RecordFrame.writerIdAt(bytes, at), RecordFrame.seqAt(bytes, at),
              Arrays.copyOfRange(bytes, at + RecordFrame.HEADER_BYTES, at + RecordFrame.HEADER_BYTES + length));
          position += frame.frameBytes();
          return frame;
        }
        rejectedCandidates++;
      }
      skip(distanceToNextCandidate(bytes, window.indexOf(position), window.availableFrom(position)));
    }
    return null;
  }

  /** Bytes from index at to the next possible magic start (at least 1), searching what the window holds. */
  private int distanceToNextCandidate(byte[] bytes, int at, int available) {
    long limit = Math.min(available, end - position);
    for (int i = 1; i < limit; i++) {
      if (bytes[at + i] == MAGIC_FIRST_BYTE) {
        return i;
      }
    }
    return (int) Math.max(1, limit);
  }

  private void skip(long bytes) {
    position += bytes;
    skippedBytes += bytes;
  }

  /** Bytes passed over that were not part of a returned frame: padding, torn pieces, garbage. */
  long skippedBytes() {
    return skippedBytes;
  }

  /** Places that began with the magic but failed the length or CRC check (torn or partial records). */
  long rejectedCandidates() {
    return rejectedCandidates;
  }

  long position() {
    return position;
  }
}
