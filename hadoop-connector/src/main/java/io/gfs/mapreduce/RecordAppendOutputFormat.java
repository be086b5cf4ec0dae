package io.gfs.mapreduce;

import io.gfs.hadoop.GfsFileSystem;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapred.FileAlreadyExistsException;
import org.apache.hadoop.mapred.InvalidJobConfException;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.OutputCommitter;
import org.apache.hadoop.mapreduce.OutputFormat;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;

/**
 * Every task of a job appends its records concurrently into ONE gfs file, {@code <output>/records}, with gfs record
 * append [0104, 0109-0110]: no per-task part files, no renames of data at commit. Each record is framed
 * ({@link RecordFrame}: magic, length, id = task attempt + sequence number, CRC32C). Read the output back with
 * {@link RecordAppendInputFormat}, which returns each committed record exactly once. Set the output directory with
 * {@link FileOutputFormat#setOutputPath}; it must not exist yet and must be on gfs.
 */
public class RecordAppendOutputFormat<K, V> extends OutputFormat<K, V> {
  /** The name of the one file all tasks append to, inside the output directory. */
  public static final String FILE_NAME = "records";

  /** The record file of a job's output directory. */
  public static Path recordFile(Path outputDir) {
    return new Path(outputDir, FILE_NAME);
  }

  @Override
  public RecordWriter<K, V> getRecordWriter(TaskAttemptContext context) throws IOException {
    Path file = recordFile(outputDir(context));
    FileSystem fs = file.getFileSystem(context.getConfiguration());
    TaskAttemptID attempt = context.getTaskAttemptID();
    long writerId = CommitLayout.writerId(attempt);
    FSDataOutputStream markerStream = fs.create(CommitLayout.pendingMarker(file, attempt), true);
    try {
      CommitMarker.Writer marker = new CommitMarker.Writer(markerStream, writerId, attempt.toString());
      RecordAppendWriter writer = RecordAppendWriter.open(fs, file, writerId, (seq, offset) -> marker.add(offset));
      return new RecordAppendRecordWriter<>(writer, markerStream, marker);
    } catch (IOException | RuntimeException e) {
      markerStream.close();
      throw e;
    }
  }

  @Override
  public void checkOutputSpecs(JobContext context) throws IOException {
    Path dir = outputDir(context);
    FileSystem fs = dir.getFileSystem(context.getConfiguration());
    if (!(fs instanceof GfsFileSystem)
        || !fs.hasPathCapability(dir, GfsFileSystem.CAPABILITY_RECORD_APPEND)) {
      throw new InvalidJobConfException("record append output needs a gfs:// directory, not " + dir);
    }
    if (fs.exists(dir)) {
      throw new FileAlreadyExistsException("output directory " + dir + " already exists");
    }
  }

  @Override
  public OutputCommitter getOutputCommitter(TaskAttemptContext context) throws IOException {
    return new RecordAppendCommitter(recordFile(outputDir(context)));
  }

  private static Path outputDir(JobContext context) throws IOException {
    Path dir = FileOutputFormat.getOutputPath(context);
    if (dir == null) {
      throw new InvalidJobConfException("no output directory set (FileOutputFormat.setOutputPath)");
    }
    return dir.getFileSystem(context.getConfiguration()).makeQualified(dir);
  }
}
