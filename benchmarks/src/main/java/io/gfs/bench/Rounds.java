package io.gfs.bench;

import io.gfs.common.Check;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rounds of a suite that measures gfs and HDFS cell by cell: in a round each cell (a workload at one client count)
 * runs on both systems back to back, and which system goes first alternates, so neither always runs in the other's
 * wake (the page cache, the disk's write-back, the load of a neighbour's build that drifts within a run). Collects
 * each cell's per-round figures; a reported figure is their median.
 */
final class Rounds {
  /** One cell of one system: its figure in each round, and the rounds (1-based) in which this system went first. */
  private record Cell(List<Double> values, List<Integer> firstIn) {}

  private final Map<String, Cell> cells = new LinkedHashMap<>();

  /**
   * The systems in the order cell {@code cell} (0-based, in the order a round runs them) of round {@code round}
   * (0-based) measures them: gfs first when {@code round + cell} is even. A cell's first system flips from round to
   * round whatever the number of cells in a round, and within a round it flips from cell to cell.
   */
  static List<String> systemsInOrder(int round, int cell) {
    Check.argument(round >= 0 && cell >= 0, "round %s or cell %s < 0", round, cell);
    List<String> order = new ArrayList<>(BenchContext.SYSTEMS);
    if ((round + cell) % 2 == 1) {
      Collections.reverse(order);
    }
    return order;
  }

  /** Records {@code value} as round {@code round}'s (1-based) figure of {@code system}'s cell {@code cell}. */
  void add(String system, String cell, int round, double value, boolean first) {
    Cell c = cells.computeIfAbsent(system + "|" + cell, k -> new Cell(new ArrayList<>(), new ArrayList<>()));
    Check.argument(c.values().size() == round - 1, "%s %s: round %s recorded after %s rounds", system, cell, round,
        c.values().size());
    c.values().add(value);
    if (first) {
      c.firstIn().add(round);
    }
  }

  List<Double> values(String system, String cell) {
    return List.copyOf(cell(system, cell).values());
  }

  double median(String system, String cell) {
    return Median.of(cell(system, cell).values());
  }

  /**
   * How the figure was made, for a Measurement's method: "median of 3 rounds (MiB/s 97.0, 146.2, 120.3); ... this
   * system first in round(s) 1, 3".
   */
  String describe(String system, String cell, String unit, String format) {
    Cell c = cell(system, cell);
    return "median of " + c.values().size() + " rounds (" + unit + " " + c.values().stream()
        .map(v -> String.format(Locale.ROOT, format, v)).collect(Collectors.joining(", "))
        + "); in each round this system's cell and the other's ran back to back, this one first in round(s) "
        + (c.firstIn().isEmpty() ? "none"
            : c.firstIn().stream().map(String::valueOf).collect(Collectors.joining(", ")));
  }

  private Cell cell(String system, String cell) {
    Cell c = cells.get(system + "|" + cell);
    Check.argument(c != null, "no figures of %s %s", system, cell);
    return c;
  }
}
