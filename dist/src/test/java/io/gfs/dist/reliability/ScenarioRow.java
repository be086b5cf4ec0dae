package io.gfs.dist.reliability;

import java.util.List;

/**
 * One row of the reliability table: a scenario and its figures from one run. The suite writes each as a TSV file
 * under dist/target/reliability/ (the same columns as {@link #HEADER}); other suites (the bad-input fuzzers) may drop
 * files of the same shape there, "-" for a figure they do not measure, and the generator merges them all.
 */
record ScenarioRow(String scenario, String seed, String operations, String faults, String acknowledgedLost,
    String corruptBytes, String badInputs, String violations) {
  static final List<String> HEADER = List.of("scenario", "seed", "operations", "faults", "acknowledged_lost",
      "corrupt_bytes", "bad_inputs", "violations");
  static final String NONE = "-";

  /** The row of a scenario whose checkers ran; violations counts every violation any of them found (0: passed). */
  static ScenarioRow of(ReliabilityRun run, long operations, long faults, List<CheckResult> results) {
    long lost = results.stream().mapToLong(CheckResult::acknowledgedLost).sum();
    long corrupt = results.stream().mapToLong(CheckResult::corruptBytes).sum();
    long violations = results.stream().mapToLong(r -> r.violations().size()).sum();
    return new ScenarioRow(run.scenario(), Long.toString(run.seed()), Long.toString(operations),
        Long.toString(faults), Long.toString(lost), Long.toString(corrupt), NONE, Long.toString(violations));
  }

  List<String> cells() {
    return List.of(scenario, seed, operations, faults, acknowledgedLost, corruptBytes, badInputs, violations);
  }

  static ScenarioRow fromCells(List<String> cells) {
    if (cells.size() != HEADER.size()) {
      throw new IllegalArgumentException("a reliability row has " + HEADER.size() + " cells: " + cells);
    }
    return new ScenarioRow(cells.get(0), cells.get(1), cells.get(2), cells.get(3), cells.get(4), cells.get(5),
        cells.get(6), cells.get(7));
  }
}
