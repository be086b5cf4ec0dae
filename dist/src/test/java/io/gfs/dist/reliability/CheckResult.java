package io.gfs.dist.reliability;

import java.util.ArrayList;
import java.util.List;

/**
 * What one checker decided about one history: the violations it found (empty = pass) and the figures the reliability
 * table reports (operations checked, acknowledged operations lost, corrupt bytes returned).
 */
record CheckResult(String checker, long operationsChecked, long acknowledgedLost, long corruptBytes,
    List<String> violations) {
  private static final int SHOWN_MAX = 25;

  CheckResult {
    violations = List.copyOf(violations);
  }

  boolean ok() {
    return violations.isEmpty();
  }

  /** Fails the calling test with the first violations (all of them are counted in the message). */
  void assertOk() {
    if (!ok()) {
      List<String> shown = violations.subList(0, Math.min(SHOWN_MAX, violations.size()));
      throw new AssertionError(checker + ": " + violations.size() + " violation(s) in " + operationsChecked
          + " operations:\n  " + String.join("\n  ", shown));
    }
  }

  /** Collects violations while a checker walks its history. */
  static final class Builder {
    private final String checker;
    private final List<String> violations = new ArrayList<>();
    private long operations;
    private long lost;
    private long corruptBytes;

    Builder(String checker) {
      this.checker = checker;
    }

    Builder violation(String format, Object... args) {
      violations.add(String.format(format, args));
      return this;
    }

    Builder operations(long count) {
      operations += count;
      return this;
    }

    Builder lost(long count) {
      lost += count;
      return this;
    }

    Builder corruptBytes(long count) {
      corruptBytes += count;
      return this;
    }

    CheckResult build() {
      return new CheckResult(checker, operations, lost, corruptBytes, violations);
    }
  }
}
