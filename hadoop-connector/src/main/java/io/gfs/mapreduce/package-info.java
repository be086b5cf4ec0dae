/**
 * MapReduce on gfs record append [0104, 0109-0110]: {@link io.gfs.mapreduce.RecordAppendOutputFormat} lets all tasks
 * of a job append framed records concurrently into one file; {@link io.gfs.mapreduce.RecordAppendInputFormat} returns
 * each committed record exactly once, skipping padding, torn pieces, duplicates of retried appends and the records of
 * attempts that did not commit. {@link io.gfs.mapreduce.RecordAppendWriter} appends framed records outside MapReduce.
 * Uses only the public API of {@link io.gfs.hadoop.GfsFileSystem}.
 */
package io.gfs.mapreduce;
