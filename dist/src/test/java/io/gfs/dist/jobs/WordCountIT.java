package io.gfs.dist.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import io.gfs.dist.MiniGfsCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 3 item 5: WordCount in MapReduce's local mode, reading gfs:// input and writing gfs:// output through the
 * FileOutputCommitter (whose renames gfs does atomically). Splits follow chunk boundaries and name the chunkservers
 * that hold each chunk, so a scheduler could place tasks next to their data.
 */
class WordCountIT {
  private static final long CHUNK_BYTES = 1 << 20;
  private static final String[] WORDS = {"chunk", "master", "lease", "replica", "append", "record", "padding",
      "version", "heartbeat", "primary", "secondary", "snapshot", "garbage", "checksum", "mutation", "gfs"};

  public static final class TokenMapper extends Mapper<LongWritable, Text, Text, IntWritable> {
    private static final IntWritable ONE = new IntWritable(1);
    private final Text word = new Text();

    @Override
    protected void map(LongWritable offset, Text line, Context context) throws IOException, InterruptedException {
      for (String token : line.toString().split("\\s+")) {
        if (!token.isEmpty()) {
          word.set(token);
          context.write(word, ONE);
        }
      }
    }
  }

  public static final class SumReducer extends Reducer<Text, IntWritable, Text, IntWritable> {
    private final IntWritable sum = new IntWritable();

    @Override
    protected void reduce(Text word, Iterable<IntWritable> counts, Context context)
        throws IOException, InterruptedException {
      int total = 0;
      for (IntWritable c : counts) {
        total += c.get();
      }
      sum.set(total);
      context.write(word, sum);
    }
  }

  /** Jobs get their FileSystem from Hadoop's cache; a cached client must not outlive its cluster. */
  @AfterEach
  void closeCachedFileSystems() throws IOException {
    FileSystem.closeAll();
  }

  @Test
  void wordCountReadsAndWritesGfs() throws Exception {
    java.nio.file.Path base = JobsTestSupport.clusterDir("wordcount");
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(base.resolve("cluster"))
            .clusterName("wordcount").chunkServers(3).chunkSizeBytes(CHUNK_BYTES).build();
        FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
      Map<String, Integer> expected = new TreeMap<>();
      Path input = new Path("/wordcount/in");
      long[] sizes = {3 * CHUNK_BYTES + 12_345, CHUNK_BYTES / 3};
      for (int f = 0; f < sizes.length; f++) {
        writeText(fs, new Path(input, "text-" + f), sizes[f], f, expected);
      }

      Configuration conf = JobsTestSupport.localJobConf(cluster.clientConfiguration(), base);
      Job job = Job.getInstance(conf, "gfs wordcount");
      job.setJarByClass(WordCountIT.class);
      job.setMapperClass(TokenMapper.class);
      job.setCombinerClass(SumReducer.class);
      job.setReducerClass(SumReducer.class);
      job.setNumReduceTasks(2);
      job.setOutputKeyClass(Text.class);
      job.setOutputValueClass(IntWritable.class);
      FileInputFormat.addInputPath(job, input);
      Path output = new Path("/wordcount/out");
      FileOutputFormat.setOutputPath(job, output);

      checkSplits(fs, job, cluster);
      assertTrue(job.waitForCompletion(false), "the job failed: " + job.getStatus().getFailureInfo());

      Map<String, Integer> counted = new TreeMap<>();
      for (String line : JobsTestSupport.readLines(fs, output)) {
        String[] kv = line.split("\t");
        assertEquals(null, counted.put(kv[0], Integer.parseInt(kv[1])), "word twice in the output: " + kv[0]);
      }
      assertEquals(expected, counted);
      assertTrue(fs.exists(new Path(output, "_SUCCESS")));
      assertEquals(false, fs.exists(new Path(output, "_temporary")), "the committer left its temporary directory");
    }
  }

  /** Splits start on chunk boundaries; their hosts are those of the replicas of the chunk they start in. */
  private static void checkSplits(FileSystem fs, Job job, MiniGfsCluster cluster) throws Exception {
    Set<String> chunkServers = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      chunkServers.add(cluster.chunkServerAddress(i).toString());
    }
    List<InputSplit> splits = new TextInputFormat().getSplits(job);
    // 3 chunks and a bit (FileInputFormat folds a tail under 10% of a split into the last one), and 1/3 chunk.
    assertEquals(4, splits.size(), "splits: " + splits);
    for (InputSplit s : splits) {
      FileSplit split = (FileSplit) s;
      assertEquals(0, split.getStart() % CHUNK_BYTES, "split starts inside a chunk: " + split);
      FileStatus status = fs.getFileStatus(split.getPath());
      BlockLocation[] blocks = fs.getFileBlockLocations(status, split.getStart(), 1);
      assertEquals(1, blocks.length);
      assertEquals(split.getStart(), blocks[0].getOffset());
      assertEquals(3, blocks[0].getNames().length, "replicas of " + split);
      for (String name : blocks[0].getNames()) {
        assertTrue(chunkServers.contains(HostPort.parse(name).toString()), name + " is not a chunkserver");
      }
      Set<String> hosts = new HashSet<>(Arrays.asList(blocks[0].getHosts()));
      assertTrue(hosts.containsAll(Arrays.asList(split.getLocations())),
          "split hosts " + Arrays.toString(split.getLocations()) + " vs replica hosts " + hosts);
      assertTrue(split.getLocations().length > 0, "a split names no host: " + split);
    }
  }

  private static void writeText(FileSystem fs, Path path, long bytes, long seed, Map<String, Integer> counts)
      throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder line = new StringBuilder();
    long written = 0;
    try (OutputStream out = fs.create(path)) {
      while (written < bytes) {
        line.setLength(0);
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
          String word = WORDS[random.nextInt(WORDS.length)] + (random.nextInt(4) == 0 ? random.nextInt(50) : "");
          counts.merge(word, 1, Integer::sum);
          line.append(i == 0 ? "" : " ").append(word);
        }
        byte[] b = line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
        out.write(b);
        written += b.length;
      }
    }
  }
}
