package io.gfs.dist.reliability;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of the reliability table: a scenario and its figures from one run. The suite writes each as a TSV file
 * under dist/target/reliability/ (the same columns as {@link #HEADER}); other suites (the bad-input fuzzers) may drop
 * files of the same shape there, "-" for a figure they do not measure, and the generator merges them all. The last
 * three columns (what clients saw: throughput, longest call, errors) came later; a file or table row without them
 * reads as "-" there.
 */
record ScenarioRow(String scenario, String seed, String operations, String faults, String acknowledgedLost,
    String corruptBytes, String badInputs, String violations, String clientKibPerSecond, String longestCallMillis,
    String clientErrors) {
  static final List<String> HEADER = List.of("scenario", "seed", "operations", "faults", "acknowledged_lost",
      "corrupt_bytes", "bad_inputs", "violations", "client_kib_per_second", "longest_call_ms", "client_errors");
  /** The columns before the client view: files and rows of that shape are still read. */
  static final int CHECKER_COLUMNS = 8;
  static final String NONE = "-";

  /** A row without the client view. */
  ScenarioRow(String scenario, String seed, String operations, String faults, String acknowledgedLost,
      String corruptBytes, String badInputs, String violations) {
    this(scenario, seed, operations, faults, acknowledgedLost, corruptBytes, badInputs, violations, NONE, NONE, NONE);
  }

  /** The row of a scenario whose checkers ran; violations counts every violation any of them found (0: passed). */
  static ScenarioRow of(ReliabilityRun run, long operations, long faults, List<CheckResult> results) {
    long lost = results.stream().mapToLong(CheckResult::acknowledgedLost).sum();
    long corrupt = results.stream().mapToLong(CheckResult::corruptBytes).sum();
    long violations = results.stream().mapToLong(r -> r.violations().size()).sum();
    return new ScenarioRow(run.rowName(), Long.toString(run.seed()), Long.toString(operations),
        Long.toString(faults), Long.toString(lost), Long.toString(corrupt), NONE, Long.toString(violations));
  }

  /** The same, with what the clients saw. */
  static ScenarioRow of(ReliabilityRun run, long operations, long faults, List<CheckResult> results,
      ClientView clients) {
    ScenarioRow r = of(run, operations, faults, results);
    return new ScenarioRow(r.scenario, r.seed, r.operations, r.faults, r.acknowledgedLost, r.corruptBytes,
        r.badInputs, r.violations, Long.toString(clients.kibPerSecond()), Long.toString(clients.longestCallMillis()),
        Long.toString(clients.errors()));
  }

  List<String> cells() {
    return List.of(scenario, seed, operations, faults, acknowledgedLost, corruptBytes, badInputs, violations,
        clientKibPerSecond, longestCallMillis, clientErrors);
  }

  /** A row of all the columns, or of the first {@link #CHECKER_COLUMNS} (the client view then reads "-"). */
  static ScenarioRow fromCells(List<String> cells) {
    if (cells.size() != HEADER.size() && cells.size() != CHECKER_COLUMNS) {
      throw new IllegalArgumentException("a reliability row has " + HEADER.size() + " (or " + CHECKER_COLUMNS
          + ") cells: " + cells);
    }
    List<String> all = new ArrayList<>(cells);
    while (all.size() < HEADER.size()) {
      all.add(NONE);
    }
    return new ScenarioRow(all.get(0), all.get(1), all.get(2), all.get(3), all.get(4), all.get(5), all.get(6),
        all.get(7), all.get(8), all.get(9), all.get(10));
  }
}
