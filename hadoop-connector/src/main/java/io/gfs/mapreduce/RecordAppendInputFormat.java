package io.gfs.mapreduce;

import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;

/**
 * Reads record-append files: key = the record's {@link RecordId}, value = its payload. Splits fall on chunk boundaries
 * (whole chunks per split), and a record never crosses a chunk boundary [0107], so no record is cut by a split.
 *
 * <p>Which records come back, exactly once:
 * <ul>
 *   <li>Files written by {@link RecordAppendOutputFormat} have commit markers: a record is returned only at the offset
 *       gfs acknowledged to its writer, and only if that writer's task committed. Padding, torn pieces, retried copies
 *       (wherever they landed, even in another split) and the records of failed or speculative attempts are never
 *       returned. This is exact across splits.</li>
 *   <li>Other files (any program appending framed records with {@link RecordAppendWriter}) are scanned: a record is
 *       returned when its frame is intact (magic, length, CRC32C), and a repeated id is dropped within the split. A
 *       retried append whose copies landed in two different splits is returned twice; a job that must not see that
 *       groups by the {@link RecordId} key (a reduce keeping the first value of each key).</li>
 * </ul>
 */
public class RecordAppendInputFormat extends FileInputFormat<RecordId, BytesWritable> {
  @Override
  public RecordReader<RecordId, BytesWritable> createRecordReader(InputSplit split, TaskAttemptContext context) {
    return new RecordAppendRecordReader();
  }

  /** The configured split size rounded down to whole chunks, at least one chunk. */
  @Override
  protected long computeSplitSize(long blockSize, long minSize, long maxSize) {
    long size = super.computeSplitSize(blockSize, minSize, maxSize);
    if (blockSize <= 0) {
      return size;
    }
    return Math.max(1, size / blockSize) * blockSize;
  }
}
