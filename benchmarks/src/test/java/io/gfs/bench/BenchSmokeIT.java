package io.gfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The runner end to end at smoke sizes, every suite, so it cannot rot: HDFS and gfs start, every workload runs on
 * both, the master-scale and JMH suites run, and the JSON, Markdown and chart appear. Timings are not asserted.
 */
class BenchSmokeIT {
  @Test
  void everySuiteRunsOnBothSystemsAndTheReportIsWritten() throws Exception {
    Path base = Path.of("target", "it", "bench-smoke");
    BenchRunner.Options options = new BenchRunner.Options(BenchConfig.smoke(),
        BenchRunner.SUITES.stream().map(Suite::name).toList(), false, base.resolve("results"), base.resolve("work"),
        null);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    BenchRunner.Result result;
    try (PrintStream out = new PrintStream(progress, true, StandardCharsets.UTF_8)) {
      result = BenchRunner.run(options, out);
    } finally {
      System.out.print(progress.toString(StandardCharsets.UTF_8));
    }
    Set<String> suites = result.measurements().stream().map(Measurement::suite).collect(Collectors.toSet());
    assertEquals(Set.of("seq", "pread", "small", "meta", "append", "dfsio", "scale", "micro"), suites);
    for (Measurement m : result.measurements()) {
      assertTrue(m.value() > 0 && Double.isFinite(m.value()), "figure " + m);
      assertTrue(!m.method().isBlank(), "every figure says how it was measured: " + m);
    }
    Set<String> compared = result.comparisons().stream().map(Comparison::suite).collect(Collectors.toSet());
    assertEquals(Set.of("seq", "pread", "small", "meta", "append", "dfsio"), compared,
        "every cluster workload has a gfs and an HDFS figure");
    assertTrue(Files.readString(result.jsonFile()).contains("\"comparisons\""));
    assertTrue(Files.readString(result.markdownFile()).contains("| workload | threads | gfs | HDFS |"));
    assertTrue(Files.size(result.chartFile()) > 1000);
  }
}
