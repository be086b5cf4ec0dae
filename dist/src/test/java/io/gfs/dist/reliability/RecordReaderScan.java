package io.gfs.dist.reliability;

import io.gfs.mapreduce.RecordAppendInputFormat;
import io.gfs.mapreduce.RecordId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;

/**
 * Reads a record-append file the way a job does — every split through gfs's own record reader
 * (RecordAppendInputFormat, which skips padding and torn pieces) — and returns what it handed out, for the checker.
 */
final class RecordReaderScan {
  private RecordReaderScan() {}

  static List<RecordAppendChecker.ReadRecord> read(Configuration conf, String file) throws IOException {
    Job job = Job.getInstance(conf);
    FileInputFormat.addInputPath(job, new Path(file));
    RecordAppendInputFormat format = new RecordAppendInputFormat();
    List<RecordAppendChecker.ReadRecord> out = new ArrayList<>();
    try {
      for (InputSplit split : format.getSplits(job)) {
        TaskAttemptContext context = new TaskAttemptContextImpl(job.getConfiguration(), new TaskAttemptID());
        try (RecordReader<RecordId, BytesWritable> reader = format.createRecordReader(split, context)) {
          reader.initialize(split, context);
          while (reader.nextKeyValue()) {
            RecordId id = reader.getCurrentKey();
            BytesWritable value = reader.getCurrentValue();
            out.add(new RecordAppendChecker.ReadRecord(id.writerId(), id.seq(),
                Arrays.copyOf(value.getBytes(), value.getLength())));
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading " + file, e);
    }
    return out;
  }
}
