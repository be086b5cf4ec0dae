package io.gfs.dist.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.dist.MiniGfsCluster;
import io.gfs.mapreduce.RecordAppendCounter;
import io.gfs.mapreduce.RecordAppendInputFormat;
import io.gfs.mapreduce.RecordAppendOutputFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.NLineInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Record append for jobs under a real fault [0109]: while 8 tasks append to one file, a chunkserver is frozen
 * (SIGSTOP) three times, twice past the call timeout and once past its lease and liveness timeout, so appends in
 * flight fail on it and are retried; a failed append may have landed on the other replicas, leaving copies the writer never acknowledged.
 * The job must still finish and the reader must return exactly the multiset written. How many retried copies the
 * freeze left behind depends on timing, so the test reports that number (a scan of the file without its commit markers
 * counts them) rather than requiring one.
 */
class RecordAppendFaultIT {
  private static final long CHUNK_BYTES = 1 << 20;
  private static final int TASKS = 8;

  @AfterEach
  void closeCachedFileSystems() throws IOException {
    FileSystem.closeAll();
  }

  @Test
  void aFrozenChunkServerMidJobLeavesTheReadBackExact() throws Exception {
    java.nio.file.Path base = JobsTestSupport.clusterDir("record-append-fault");
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(base.resolve("cluster"))
            .clusterName("appendfault").chunkServers(4).chunkSizeBytes(CHUNK_BYTES).separateProcesses(true)
            .leaseDurationMillis(3000).heartbeatIntervalMillis(300).chunkServerDeadAfterMillis(2000)
            .config("gfs.rpc.call.timeout.ms", "2000")
            .build()) {
      Configuration conf = JobsTestSupport.localJobConf(cluster.clientConfiguration(), base);
      conf.setInt("mapreduce.local.map.tasks.maximum", TASKS);
      conf.set("fs.gfs.rpc.call.timeout.ms", "2000");
      conf.set("fs.gfs.retries.max", "12");
      FileSystem fs = FileSystem.get(cluster.uri(), conf);
      Path tasks = new Path("/jobs/tasks.txt");
      try (OutputStream out = fs.create(tasks)) {
        for (int t = 0; t < TASKS; t++) {
          out.write((t + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      Path output = new Path("/jobs/appended");
      Job job = Job.getInstance(conf, "record append under a frozen chunkserver");
      job.setJarByClass(RecordAppendFaultIT.class);
      job.setInputFormatClass(NLineInputFormat.class);
      NLineInputFormat.setNumLinesPerSplit(job, 1);
      FileInputFormat.addInputPath(job, tasks);
      job.setMapperClass(RecordAppendJobIT.AppendingMapper.class);
      job.setNumReduceTasks(0);
      job.setOutputKeyClass(NullWritable.class);
      job.setOutputValueClass(Text.class);
      job.setOutputFormatClass(RecordAppendOutputFormat.class);
      FileOutputFormat.setOutputPath(job, output);
      job.submit();
      Path records = RecordAppendOutputFormat.recordFile(output);
      waitForBytes(fs, records, CHUNK_BYTES / 2);
      // Short freezes outlast the 2 s call timeout, so appends already pushed fail at the apply step and are retried;
      // the long one outlasts the lease (3 s) and the liveness timeout (2 s), so appends move on without the server.
      for (long freezeMillis : new long[] {2_500, 2_500, 6_000}) {
        cluster.pauseChunkServer(1);
        try {
          Thread.sleep(freezeMillis);
        } finally {
          cluster.resumeChunkServer(1);
        }
        Thread.sleep(1_000);
      }
      assertTrue(job.waitForCompletion(false), "append job failed: " + job.getStatus().getFailureInfo());

      List<String> written = new ArrayList<>();
      for (int t = 0; t < TASKS; t++) {
        for (int i = 0; i < RecordAppendJobIT.RECORDS_PER_TASK; i++) {
          written.add(RecordAppendJobIT.payload(t, i));
        }
      }
      Job exact = readJob(conf, output, new Path("/jobs/read"), false);
      assertEquals(JobsTestSupport.multiset(written),
          JobsTestSupport.multiset(JobsTestSupport.readLines(fs, new Path("/jobs/read"))));
      assertEquals(written.size(), exact.getCounters().findCounter(RecordAppendCounter.RECORDS).getValue());

      // Without the markers, one split over the whole file: every copy of a retried record is seen and dropped.
      Path commits = new Path(output, "_commits");
      assertTrue(fs.rename(commits, new Path("/jobs/hidden-commits")));
      Job scan = readJob(conf, output, new Path("/jobs/scan"), true);
      System.out.printf("frozen chunkserver: %d retried copies and %d damaged frames found by scanning, %d bytes"
          + " skipped%n", scan.getCounters().findCounter(RecordAppendCounter.DUPLICATES).getValue(),
          scan.getCounters().findCounter(RecordAppendCounter.DAMAGED_FRAMES).getValue(),
          scan.getCounters().findCounter(RecordAppendCounter.SKIPPED_BYTES).getValue());
      assertEquals(JobsTestSupport.multiset(written),
          JobsTestSupport.multiset(JobsTestSupport.readLines(fs, new Path("/jobs/scan"))));
    }
  }

  private static void waitForBytes(FileSystem fs, Path file, long bytes) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!fs.exists(file) || fs.getFileStatus(file).getLen() < bytes) {
      assertTrue(System.currentTimeMillis() < deadline, "the job did not start appending");
      Thread.sleep(50);
    }
  }

  private static Job readJob(Configuration conf, Path input, Path output, boolean oneSplit) throws Exception {
    Job job = Job.getInstance(conf, "record append: read back");
    job.setJarByClass(RecordAppendFaultIT.class);
    job.setInputFormatClass(RecordAppendInputFormat.class);
    FileInputFormat.addInputPath(job, input);
    if (oneSplit) {
      FileInputFormat.setMinInputSplitSize(job, Long.MAX_VALUE / 2);
    }
    job.setMapperClass(RecordAppendJobIT.PayloadMapper.class);
    job.setNumReduceTasks(0);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(NullWritable.class);
    job.setOutputFormatClass(TextOutputFormat.class);
    FileOutputFormat.setOutputPath(job, output);
    assertTrue(job.waitForCompletion(false), "read job failed: " + job.getStatus().getFailureInfo());
    return job;
  }
}
