package io.gfs.dist.reliability;

/**
 * One record append as a client saw it: the record (writer, seq), when the call began and returned
 * (System.nanoTime), and the offset gfs returned, or -1 when the call failed (not acknowledged: it may or may not
 * have landed, any number of times [0109]).
 */
record AppendAttempt(long writerId, long seq, long invokeNanos, long completeNanos, long offsetBytes) {
  boolean acknowledged() {
    return offsetBytes >= 0;
  }
}
