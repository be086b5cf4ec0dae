package io.gfs.mapreduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader on files built byte by byte (on the local file system, whose block size stands in for the chunk size):
 * splits on chunk boundaries, committed records exactly once, and the documented limits of the scanning mode.
 */
class RecordAppendInputFormatTest {
  private static final int CHUNK = 4096;

  @TempDir
  Path tmp;

  private Configuration conf() {
    Configuration conf = new Configuration();
    conf.setLong("fs.local.block.size", CHUNK);
    return conf;
  }

  /** Five chunks: three committed writers, one uncommitted, a retried copy chunks away from its original, damage. */
  private static final class Scenario {
    final SyntheticFile file = new SyntheticFile();
    final Map<Long, List<Long>> acknowledged = new TreeMap<>(); // writer -> offsets by seq
    final List<String> expected = new ArrayList<>();

    Scenario() {
      long[] seqs = new long[4];
      for (int chunk = 0; chunk < 5; chunk++) {
        for (int i = 0; file.position() % CHUNK < CHUNK - 200; i++) {
          int writer = (chunk + i) % 4;
          long seq = seqs[writer]++;
          String payload = "w" + writer + "-s" + seq + "-" + "p".repeat((int) (seq * 7 % 90));
          Frame f = file.frame(writer, seq, payload);
          if (writer != 3) { // writer 3's task never committed
            acknowledged.computeIfAbsent((long) writer, w -> new ArrayList<>()).add(f.offsetBytes());
            expected.add(payload);
          }
          if (chunk == 1 && i == 2) {
            file.torn(7, 0, "x".repeat(100), 40);
          }
        }
        if (chunk == 3) {
          // A retried append of writer 0's first record that had in fact landed in chunk 0: same id, same payload.
          file.frame(0, 0, "w0-s0-");
        }
        file.padTo(CHUNK);
      }
    }

    org.apache.hadoop.fs.Path write(FileSystem fs, org.apache.hadoop.fs.Path dir, boolean markers)
        throws IOException {
      org.apache.hadoop.fs.Path records = RecordAppendOutputFormat.recordFile(dir);
      try (OutputStream out = fs.create(records)) {
        out.write(file.toByteArray());
      }
      if (markers) {
        fs.mkdirs(CommitLayout.pendingDir(records)); // leftovers of the pending area are ignored
        for (Map.Entry<Long, List<Long>> e : acknowledged.entrySet()) {
          org.apache.hadoop.fs.Path marker = new org.apache.hadoop.fs.Path(CommitLayout.commitsDir(records),
              "task_" + e.getKey());
          try (OutputStream out = fs.create(marker)) {
            CommitMarker.Writer w = new CommitMarker.Writer(out, e.getKey(), "attempt-" + e.getKey());
            for (long offset : e.getValue()) {
              w.add(offset);
            }
            w.finish();
          }
        }
      }
      return records;
    }
  }

  /** Reads every split; splits are one chunk unless splitBytes asks for larger ones (FileInputFormat's min size). */
  private static List<String> readAll(Configuration conf, org.apache.hadoop.fs.Path dir, long splitBytes,
      List<InputSplit> splitsOut) throws Exception {
    Job job = Job.getInstance(conf);
    FileInputFormat.addInputPath(job, dir);
    FileInputFormat.setMinInputSplitSize(job, splitBytes);
    RecordAppendInputFormat format = new RecordAppendInputFormat();
    List<InputSplit> splits = format.getSplits(job);
    splitsOut.addAll(splits);
    List<String> out = new ArrayList<>();
    for (InputSplit split : splits) {
      TaskAttemptContextImpl context = new TaskAttemptContextImpl(job.getConfiguration(), new TaskAttemptID());
      try (RecordReader<RecordId, org.apache.hadoop.io.BytesWritable> reader =
          format.createRecordReader(split, context)) {
        reader.initialize(split, context);
        while (reader.nextKeyValue()) {
          org.apache.hadoop.io.BytesWritable value = reader.getCurrentValue();
          out.add(new String(value.getBytes(), 0, value.getLength(), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  private static Map<String, Integer> multiset(List<String> values) {
    Map<String, Integer> m = new HashMap<>();
    values.forEach(v -> m.merge(v, 1, Integer::sum));
    return m;
  }

  @Test
  void committedRecordsComeBackExactlyOnceWithSplitsOnChunkBoundaries() throws Exception {
    Configuration conf = conf();
    FileSystem fs = FileSystem.getLocal(conf);
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(tmp.toUri().toString(), "out");
    Scenario s = new Scenario();
    s.write(fs, dir, true);
    for (long splitBytes : new long[] {1, CHUNK, CHUNK + CHUNK / 2, 2L * CHUNK, 100L * CHUNK}) {
      List<InputSplit> splits = new ArrayList<>();
      List<String> read = readAll(conf, dir, splitBytes, splits);
      assertEquals(multiset(s.expected), multiset(read), "split bytes " + splitBytes);
      assertEquals(s.expected.size(), read.size());
      for (InputSplit split : splits) {
        assertEquals(0, ((FileSplit) split).getStart() % CHUNK, "split " + split + " starts inside a chunk");
      }
      assertEquals(splitBytes >= 100L * CHUNK ? 1 : splitBytes >= 2L * CHUNK ? 3 : 5, splits.size(), "splits");
    }
  }

  @Test
  void withoutMarkersEveryIntactRecordIsReturnedOncePerSplit() throws Exception {
    Configuration conf = conf();
    FileSystem fs = FileSystem.getLocal(conf);
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(tmp.toUri().toString(), "raw");
    Scenario s = new Scenario();
    s.write(fs, dir, false);
    int all = (int) s.file.frames.stream().filter(f -> f.writerId() != 0 || f.seq() != 0).count() + 1;

    // One split: the retried copy is dropped, the uncommitted writer's records are returned (nothing says otherwise).
    List<String> oneSplit = readAll(conf, dir, 100L * CHUNK, new ArrayList<>());
    assertEquals(all, oneSplit.size());
    // One split per chunk: the copy in chunk 3 of a record from chunk 0 is the documented cross-split duplicate.
    List<String> perChunk = readAll(conf, dir, 1, new ArrayList<>());
    assertEquals(all + 1, perChunk.size());
    assertEquals(2, multiset(perChunk).get("w0-s0-"));
  }

  @Test
  void aMissingAcknowledgedRecordIsAnErrorNotASkip() throws Exception {
    Configuration conf = conf();
    FileSystem fs = FileSystem.getLocal(conf);
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(tmp.toUri().toString(), "lost");
    Scenario s = new Scenario();
    s.acknowledged.get(1L).set(3, s.acknowledged.get(1L).get(3) + 1); // the marker points one byte off
    s.write(fs, dir, true);
    IOException e = assertThrows(IOException.class, () -> readAll(conf, dir, 1, new ArrayList<>()));
    assertTrue(e.getMessage().contains("missing or damaged"), e.getMessage());
  }

  @Test
  void splitSizeIsRoundedToWholeChunks() {
    RecordAppendInputFormat format = new RecordAppendInputFormat();
    assertEquals(CHUNK, format.computeSplitSize(CHUNK, 1, CHUNK / 2));
    assertEquals(CHUNK, format.computeSplitSize(CHUNK, 1, CHUNK + 1));
    assertEquals(3L * CHUNK, format.computeSplitSize(CHUNK, 3L * CHUNK + 5, Long.MAX_VALUE));
  }
}
