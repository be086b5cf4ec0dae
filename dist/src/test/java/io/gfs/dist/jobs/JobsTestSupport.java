package io.gfs.dist.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/** What the jobs ITs share: cluster directories, local-mode job settings, reading text output. */
final class JobsTestSupport {
  private JobsTestSupport() {}

  /** A fresh directory under target/it for one test's cluster; kept after the run so its logs can be read. */
  static Path clusterDir(String name) throws IOException {
    Path dir = Path.of("target", "it", name).toAbsolutePath();
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(dir);
    return dir;
  }

  /** A client configuration for MapReduce in local mode: LocalJobRunner in this JVM, small buffers. */
  static Configuration localJobConf(Configuration clientConf, Path scratch) {
    Configuration conf = new Configuration(clientConf);
    conf.set("mapreduce.framework.name", "local");
    conf.set("mapreduce.cluster.local.dir", scratch.resolve("mapred-local").toString());
    conf.set("mapreduce.jobtracker.staging.root.dir", scratch.resolve("staging").toUri().toString());
    conf.set("hadoop.tmp.dir", scratch.resolve("tmp").toString());
    conf.setInt("mapreduce.task.io.sort.mb", 8);
    conf.setBoolean("mapreduce.job.speculative.execution", false);
    return conf;
  }

  /** Every line of every part file under dir. */
  static List<String> readLines(FileSystem fs, org.apache.hadoop.fs.Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    for (FileStatus status : fs.listStatus(dir)) {
      if (!status.getPath().getName().startsWith("part-")) {
        continue;
      }
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(status.getPath()),
          StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lines.add(line);
        }
      }
    }
    return lines;
  }

  static <T> Map<T, Integer> multiset(Iterable<T> values) {
    Map<T, Integer> m = new HashMap<>();
    values.forEach(v -> m.merge(v, 1, Integer::sum));
    return m;
  }
}
