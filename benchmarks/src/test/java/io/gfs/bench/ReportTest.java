package io.gfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's arithmetic and files: comparisons, goals, JSON, Markdown, chart, docs markers, arguments. */
class ReportTest {
  private static final List<Measurement> FIGURES = List.of(
      new Measurement("seq", "sequential write", "gfs", 1, 300, "MiB/s", true, "w"),
      new Measurement("seq", "sequential write", "hdfs", 1, 200, "MiB/s", true, "w \"quoted\"\n"),
      new Measurement("meta", "mkdir", "gfs", 8, 1000, "ops/s", true, "m"),
      new Measurement("meta", "mkdir", "hdfs", 8, 2000, "ops/s", true, "m"),
      new Measurement("append", "record append", "gfs", 16, 270, "MiB/s", true, "a"),
      new Measurement("scale", "master heap per file", "gfs-master", 1, 80, "bytes", false, "h"),
      new Measurement("scale", "master restart", "gfs-master", 1, 2.5, "s", false, "r"),
      new Measurement("dfsio", "job time", "gfs", 4, 10, "s", false, "t"),
      new Measurement("dfsio", "job time", "hdfs", 4, 20, "s", false, "t"));

  @Test
  void comparisonsPairGfsWithHdfsAndTurnTimesAround() {
    List<Comparison> c = Comparison.of(FIGURES);
    assertEquals(3, c.size());
    assertEquals(1.5, c.get(0).advantage(), 1e-9);
    assertEquals(0.5, c.get(1).advantage(), 1e-9);
    assertEquals(2.0, c.get(2).advantage(), 1e-9, "half the time is twice as good");
  }

  @Test
  void goalsFollowTheIssue() {
    List<Goal> goals = Goal.evaluate(FIGURES, Comparison.of(FIGURES));
    assertTrue(goal(goals, "sequential write x1 vs HDFS").met(), "1.5x >= 1.3x");
    assertFalse(goal(goals, "mkdir x8 vs HDFS").met(), "0.5x < 2x");
    assertFalse(goal(goals, "master heap per file").met());
    assertTrue(goal(goals, "master restart with the scale file count").met());
  }

  @Test
  void theAppendGoalIsTheAppendSuitesSameRoundRatioEvenWhenTheSeqSuiteRan() {
    List<Measurement> appendOnly = List.of(
        new Measurement("append", "record append", "gfs", 16, 120, "MiB/s", true, "a"),
        new Measurement("append", RecordAppendSuite.SINGLE_WRITER, "gfs", 1, 200, "MiB/s", true, "s"),
        new Measurement("append", RecordAppendSuite.SAME_ROUND_RATIO, "gfs", 16, 0.7, "x", true, "r"));
    Goal append = goal(Goal.evaluate(appendOnly, Comparison.of(appendOnly)), Goal.APPEND_GOAL);
    assertEquals(0.7, append.measured(), 1e-9, "the rounds' ratios' median, not the medians' ratio 0.6");
    assertFalse(append.met());
    List<Measurement> both = new java.util.ArrayList<>(appendOnly);
    both.add(new Measurement("seq", "sequential write", "gfs", 1, 100, "MiB/s", true, "w"));
    assertEquals(0.7, goal(Goal.evaluate(both, Comparison.of(both)), Goal.APPEND_GOAL).measured(), 1e-9,
        "the seq suite's 1 GiB writer, measured minutes away, is not the reference");
  }

  @Test
  void withoutTheAppendSuitesSameRoundRatioThereIsNoAppendGoal() {
    assertTrue(Goal.evaluate(FIGURES, Comparison.of(FIGURES)).stream()
        .noneMatch(g -> g.name().equals(Goal.APPEND_GOAL)), "FIGURES has x16 appenders and seq's writer only");
  }

