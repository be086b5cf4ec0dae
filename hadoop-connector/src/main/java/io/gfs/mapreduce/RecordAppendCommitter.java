package io.gfs.mapreduce;

import java.io.IOException;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.OutputCommitter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;

/**
 * Commits record-append output without moving records: they are already in the one shared file. A task commits by
 * renaming its pending marker (its acknowledged offsets) to the task's name; readers return only records listed by a
 * committed marker, so the records of failed, killed or speculative attempts stay in the file but are never read.
 * The job commits by writing _SUCCESS; an aborted job's file and markers are deleted.
 */
final class RecordAppendCommitter extends OutputCommitter {
  private final Path recordFile;

  RecordAppendCommitter(Path recordFile) {
    this.recordFile = recordFile;
  }

  @Override
  public void setupJob(JobContext job) throws IOException {
    FileSystem fs = recordFile.getFileSystem(job.getConfiguration());
    fs.mkdirs(CommitLayout.pendingDir(recordFile));
    try {
      fs.create(recordFile, false).close();
    } catch (FileAlreadyExistsException e) {
      // a restarted job setup: the file is already there
    }
  }

  @Override
  public void setupTask(TaskAttemptContext task) {
    // Nothing: the record writer opens the attempt's pending marker itself.
  }

  @Override
  public boolean needsTaskCommit(TaskAttemptContext task) throws IOException {
    return fs(task).exists(CommitLayout.pendingMarker(recordFile, task.getTaskAttemptID()));
  }

  @Override
  public void commitTask(TaskAttemptContext task) throws IOException {
    TaskAttemptID attempt = task.getTaskAttemptID();
    Path pending = CommitLayout.pendingMarker(recordFile, attempt);
    Path committed = CommitLayout.committedMarker(recordFile, attempt.getTaskID());
    FileSystem fs = fs(task);
    if (!fs.rename(pending, committed) && !committedBy(fs, committed, attempt)) {
      throw new IOException("cannot commit " + attempt + ": " + committed + " exists (another attempt of the task"
          + " committed) or " + pending + " is missing");
    }
  }

  /**
   * Whether the committed marker is this attempt's own: a rename whose reply was lost is sent again by the client and
   * then finds its source gone, although the first send committed the task.
   */
  private static boolean committedBy(FileSystem fs, Path committed, TaskAttemptID attempt) throws IOException {
    if (!fs.exists(committed)) {
      return false;
    }
    long length = fs.getFileStatus(committed).getLen();
    try (java.io.InputStream in = fs.open(committed)) {
      return CommitMarker.read(in, length, committed.toString(), (writerId, seq, offset) -> { })
          .attempt().equals(attempt.toString());
    }
  }

  @Override
  public void abortTask(TaskAttemptContext task) throws IOException {
    fs(task).delete(CommitLayout.pendingMarker(recordFile, task.getTaskAttemptID()), false);
  }

  @Override
  public void commitJob(JobContext job) throws IOException {
    FileSystem fs = recordFile.getFileSystem(job.getConfiguration());
    fs.delete(CommitLayout.pendingDir(recordFile), true);
    if (job.getConfiguration().getBoolean(FileOutputCommitter.SUCCESSFUL_JOB_OUTPUT_DIR_MARKER, true)) {
      fs.create(new Path(recordFile.getParent(), FileOutputCommitter.SUCCEEDED_FILE_NAME), true).close();
    }
  }

  @Override
  public void abortJob(JobContext job, JobStatus.State state) throws IOException {
    FileSystem fs = recordFile.getFileSystem(job.getConfiguration());
    fs.delete(CommitLayout.commitsDir(recordFile), true);
    fs.delete(recordFile, false);
  }

  private FileSystem fs(TaskAttemptContext task) throws IOException {
    return recordFile.getFileSystem(task.getConfiguration());
  }
}
