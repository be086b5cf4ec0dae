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
  /** "gfs://cluster", to which a plain path is appended and parsed once; null: every path takes Path's own way. */
  private final String plainPrefix;

  FileStatuses(URI uri, String userName) {
    this.uri = uri;
    this.userName = userName;
    this.plainPrefix = plainPrefix(uri);
  }

  /**
   * The cluster's "scheme://authority" if appending a plain path to it gives the very Path that Path's
   * (scheme, authority, path) constructor makes: that constructor quotes the parts, joins them and parses the result
   * again (with a regex pass and a normalize), a third of the client's CPU for a listing's entries (issue 6).
   */
  private static String plainPrefix(URI uri) {
    if (uri.getScheme() == null || uri.getRawAuthority() == null || !plainAuthority(uri.getRawAuthority())) {
      return null;
    }
    String prefix = uri.getScheme() + "://" + uri.getRawAuthority();
    Path probe = new Path(uri.getScheme(), uri.getAuthority(), "/x");
    return probe.equals(new Path(URI.create(prefix + "/x"))) ? prefix : null;
  }

  private static boolean plainAuthority(String authority) {
    for (int i = 0; i < authority.length(); i++) {
      char c = authority.charAt(i);
      if (!(plainChar(c) || c == ':')) {
        return false;
      }
    }
    return true;
  }

  /** path qualified with the cluster's URI, as {@code new Path(scheme, authority, path)} would make it. */
  Path qualified(String path) {
    if (plainPrefix != null && plainPath(path)) {
      return new Path(URI.create(plainPrefix + path));
    }
    return new Path(uri.getScheme(), uri.getAuthority(), path);
  }

  /**
   * An absolute path that needs no quoting and no normalizing: only unreserved URI characters, no empty, "." or ".."
   * segment, no trailing slash (but "/"). Every other path (spaces, '%', ':', non-ASCII...) takes Path's own way.
   */
  static boolean plainPath(String path) {
    int length = path.length();
    if (length == 0 || path.charAt(0) != '/') {
      return false;
    }
    if (length == 1) {
      return true;
    }
    int segmentStart = 1;
    for (int i = 1; i <= length; i++) {
      char c = i == length ? '/' : path.charAt(i);
      if (c == '/') {
        int segment = i - segmentStart;
        if (segment == 0 || (segment <= 2 && dots(path, segmentStart, i))) {
          return false;
        }
        segmentStart = i + 1;
      } else if (!plainChar(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean dots(String path, int from, int to) {
    for (int i = from; i < to; i++) {
      if (path.charAt(i) != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean plainChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
        || c == '.' || c == '~';
  }

  /** status for an entry listed under (or found at) requested; names relative to requested are resolved first. */
  FileStatus toFileStatus(GfsFileStatus status, String requested) {
    Path qualified = qualified(absolute(status.path(), requested));
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
