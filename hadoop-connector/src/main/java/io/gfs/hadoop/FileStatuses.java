package io.gfs.hadoop;

import io.gfs.client.GfsFileStatus;
import io.gfs.client.state.ChunkReplicas;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * gfs statuses as Hadoop FileStatus and LocatedFileStatus: paths qualified with the cluster's URI, owner, group and
 * permission as the master stores them (the caller's name and 0644/0755 only if a master did not say).
 */
final class FileStatuses {
  private static final short FILE_PERMISSION_DEFAULT = 0644;
  private static final short DIRECTORY_PERMISSION_DEFAULT = 0755;

  private final URI uri;
  private final String userName;

  FileStatuses(URI uri, String userName) {
    this.uri = uri;
    this.userName = userName;
  }

  /** status for an entry listed under (or found at) requested; names relative to requested are resolved first. */
  FileStatus toFileStatus(GfsFileStatus status, String requested) {
    Path qualified = new Path(uri.getScheme(), uri.getAuthority(), absolute(status.path(), requested));
    String owner = status.owner().isEmpty() ? userName : status.owner();
    String group = status.group().isEmpty() ? owner : status.group();
    if (status.directory()) {
      return new FileStatus(0, true, 0, 0, status.modificationTimeMillis(), status.accessTimeMillis(),
          permission(status, DIRECTORY_PERMISSION_DEFAULT), owner, group, qualified);
    }
    return new FileStatus(status.lengthBytes(), false, status.replication(), status.chunkSizeBytes(),
        status.modificationTimeMillis(), status.accessTimeMillis(), permission(status, FILE_PERMISSION_DEFAULT),
        owner, group, qualified);
  }

  /** The status with its chunks' block locations (none for a directory or an empty file). */
  LocatedFileStatus toLocated(GfsFileStatus status, String requested, List<ChunkReplicas> chunks) {
    FileStatus plain = toFileStatus(status, requested);
    if (status.directory() || status.lengthBytes() == 0) {
      return new LocatedFileStatus(plain, new org.apache.hadoop.fs.BlockLocation[0]);
    }
    return new LocatedFileStatus(plain, BlockLocations.of(chunks, status.chunkSizeBytes(), status.lengthBytes()));
  }

  private static FsPermission permission(GfsFileStatus status, short fallback) {
    short bits = status.permission() == GfsFileStatus.PERMISSION_UNKNOWN ? fallback : status.permission();
    return new FsPermission(bits);
  }

  private static String absolute(String path, String requested) {
    if (path.startsWith("/")) {
      return path;
    }
    return (requested.equals("/") ? "/" : requested + "/") + path;
  }
}
