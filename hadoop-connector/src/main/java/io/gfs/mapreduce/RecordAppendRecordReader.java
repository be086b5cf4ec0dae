package io.gfs.mapreduce;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;

/** Reads one split of a record-append file; see {@link RecordAppendInputFormat} for which records it returns. */
final class RecordAppendRecordReader extends RecordReader<RecordId, BytesWritable> {
  /** Reads go to gfs in pieces of this size (the largest piece a chunkserver serves at once). */
  static final int WINDOW_BYTES = 1 << 20;

  private final RecordId key = new RecordId();
  private final BytesWritable value = new BytesWritable();
  private TaskAttemptContext context;
  private FSDataInputStream in;
  private AcknowledgedFrames acknowledged;
  private FrameScanner scanner;
  private Set<RecordId> seen;
  private long start;
  private long end;
  private long lastOffset;
  private long reportedSkippedBytes;

  @Override
  public void initialize(InputSplit genericSplit, TaskAttemptContext taskContext) throws IOException {
    FileSplit split = (FileSplit) genericSplit;
    this.context = taskContext;
    Path file = split.getPath();
    FileSystem fs = file.getFileSystem(taskContext.getConfiguration());
    FileStatus status = fs.getFileStatus(file);
    int frameBytesMax = RecordFrame.frameBytesMax(status.getBlockSize());
    start = split.getStart();
    end = start + split.getLength();
    lastOffset = start;
    in = fs.open(file);
    PositionedSource source = in::read;
    AcknowledgedRecords acks = AcknowledgedRecords.load(fs, file, start, end);
    if (acks != null) {
      acknowledged = new AcknowledgedFrames(source, acks, start, end, frameBytesMax, WINDOW_BYTES,
          file.toString());
    } else {
      scanner = new FrameScanner(source, start, end, frameBytesMax, WINDOW_BYTES);
      seen = new HashSet<>();
    }
  }

  @Override
  public boolean nextKeyValue() throws IOException {
    Frame frame = acknowledged != null ? acknowledged.next() : nextUnseen();
    reportSkipped();
    if (frame == null) {
      return false;
    }
    key.set(frame.writerId(), frame.seq());
    value.set(frame.payload(), 0, frame.payload().length);
    lastOffset = frame.offsetBytes();
    count(RecordAppendCounter.RECORDS, 1);
    return true;
  }

  private Frame nextUnseen() throws IOException {
    long damagedBefore = scanner.rejectedCandidates();
    try {
      for (Frame frame = scanner.next(); frame != null; frame = scanner.next()) {
        if (seen.add(new RecordId(frame.writerId(), frame.seq()))) {
          return frame;
        }
        count(RecordAppendCounter.DUPLICATES, 1);
      }
      return null;
    } finally {
      count(RecordAppendCounter.DAMAGED_FRAMES, scanner.rejectedCandidates() - damagedBefore);
    }
  }

  private void reportSkipped() {
    long skipped = acknowledged != null ? acknowledged.skippedBytes() : scanner.skippedBytes();
    count(RecordAppendCounter.SKIPPED_BYTES, skipped - reportedSkippedBytes);
    reportedSkippedBytes = skipped;
  }

  private void count(RecordAppendCounter counter, long amount) {
    if (amount != 0 && context != null && context.getCounter(counter) != null) {
      context.getCounter(counter).increment(amount);
    }
  }

  @Override
  public RecordId getCurrentKey() {
    return key;
  }

  @Override
  public BytesWritable getCurrentValue() {
    return value;
  }

  @Override
  public float getProgress() {
    return end == start ? 1f : Math.min(1f, (lastOffset - start) / (float) (end - start));
  }

  @Override
  public void close() throws IOException {
    if (in != null) {
      in.close();
    }
  }
}
