package io.gfs.dist.admin;

import io.gfs.client.GfsAdmin;
import java.io.PrintStream;

/**
 * What a command runs with: the master's admin calls, where to write, whether that is a terminal (progress bars), and
 * how often long operations poll the master.
 */
record AdminContext(GfsAdmin admin, PrintStream out, PrintStream err, boolean terminal, long pollMillis) {
  Progress progress() {
    return new Progress(out, terminal);
  }

  /** Pauses between two polls of a long operation. */
  void pause() throws InterruptedException {
    Thread.sleep(pollMillis);
  }

  /** The deadline of a wait given with --timeout (none: Long.MAX_VALUE), as System.nanoTime() reads it. */
  static long deadlineNanos(Args args) throws UsageException {
    String timeout = args.option("timeout");
    if (timeout == null) {
      return Long.MAX_VALUE;
    }
    long millis = Formats.durationMillis(timeout);
    if (millis <= 0) {
      throw new UsageException("--timeout must be positive");
    }
    return System.nanoTime() + millis * 1_000_000L;
  }

  static boolean passed(long deadlineNanos) {
    return deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0;
  }
}
