package io.gfs.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.TestDFSIO;
import org.apache.hadoop.util.ToolRunner;

/**
 * Hadoop's own TestDFSIO (the mapreduce jobclient tests jar) against both file systems: a write pass then a read
 * pass, as MapReduce jobs in local mode (LocalJobRunner in this JVM, all map tasks at once). The figures are
 * TestDFSIO's own "Throughput mb/sec" (total MB over the sum of the tasks' I/O times) from its result file.
 */
final class DfsIoSuite implements Suite {
  private static final Pattern THROUGHPUT = Pattern.compile("Throughput mb/sec:\\s*([0-9.]+)");
  private static final Pattern EXEC_TIME = Pattern.compile("Test exec time sec:\\s*([0-9.]+)");

  @Override
  public String name() {
    return "dfsio";
  }

  @Override
  public boolean needsClusters() {
    return true;
  }

  @Override
  public List<Measurement> run(BenchContext context) throws IOException {
    BenchConfig config = context.config();
    List<Measurement> out = new ArrayList<>();
    for (String system : BenchContext.SYSTEMS) {
      Path scratch = context.workDir().resolve("dfsio-" + system);
      Files.createDirectories(scratch);
      Configuration conf = jobConf(context.clusters().clientConfiguration(system), scratch, config.dfsIoFiles());
      for (String pass : List.of("write", "read")) {
        Path resultFile = scratch.resolve(pass + ".txt");
        int exit;
        try {
          exit = ToolRunner.run(conf, new TestDFSIO(), new String[] {"-" + pass, "-nrFiles",
              Integer.toString(config.dfsIoFiles()), "-size", config.dfsIoFileMegabytes() + "MB", "-resFile",
              resultFile.toString()});
        } catch (Exception e) {
          throw new IOException("TestDFSIO -" + pass + " on " + system + ": " + e, e);
        }
        if (exit != 0) {
          throw new IOException("TestDFSIO -" + pass + " on " + system + " exited " + exit);
        }
        String result = Files.readString(resultFile, StandardCharsets.UTF_8);
        double throughput = number(THROUGHPUT, result, resultFile);
        double execSeconds = number(EXEC_TIME, result, resultFile);
        out.add(new Measurement("dfsio", "TestDFSIO " + pass, system, config.dfsIoFiles(), throughput, "MB/s", true,
            "TestDFSIO -" + pass + " -nrFiles " + config.dfsIoFiles() + " -size " + config.dfsIoFileMegabytes()
                + "MB in MapReduce local mode (" + config.dfsIoFiles() + " concurrent map tasks); TestDFSIO's"
                + " 'Throughput mb/sec' (total MB / sum of task I/O seconds); job wall time " + execSeconds + " s"));
        context.progress("%s TestDFSIO %s: %.1f MB/s (job %.1f s)", system, pass, throughput, execSeconds);
      }
      try {
        ToolRunner.run(conf, new TestDFSIO(), new String[] {"-clean"});
      } catch (Exception e) {
        throw new IOException("TestDFSIO -clean on " + system + ": " + e, e);
      }
    }
    return out;
  }

  private static Configuration jobConf(Configuration client, Path scratch, int files) {
    Configuration conf = new Configuration(client);
    conf.set("mapreduce.framework.name", "local");
    conf.setInt("mapreduce.local.map.tasks.maximum", files);
    conf.set("mapreduce.cluster.local.dir", scratch.resolve("mapred-local").toString());
    conf.set("mapreduce.jobtracker.staging.root.dir", scratch.resolve("staging").toUri().toString());
    conf.set("hadoop.tmp.dir", scratch.resolve("tmp").toString());
    conf.setBoolean("mapreduce.job.speculative.execution", false);
    // TestDFSIO keeps its control and data files here, on the file system under test.
    conf.set("test.build.data", "/bench/TestDFSIO");
    return conf;
  }

  private static double number(Pattern pattern, String text, Path file) throws IOException {
    Matcher m = pattern.matcher(text);
    double last = Double.NaN;
    while (m.find()) {
      last = Double.parseDouble(m.group(1));
    }
    if (Double.isNaN(last)) {
      throw new IOException(file + " has no line matching " + pattern);
    }
    return last;
  }
}
