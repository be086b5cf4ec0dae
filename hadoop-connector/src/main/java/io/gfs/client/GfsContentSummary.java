package io.gfs.client;

import io.gfs.common.Check;
import io.gfs.thrift.gen.ContentSummary;

/** What lies under a path, the path itself included: bytes, files, directories, and bytes times replication. */
public record GfsContentSummary(long lengthBytes, long fileCount, long directoryCount, long spaceConsumedBytes) {
  public GfsContentSummary {
    Check.argument(lengthBytes >= 0 && fileCount >= 0 && directoryCount >= 0 && spaceConsumedBytes >= 0,
        "negative count in summary: %s bytes, %s files, %s directories, %s consumed", lengthBytes, fileCount,
        directoryCount, spaceConsumedBytes);
  }

  static GfsContentSummary of(ContentSummary summary) {
    return new GfsContentSummary(summary.getLengthBytes(), summary.getFileCount(), summary.getDirectoryCount(),
        summary.getSpaceConsumedBytes());
  }
}
