package io.gfs.client;

import io.gfs.common.Check;
import io.gfs.thrift.gen.FileInfo;

/**
 * A file or directory as the master describes it. Directories have length 0 and no chunks. Owner, group and permission
 * are stored by the master (recorded, not yet enforced): owner and group "" and permission -1 when a master did not
 * say; accessTimeMillis 0 when unknown.
 */
public record GfsFileStatus(String path, boolean directory, long lengthBytes, int replication, long chunkSizeBytes,
    long modificationTimeMillis, long chunkCount, String owner, String group, short permission,
    long accessTimeMillis) {
  /** Permission bits that mean "not told". */
  public static final short PERMISSION_UNKNOWN = -1;

  public GfsFileStatus {
    Check.notNull(path, "path");
    Check.notNull(owner, "owner");
    Check.notNull(group, "group");
    Check.argument(lengthBytes >= 0, "length %s < 0 for %s", lengthBytes, path);
    Check.argument(chunkCount >= 0, "chunk count %s < 0 for %s", chunkCount, path);
    Check.argument(permission >= PERMISSION_UNKNOWN && permission <= 07777, "permission %s outside [-1, 07777]",
        permission);
  }

  static GfsFileStatus of(FileInfo info) {
    return new GfsFileStatus(info.getPath(), info.isDirectory(), info.getLengthBytes(), info.getReplication(),
        info.getChunkSizeBytes(), info.getModificationTimeMillis(), info.getChunkCount(),
        info.isSetOwner() ? info.getOwner() : "", info.isSetGroup() ? info.getGroup() : "",
        info.isSetPermission() ? info.getPermission() : PERMISSION_UNKNOWN,
        info.isSetAccessTimeMillis() ? info.getAccessTimeMillis() : 0);
  }
}