  private static Goal goal(List<Goal> goals, String name) {
    return goals.stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void jsonEscapesAndCarriesEveryPart() {
    String json = Json.render(run(), FIGURES, Comparison.of(FIGURES), Goal.evaluate(FIGURES, Comparison.of(FIGURES)));
    assertTrue(json.contains("\"method\": \"w \\\"quoted\\\"\\n\""), json);
    assertTrue(json.contains("\"loadAverageBefore\": 0.500000"), json);
    assertTrue(json.contains("\"gfsAdvantage\": 1.50000"), json);
    assertEquals(json.chars().filter(ch -> ch == '{').count(), json.chars().filter(ch -> ch == '}').count());
    assertEquals("\"\\u0001\"", Json.quote("\u0001"));
  }

  @Test
  void markdownHasTheTablesAndEveryMethod(@TempDir Path dir) throws Exception {
    String md = Markdown.render(run(), FIGURES, Comparison.of(FIGURES), List.of(), "chart.png");
    assertTrue(md.contains("| seq: sequential write | 1 | 300.0 | 200.0 | MiB/s | 1.50x |"), md);
    assertTrue(md.contains("| scale: master heap per file | 1 | 80.0 | bytes |"), md);
    assertTrue(md.contains("- append: record append x16 (gfs): a"), md);
    assertTrue(md.contains("load average 0.50 before, 0.70 after"), md);
    assertTrue(md.contains("![gfs / HDFS per workload](chart.png)"), md);
  }

  @Test
  void chartIsAReadablePng(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("chart.png");
    Chart.write(Comparison.of(FIGURES), "test", png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(image.getWidth() > 500 && image.getHeight() > 100);
  }

  @Test
  void docsAreReplacedBetweenTheMarkersOnly(@TempDir Path dir) throws Exception {
    Path docs = dir.resolve("benchmarks.md");
    Files.writeString(docs, "intro\n" + BenchRunner.DOCS_BEGIN + "\nold figures\n" + BenchRunner.DOCS_END
        + "\nlimits\n");
    BenchRunner.updateDocs(docs, dir, dir.resolve("results/chart.png"), run(), FIGURES, Comparison.of(FIGURES),
        List.of());
    String text = Files.readString(docs);
    assertTrue(text.startsWith("intro\n" + BenchRunner.DOCS_BEGIN + "\nRun "), text);
    assertTrue(text.endsWith(BenchRunner.DOCS_END + "\nlimits\n"), text);
    assertFalse(text.contains("old figures"));
    assertTrue(text.contains("](results/chart.png)"), text);
    Files.writeString(docs, "no markers");
    assertThrows(java.io.IOException.class, () -> BenchRunner.updateDocs(docs, dir, dir.resolve("c.png"), run(),
        FIGURES, List.of(), List.of()));
  }

  @Test
  void argumentsChooseSizesSuitesAndDocs() {
    BenchRunner.Options full = BenchRunner.parse(new String[0]);
    assertEquals("full", full.config().name());
    assertEquals(List.copyOf(BenchRunner.suiteNames().keySet()), full.suites());
    assertEquals(Path.of("docs", "benchmarks.md"), full.docsFile());
    BenchRunner.Options smoke = BenchRunner.parse(new String[] {"--smoke", "meta", "scale", "--gfs-processes"});
    assertEquals("smoke", smoke.config().name());
    assertEquals(List.of("meta", "scale"), smoke.suites());
    assertTrue(smoke.gfsProcesses());
    assertEquals(null, smoke.docsFile(), "smoke figures never replace the published ones by default");
    assertEquals(Path.of("benchmarks", "target", "smoke-results"), smoke.outDir());
    assertEquals(Path.of("benchmarks", "results"), full.outDir());
    assertThrows(IllegalArgumentException.class, () -> BenchRunner.parse(new String[] {"nosuch"}));
    assertThrows(IllegalArgumentException.class, () -> BenchRunner.parse(new String[] {"--out"}));
  }

  @Test
  void fullSizesAreTheIssues() {
    BenchConfig full = BenchConfig.full();
    assertEquals(1L << 30, full.sequentialBytes());
    assertEquals(List.of(1, 4), full.sequentialClients());
    assertEquals(List.of(1, 8), full.smallFileThreads());
    assertEquals(List.of(1, 8, 32), full.metadataThreads());
    assertEquals(List.of(1, 4, 16), full.appendWriters());
    assertEquals(1_000_000, full.scaleFiles());
  }

  private static RunInfo run() {
    return new RunInfo(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:10:00Z"), "full",
        List.of("seq"), "in this JVM", "2 cores", 0.5, 0.7);
  }
}
