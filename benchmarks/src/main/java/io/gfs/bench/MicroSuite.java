package io.gfs.bench;

import io.gfs.bench.micro.ChecksumBench;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The JMH microbenchmarks of io.gfs.bench.micro, run through JMH's Runner; scores become measurements. */
final class MicroSuite implements Suite {
  private static final double MIB = 1 << 20;

  @Override
  public String name() {
    return "micro";
  }

  @Override
  public boolean needsClusters() {
    return false;
  }

  @Override
  public List<Measurement> run(BenchContext context) throws IOException {
    BenchConfig config = context.config();
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include("io\\.gfs\\.bench\\.micro\\..*")
        .forks(config.jmhForked() ? 1 : 0)
        .warmupIterations(config.jmhIterations())
        .warmupTime(TimeValue.milliseconds(config.jmhIterationMillis()))
        .measurementIterations(config.jmhIterations())
        .measurementTime(TimeValue.milliseconds(config.jmhIterationMillis()))
        .jvmArgs("-Xmx3g", "-Dgfs.bench.tmp=" + context.workDir().toAbsolutePath(),
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
        .shouldFailOnError(true);
    if (!config.jmhForked()) {
      System.setProperty("gfs.bench.tmp", context.workDir().toAbsolutePath().toString());
    }
    Collection<RunResult> results;
    try {
      results = new Runner(options.build()).run();
    } catch (RunnerException e) {
      throw new IOException("JMH: " + e.getMessage(), e);
    }
    List<Measurement> out = new ArrayList<>();
    String how = "JMH 1.37, throughput mode, " + (config.jmhForked() ? "1 fork, " : "in this JVM, ")
        + config.jmhIterations() + " warmup + " + config.jmhIterations() + " measured iterations of "
        + config.jmhIterationMillis() + " ms";
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark();
      String simple = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
      double score = result.getPrimaryResult().getScore();
      int threads = result.getParams().getThreads();
      if (benchmark.contains(ChecksumBench.class.getSimpleName())) {
        out.add(new Measurement("micro", simple, "gfs", threads, score * ChecksumBench.PIECE_BYTES / MIB, "MiB/s",
            true, how + "; 1 MiB per operation, one thread"));
      } else {
        out.add(new Measurement("micro", simple, "gfs", threads, score, "ops/s", true, how + "; " + threads
            + " thread(s)"));
      }
      context.progress("%s x%d: %.1f %s", simple, threads, score, result.getPrimaryResult().getScoreUnit());
    }
    return out;
  }
}
