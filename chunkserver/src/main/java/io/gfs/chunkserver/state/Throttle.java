package io.gfs.chunkserver.state;

import io.gfs.common.Check;

/**
 * Paces a stream of bytes to at most {@code bytesPerSecond}: background work (scrubbing [0131], cloning [0072]) asks
 * before moving each piece and waits the answer, so client traffic keeps its share of the disk and the network. Unused
 * time is not saved up: after an idle spell the next piece goes at once, but no burst beyond it. Time comes in as
 * {@code nowMillis}; the caller does the waiting. Thread-safe.
 */
public final class Throttle {
  /** The most one request may ask for, so the arithmetic in microseconds cannot overflow. */
  public static final long REQUEST_BYTES_MAX = 1L << 40;

  private final long bytesPerSecond;
  /** When, in microseconds of the caller's clock, the bytes granted so far have had their time. */
  private long busyUntilMicros = Long.MIN_VALUE;

  public Throttle(long bytesPerSecond) {
    Check.argument(bytesPerSecond > 0, "rate %s bytes/s <= 0", bytesPerSecond);
    this.bytesPerSecond = bytesPerSecond;
  }

  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  /** Books {@code bytes} and returns how many milliseconds the caller waits before moving them (0: go now). */
  public synchronized long acquire(long bytes, long nowMillis) {
    Check.argument(bytes >= 0 && bytes <= REQUEST_BYTES_MAX, "request of %s bytes outside [0, %s]", bytes,
        REQUEST_BYTES_MAX);
    long nowMicros = Math.multiplyExact(nowMillis, 1000L);
    long startMicros = Math.max(nowMicros, busyUntilMicros);
    busyUntilMicros = startMicros + bytes * 1_000_000L / bytesPerSecond;
    long waitMicros = startMicros - nowMicros;
    return (waitMicros + 999) / 1000;
  }
}
