package io.gfs.dist.reliability;

/**
 * One fault as it happened: its kind and target and the interval (System.nanoTime) from injecting it to healing it.
 * Checkers use windows to decide which anomalies a fault excuses (a duplicate record from a retried append).
 */
record FaultWindow(FaultKind kind, String target, long startNanos, long endNanos) {
  FaultWindow {
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("fault window ends before it starts: " + startNanos + " > " + endNanos);
    }
  }

  /** Whether [fromNanos, toNanos] meets this window widened by graceNanos on both sides. */
  boolean overlaps(long fromNanos, long toNanos, long graceNanos) {
    return fromNanos <= endNanos + graceNanos && toNanos >= startNanos - graceNanos;
  }
}
