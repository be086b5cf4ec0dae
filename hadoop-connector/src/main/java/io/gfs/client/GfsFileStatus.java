package io.gfs.client;

import io.gfs.common.Check;
import io.gfs.thrift.gen.FileInfo;

/** A file or directory as the master describes it. Directories have length 0 and no chunks. */
public record GfsFileStatus(String path, boolean directory, long lengthBytes, int replication, long chunkSizeBytes,
    long modificationTimeMillis, long chunkCount) {
  public GfsFileStatus {
    Check.notNull(path, "path");
    Check.argument(lengthBytes >= 0, "length %s < 0 for %s", lengthBytes, path);
    Check.argument(chunkCount >= 0, "chunk count %s < 0 for %s", chunkCount, path);
  }

  static GfsFileStatus of(FileInfo info) {
    return new GfsFileStatus(info.getPath(), info.isDirectory(), info.getLengthBytes(), info.getReplication(),
        info.getChunkSizeBytes(), info.getModificationTimeMillis(), info.getChunkCount());
  }
}
