package io.gfs.master.state;

import io.gfs.common.Check;

/**
 * What lies under a path, the path itself included (HDFS's ContentSummary): total known length, files, directories,
 * and the space the replicas take (each file's length times its replication target).
 */
public record ContentSummary(long lengthBytes, long fileCount, long directoryCount, long spaceConsumedBytes) {
  public ContentSummary {
    Check.argument(lengthBytes >= 0 && fileCount >= 0 && directoryCount >= 0 && spaceConsumedBytes >= 0,
        "negative count in %s/%s/%s/%s", lengthBytes, fileCount, directoryCount, spaceConsumedBytes);
  }
}
