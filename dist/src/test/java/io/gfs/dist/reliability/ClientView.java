package io.gfs.dist.reliability;

/**
 * What the clients of a scenario saw, beside what the checkers decide: bytes the client library accepted and
 * acknowledged per second of the workload, the longest single call (an append, or a create, write, hsync or close:
 * a stall), and the calls that failed after the library's own retries (errors). Measured, never asserted: timings on
 * a shared machine are not a property of the code.
 */
record ClientView(long bytes, long elapsedNanos, long longestCallNanos, long errors) {
  ClientView {
    if (bytes < 0 || elapsedNanos < 0 || longestCallNanos < 0 || errors < 0) {
      throw new IllegalArgumentException("negative figure in " + this);
    }
  }

  /** Two workloads that ran side by side over the same time. */
  ClientView plus(ClientView other) {
    return new ClientView(bytes + other.bytes, Math.max(elapsedNanos, other.elapsedNanos),
        Math.max(longestCallNanos, other.longestCallNanos), errors + other.errors);
  }

  long kibPerSecond() {
    return elapsedNanos == 0 ? 0 : (long) (bytes / 1024.0 / (elapsedNanos / 1e9));
  }

  long longestCallMillis() {
    return longestCallNanos / 1_000_000;
  }

  @Override
  public String toString() {
    return String.format("clients: %d KiB/s, longest call %d ms, %d errors", kibPerSecond(), longestCallMillis(),
        errors);
  }
}
