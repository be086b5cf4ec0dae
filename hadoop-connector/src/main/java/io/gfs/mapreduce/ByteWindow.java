package io.gfs.mapreduce;

import io.gfs.common.Check;
import java.io.IOException;

/**
 * A sliding window over a file, read in large positioned reads so that scanning byte by byte or reading many small
 * frames costs one read per window rather than one per frame. Positions only move forward.
 */
final class ByteWindow {
  private final PositionedSource source;
  private final int refillBytes;
  private byte[] bytes;
  private long windowStart;
  private int windowLength;
  private boolean endOfFile;

  ByteWindow(PositionedSource source, long startPosition, int refillBytes) {
    Check.argument(refillBytes > 0, "refill bytes %s <= 0", refillBytes);
    this.source = source;
    this.refillBytes = refillBytes;
    this.bytes = new byte[refillBytes];
    this.windowStart = startPosition;
  }

  /**
   * Makes bytes [position, position + count) available if the file has them and returns how many of them are (less
   * than count only at the end of the file). {@code position} must not be before an earlier call's position.
   */
  int ensure(long position, int count) throws IOException {
    Check.argument(position >= windowStart, "position %s moved back before %s", position, windowStart);
    if (position + count <= windowStart + windowLength) {
      return count;
    }
    slideTo(position, count);
    while (windowLength < count && !endOfFile) {
      int n = source.read(windowStart + windowLength, bytes, windowLength,
          Math.max(count - windowLength, Math.min(refillBytes, bytes.length - windowLength)));
      if (n < 0) {
        endOfFile = true;
      } else {
        windowLength += n;
      }
    }
    return Math.min(count, windowLength);
  }

  /** Drops bytes before position; grows the buffer if one frame needs more than it holds. */
  private void slideTo(long position, int count) {
    int keep = (int) Math.max(0, windowStart + windowLength - position);
    int from = windowLength - keep;
    if (count > bytes.length) {
      byte[] bigger = new byte[Math.max(count, refillBytes)];
      System.arraycopy(bytes, from, bigger, 0, keep);
      bytes = bigger;
    } else if (keep > 0 && from > 0) {
      System.arraycopy(bytes, from, bytes, 0, keep);
    }
    windowStart = position;
    windowLength = keep;
  }

  /** The buffer holding the window; index {@link #indexOf(long)} of a position made available by ensure. */
  byte[] bytes() {
    return bytes;
  }

  int indexOf(long position) {
    long index = position - windowStart;
    Check.state(index >= 0 && index <= windowLength, "position %s outside the window at %s+%s", position,
        windowStart, windowLength);
    return (int) index;
  }

  /** Bytes available in the window from position on (without reading more). */
  int availableFrom(long position) {
    return (int) Math.max(0, windowStart + windowLength - position);
  }
}
