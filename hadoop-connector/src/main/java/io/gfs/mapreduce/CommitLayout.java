package io.gfs.mapreduce;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;

/**
 * Where a job's record-append output lives. All tasks append to one file, {@code <output>/records}; each task attempt
 * streams its acknowledged offsets to {@code <output>/_commits/records/_pending/<attempt>}, and committing the task
 * renames that to {@code <output>/_commits/records/<task>} (a rename onto an existing name fails, so one attempt per
 * task wins). Names starting with "_" are hidden from FileInputFormat, so the output directory reads as one file.
 */
final class CommitLayout {
  static final String COMMITS_DIR = "_commits";
  static final String PENDING_DIR = "_pending";

  private CommitLayout() {}

  static Path commitsDir(Path recordFile) {
    return new Path(new Path(recordFile.getParent(), COMMITS_DIR), recordFile.getName());
  }

  static Path pendingDir(Path recordFile) {
    return new Path(commitsDir(recordFile), PENDING_DIR);
  }

  static Path pendingMarker(Path recordFile, TaskAttemptID attempt) {
    return new Path(pendingDir(recordFile), attempt.toString());
  }

  static Path committedMarker(Path recordFile, TaskID task) {
    return new Path(commitsDir(recordFile), task.toString());
  }

  /**
   * A writer id unique within one job: task type, task number and attempt number packed into 64 bits, so the id says
   * which attempt appended a record and a re-run attempt never reuses its predecessor's ids.
   */
  static long writerId(TaskAttemptID attempt) {
    TaskID task = attempt.getTaskID();
    return (long) (task.getTaskType().ordinal() + 1) << 56 | (long) task.getId() << 20 | (attempt.getId() & 0xFFFFF);
  }
}
