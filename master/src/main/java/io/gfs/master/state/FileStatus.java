package io.gfs.master.state;

import io.gfs.common.Check;

/** A file or directory as listings show it. Lengths are the sum of the chunks' known lengths. */
public record FileStatus(String path, boolean directory, long lengthBytes, int replication,
    long modificationTimeMillis, long chunkCount, PermissionStatus permission, long accessTimeMillis) {
  public FileStatus {
    Check.notNull(path, "path");
    Check.notNull(permission, "permission");
    Check.argument(lengthBytes >= 0 && chunkCount >= 0, "negative length %s or chunk count %s", lengthBytes,
        chunkCount);
  }
}
