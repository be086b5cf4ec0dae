package io.gfs.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./bin/gfs bench [--smoke] [--gfs-processes] [--out DIR] [--docs FILE] [SUITE...]}: starts HDFS and gfs
 * side by side in one run, drives both through the same Hadoop FileSystem code, measures the master's scale and the
 * JMH microbenchmarks, and writes the results as JSON, a Markdown report and a chart (and, for a full run, the
 * figures section of docs/benchmarks.md).
 */
public final class BenchRunner {
  /** Every suite, in the order they run: the cluster suites first, then the ones that want the JVM to themselves. */
  static final List<Suite> SUITES = List.of(new SequentialSuite(), new SmallFilesSuite(), new MetadataSuite(),
      new RecordAppendSuite(), new DfsIoSuite(), new MasterScaleSuite(), new MicroSuite());
  static final String DOCS_BEGIN = "<!-- bench:begin (written by ./bin/gfs bench; edit outside these markers) -->";
  static final String DOCS_END = "<!-- bench:end -->";
  private static final String USAGE = "usage: gfs bench [--smoke] [--gfs-processes] [--out DIR] [--work DIR]"
      + " [--docs FILE|--no-docs] [SUITE...]   suites: seq small meta append dfsio scale micro (default: all)";

  /** What one invocation asks for. */
  record Options(BenchConfig config, List<String> suites, boolean gfsProcesses, Path outDir, Path workDir,
      Path docsFile) {}

  /** What one run produced. */
  record Result(RunInfo run, List<Measurement> measurements, List<Comparison> comparisons, List<Goal> goals,
      Path jsonFile, Path markdownFile, Path chartFile) {}

  private BenchRunner() {}

  public static void main(String[] args) {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("gfs bench: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    try {
      Result result = run(options, System.out);
      System.out.println();
      System.out.println(Files.readString(result.markdownFile()));
      System.out.println("bench: results in " + result.jsonFile() + ", " + result.markdownFile() + ", "
          + result.chartFile());
    } catch (IOException | RuntimeException | Error e) {
      // Exit even on an Error: MiniDFSCluster's and the servers' non-daemon threads would keep the JVM alive.
      e.printStackTrace();
      System.err.println("gfs bench: failed: " + e);
      System.exit(1);
    }
    // MiniDFSCluster and JMH leave non-daemon threads behind.
    System.exit(0);
  }

