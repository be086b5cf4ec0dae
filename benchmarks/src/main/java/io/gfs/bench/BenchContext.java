package io.gfs.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** What a suite gets: the sizes, a scratch directory, the clusters (when it needs them) and a progress stream. */
final class BenchContext {
  static final List<String> SYSTEMS = List.of(Measurement.GFS, Measurement.HDFS);

  private final BenchConfig config;
  private final Path workDir;
  private final Clusters clusters;
  private final PrintStream progress;

  BenchContext(BenchConfig config, Path workDir, Clusters clusters, PrintStream progress) {
    this.config = config;
    this.workDir = workDir;
    this.clusters = clusters;
    this.progress = progress;
  }

  BenchConfig config() {
    return config;
  }

  Path workDir() {
    return workDir;
  }

  Clusters clusters() throws IOException {
    if (clusters == null) {
      throw new IOException("this suite needs the clusters, and none were started");
    }
    return clusters;
  }

  void progress(String format, Object... args) {
    progress.printf("bench: " + format + "%n", args);
    progress.flush();
  }
}
