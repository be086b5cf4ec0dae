package io.gfs.dist.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The table of docs/reliability.md, produced by the suite: each scenario writes its row as a TSV under
 * dist/target/reliability/; with -Dgfs.rewrite=true the rows found there replace the same scenarios' rows between the
 * table's markers in the document (rows of scenarios not run keep their committed figures). ReliabilityDocTest checks
 * the committed table's shape, not any run's numbers.
 */
final class ReliabilityTable {
  static final String BEGIN = "<!-- BEGIN reliability table: written by the reliability suite with -Dgfs.rewrite=true;"
      + " do not edit by hand -->";
  static final String END = "<!-- END reliability table -->";
  static final List<String> TITLES = List.of("Scenario", "Seed", "Operations", "Faults injected",
      "Acknowledged operations lost", "Corrupt bytes returned", "Bad inputs tried", "Checker violations",
      "Client KiB/s", "Longest client call (ms)", "Client errors");
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
  static final Pattern FIGURE = Pattern.compile("-|[0-9]+");

  private ReliabilityTable() {}

  static Path resultsDir() {
    return Path.of("target", "reliability").toAbsolutePath();
  }

  static Path document() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no docs/ directory above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("docs").resolve("reliability.md");
  }

  /** Writes the scenario's row, then regenerates the document's table when -Dgfs.rewrite=true. */
  static void record(ScenarioRow row) {
    try {
      Files.createDirectories(resultsDir());
      String tsv = String.join("\t", ScenarioRow.HEADER) + "\n" + String.join("\t", row.cells()) + "\n";
      Files.writeString(resultsDir().resolve(row.scenario() + ".tsv"), tsv, StandardCharsets.UTF_8);
      if (Boolean.getBoolean("gfs.rewrite")) {
        rewrite(document(), resultsDir());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void rewrite(Path document, Path results) throws IOException {
    String text = Files.readString(document, StandardCharsets.UTF_8);
    Map<String, ScenarioRow> rows = new TreeMap<>();
    for (ScenarioRow r : parse(text)) {
      rows.put(r.scenario(), r);
    }
    try (Stream<Path> files = Files.list(results)) {
      for (Path tsv : files.filter(p -> p.toString().endsWith(".tsv")).sorted().toList()) {
        List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        List<String> header = lines.isEmpty() ? List.of() : Arrays.asList(lines.get(0).split("\t"));
        if (!header.equals(ScenarioRow.HEADER)
            && !header.equals(ScenarioRow.HEADER.subList(0, ScenarioRow.CHECKER_COLUMNS))) {
          throw new IOException(tsv + " does not start with the header " + ScenarioRow.HEADER);
        }
        for (String line : lines.subList(1, lines.size())) {
          if (!line.isBlank()) {
            ScenarioRow r = ScenarioRow.fromCells(Arrays.asList(line.split("\t", -1)));
            rows.put(r.scenario(), merge(rows.get(r.scenario()), r));
          }
        }
      }
    }
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    String table = render(List.copyOf(rows.values()));
    Files.writeString(document, text.substring(0, begin) + BEGIN + "\n" + table + text.substring(end),
        StandardCharsets.UTF_8);
  }

  /** A file that measures only bad inputs (a fuzzer's) fills that column of an existing row, and vice versa. */
  private static ScenarioRow merge(ScenarioRow old, ScenarioRow fresh) {
    if (old == null) {
      return fresh;
    }
    List<String> a = old.cells();
    List<String> b = fresh.cells();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(b.get(i).equals(ScenarioRow.NONE) ? a.get(i) : b.get(i));
    }
    return ScenarioRow.fromCells(out);
  }

  static String render(List<ScenarioRow> rows) {
    StringBuilder b = new StringBuilder();
    b.append("| ").append(String.join(" | ", TITLES)).append(" |\n");
    b.append("|---").append("|---:".repeat(TITLES.size() - 1)).append("|\n");
    for (ScenarioRow r : rows) {
      b.append("| ").append(String.join(" | ", r.cells())).append(" |\n");
    }
    return b.toString();
  }

  /** The rows between the markers; throws if the table is not in the generated shape. */
  static List<ScenarioRow> parse(String document) {
    int begin = document.indexOf(BEGIN);
    int end = document.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("the reliability table's markers are missing or out of order");
    }
    List<String> lines = document.substring(begin + BEGIN.length(), end).strip().lines().toList();
    List<String> titles = lines.isEmpty() ? List.of() : cells(lines.get(0));
    if (lines.size() < 2
        || !(titles.equals(TITLES) || titles.equals(TITLES.subList(0, ScenarioRow.CHECKER_COLUMNS)))) {
      throw new IllegalArgumentException("the table's header is not " + TITLES + ": " + lines);
    }
    List<ScenarioRow> rows = new ArrayList<>();
    for (String line : lines.subList(2, lines.size())) {
      ScenarioRow r = ScenarioRow.fromCells(cells(line));
      if (!NAME.matcher(r.scenario()).matches()) {
        throw new IllegalArgumentException("bad scenario name in row: " + line);
      }
      for (String figure : r.cells().subList(1, r.cells().size())) {
        if (!FIGURE.matcher(figure).matches()) {
          throw new IllegalArgumentException("a figure is a whole number or '-': " + line);
        }
      }
      rows.add(r);
    }
    return rows;
  }

  private static List<String> cells(String line) {
    String t = line.strip();
    if (!t.startsWith("|") || !t.endsWith("|")) {
      throw new IllegalArgumentException("not a table row: " + line);
    }
    return Arrays.stream(t.substring(1, t.length() - 1).split("\\|", -1)).map(String::strip).toList();
  }
}