  static Options parse(String[] args) {
    BenchConfig config = BenchConfig.full();
    boolean processes = false;
    Path out = Path.of("benchmarks", "results");
    Path work = Path.of("benchmarks", "target", "bench-work");
    Path docs = Path.of("docs", "benchmarks.md");
    boolean docsSet = false;
    boolean outSet = false;
    List<String> suites = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--smoke" -> config = BenchConfig.smoke();
        case "--gfs-processes" -> processes = true;
        case "--out" -> {
          out = Path.of(value(args, ++i, a));
          outSet = true;
        }
        case "--work" -> work = Path.of(value(args, ++i, a));
        case "--docs" -> {
          docs = Path.of(value(args, ++i, a));
          docsSet = true;
        }
        case "--no-docs" -> {
          docs = null;
          docsSet = true;
        }
        default -> {
          if (a.startsWith("-") || SUITES.stream().noneMatch(s -> s.name().equals(a))) {
            throw new IllegalArgumentException("unknown argument or suite '" + a + "'");
          }
          suites.add(a);
        }
      }
    }
    if (suites.isEmpty()) {
      SUITES.forEach(s -> suites.add(s.name()));
    }
    if (config.name().equals("smoke")) {
      // Smoke figures never replace the published ones unless asked to.
      docs = docsSet ? docs : null;
      out = outSet ? out : Path.of("benchmarks", "target", "smoke-results");
    }
    return new Options(config, List.copyOf(suites), processes, out, work, docs);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  /** Runs the chosen suites and writes the results; the progress lines go to {@code progress}. */
  static Result run(Options options, PrintStream progress) throws IOException {
    Instant started = Instant.now();
    double loadBefore = RunInfo.loadAverage();
    deleteRecursively(options.workDir());
    Files.createDirectories(options.workDir());
    List<Suite> chosen = SUITES.stream().filter(s -> options.suites().contains(s.name())).toList();
    List<Measurement> measurements = new ArrayList<>();
    String deployment = "no cluster suites ran";
    progress.printf("bench: %s run of %s; load average %.2f%n", options.config().name(), options.suites(),
        loadBefore);
    if (chosen.stream().anyMatch(Suite::needsClusters)) {
      try (Clusters clusters = Clusters.start(options.workDir().resolve("clusters"), options.gfsProcesses())) {
        deployment = clusters.deployment();
        progress.println("bench: " + deployment);
        BenchContext context = new BenchContext(options.config(), options.workDir(), clusters, progress);
        for (Suite suite : chosen) {
          if (suite.needsClusters()) {
            measurements.addAll(suite.run(context));
          }
        }
      }
    }
    BenchContext solo = new BenchContext(options.config(), options.workDir(), null, progress);
    for (Suite suite : chosen) {
      if (!suite.needsClusters()) {
        measurements.addAll(suite.run(solo));
      }
    }
    RunInfo run = new RunInfo(started, Instant.now(), options.config().name(), options.suites(), deployment,
        RunInfo.describeMachine(), loadBefore, RunInfo.loadAverage());
    return write(options, run, measurements);
  }

  private static Result write(Options options, RunInfo run, List<Measurement> measurements) throws IOException {
    List<Comparison> comparisons = Comparison.of(measurements);
    List<Goal> goals = Goal.evaluate(measurements, comparisons);
    Path out = options.outDir();
    Files.createDirectories(out);
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(run.started());
    String json = Json.render(run, measurements, comparisons, goals);
    Path jsonFile = out.resolve(stamp + "-" + run.config() + ".json");
    Files.writeString(jsonFile, json, StandardCharsets.UTF_8);
    Files.writeString(out.resolve("latest-" + run.config() + ".json"), json, StandardCharsets.UTF_8);
    Path chartFile = out.resolve("chart-" + run.config() + ".png");
    Chart.write(comparisons, "gfs vs HDFS, " + run.config() + " run of " + run.started(), chartFile);
    Path markdownFile = out.resolve("latest-" + run.config() + ".md");
    Files.writeString(markdownFile, Markdown.render(run, measurements, comparisons, goals,
        chartFile.getFileName().toString()), StandardCharsets.UTF_8);
    if (options.docsFile() != null) {
      updateDocs(options.docsFile(), out, chartFile, run, measurements, comparisons, goals);
    }
    return new Result(run, measurements, comparisons, goals, jsonFile, markdownFile, chartFile);
  }

  /** Replaces the figures between the markers of docs/benchmarks.md, keeping the hand-written text around them. */
  static void updateDocs(Path docs, Path outDir, Path chartFile, RunInfo run, List<Measurement> measurements,
      List<Comparison> comparisons, List<Goal> goals) throws IOException {
    if (!Files.exists(docs)) {
      return;
    }
    String text = Files.readString(docs, StandardCharsets.UTF_8);
    int begin = text.indexOf(DOCS_BEGIN);
    int end = text.indexOf(DOCS_END);
    if (begin < 0 || end < begin) {
      throw new IOException(docs + " lacks the markers " + DOCS_BEGIN + " ... " + DOCS_END);
    }
    String chart = docs.toAbsolutePath().getParent().relativize(chartFile.toAbsolutePath()).toString();
    String figures = Markdown.render(run, measurements, comparisons, goals, chart);
    Files.writeString(docs, text.substring(0, begin + DOCS_BEGIN.length()) + "\n" + figures
        + text.substring(end), StandardCharsets.UTF_8);
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Suite names, for the usage text and tests. */
  static Map<String, Boolean> suiteNames() {
    Map<String, Boolean> names = new LinkedHashMap<>();
    SUITES.forEach(s -> names.put(s.name(), s.needsClusters()));
    return names;
  }
}
