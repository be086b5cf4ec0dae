package io.gfs.dist.admin;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long admin operation (decommission, safe mode wait, balancer). On a terminal one line is redrawn in
 * place as a bar; otherwise (a pipe, a log file, a test) a plain line is written each time the progress changes, so
 * scripts and logs see every step without control characters.
 */
final class Progress {
  private static final int BAR_WIDTH = 30;

  private final PrintStream out;
  private final boolean terminal;
  private String lastLine = "";

  Progress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** done of total (total 0 counts as complete), and what the numbers mean. */
  void update(long done, long total, String detail) {
    double fraction = total <= 0 ? 1.0 : Math.min(1.0, Math.max(0.0, (double) done / total));
    String percent = String.format(Locale.ROOT, "%3d%%", (int) Math.floor(fraction * 100));
    if (terminal) {
      int filled = (int) Math.round(fraction * BAR_WIDTH);
      String line = "\r[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + percent + " " + detail;
      // Pad over a longer previous line so no stale characters remain.
      int pad = Math.max(0, lastLine.length() - line.length());
      out.print(line + " ".repeat(pad));
      out.flush();
      lastLine = line;
    } else {
      String line = percent + " " + detail;
      if (!line.equals(lastLine)) {
        out.println(line);
        out.flush();
        lastLine = line;
      }
    }
  }

  /** Ends the progress display (a terminal's bar line gets its newline). */
  void finish(String message) {
    if (terminal && !lastLine.isEmpty()) {
      out.println();
    }
    out.println(message);
    out.flush();
  }
}
