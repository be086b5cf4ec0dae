package io.gfs.master.state;

import io.gfs.common.GfsPaths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides the attribute mutations (permission, owner, times, replication) and concat. Like every decide method, these
 * run under the caller's path locks, refuse with a {@link StateError} or return the record to log; the record applies
 * through {@link MasterState#apply} only.
 */
final class MetadataDecisions {
  /** Bytes of source paths one concat may name: its log record must stay far below the op log's record limit. */
  static final int CONCAT_SOURCE_PATH_BYTES_MAX = 48 * 1024;

  private final NamespaceQueries queries;
  private final ChunkCoordinator coordinator;
  private final long chunkSizeBytes;

  MetadataDecisions(NamespaceQueries queries, ChunkCoordinator coordinator, long chunkSizeBytes) {
    this.queries = queries;
    this.coordinator = coordinator;
    this.chunkSizeBytes = chunkSizeBytes;
  }

  Decision setPermission(List<String> c, String path, short permission) {
    queries.existing(c, path);
    if (!PermissionStatus.validPermission(permission)) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "permission %s of %s outside [0, 07777]",
          Integer.toOctalString(permission & 0xffff), path);
    }
    return Decision.log(new LogRecord.SetPermission(GfsPaths.join(c), permission));
  }

  Decision setOwner(List<String> c, String path, String owner, String group) {
    queries.existing(c, path);
    for (String name : new String[] {owner, group}) {
      if (name != null && !PermissionStatus.validName(name)) {
        return Decision.reject(StateError.INVALID_ARGUMENT, "owner or group '%s' of %s is empty, longer than %s "
            + "characters or has control characters", name, path, PermissionStatus.NAME_CHARS_MAX);
      }
    }
    if (owner == null && group == null) {
      return Decision.noop(true);
    }
    return Decision.log(new LogRecord.SetOwner(GfsPaths.join(c), owner, group));
  }

  Decision setTimes(List<String> c, String path, long modificationTimeMillis, long accessTimeMillis) {
    queries.existing(c, path);
    if (modificationTimeMillis < LogRecord.SetTimes.UNCHANGED || accessTimeMillis < LogRecord.SetTimes.UNCHANGED) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "times %s/%s of %s: -1 leaves one unchanged, other "
          + "negative values are invalid", modificationTimeMillis, accessTimeMillis, path);
    }
    if (modificationTimeMillis == LogRecord.SetTimes.UNCHANGED && accessTimeMillis == LogRecord.SetTimes.UNCHANGED) {
      return Decision.noop(true);
    }
    return Decision.log(new LogRecord.SetTimes(GfsPaths.join(c), modificationTimeMillis, accessTimeMillis));
  }

  /** false for a directory (as HDFS answers), nothing logged when the target is already the file's. */
  Decision setReplication(List<String> c, String path, int replication) {
    Node node = queries.existing(c, path);
    if (!(node instanceof FileNode file)) {
      return Decision.noop(false);
    }
    if (replication < 1 || replication > MasterState.REPLICATION_MAX) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "replication %s of %s outside [1, %s]", replication, path,
          MasterState.REPLICATION_MAX);
    }
    if (file.replication == replication) {
      return Decision.noop(true);
    }
    return Decision.log(new LogRecord.SetReplication(GfsPaths.join(c), replication));
  }

  /**
   * HDFS concat rules: at least one source; target and sources distinct existing files in one directory; every chunk
   * of the target and of the sources full, except the last source's last chunk.
   */
  Decision concat(List<String> t, String target, List<List<String>> sources, List<String> sourcePaths,
      long nowMillis) {
    if (sources.isEmpty()) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "concat into %s: no source files", target);
    }
    long pathBytes = 0;
    for (String source : sourcePaths) {
      pathBytes += source.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    if (pathBytes > CONCAT_SOURCE_PATH_BYTES_MAX) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "concat into %s: %s sources name %s bytes of paths, more "
          + "than %s; concat them in several steps", target, sources.size(), pathBytes, CONCAT_SOURCE_PATH_BYTES_MAX);
    }
    FileNode targetFile = file(t, target, "target");
    if (t.isEmpty()) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "concat into /");
    }
    List<String> directory = t.subList(0, t.size() - 1);
    Set<List<String>> seen = new HashSet<>();
    seen.add(t);
    List<FileNode> sourceFiles = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      List<String> s = sources.get(i);
      if (s.isEmpty() || !s.subList(0, s.size() - 1).equals(directory)) {
        return Decision.reject(StateError.INVALID_ARGUMENT, "concat source %s is not in the directory of the target "
            + "%s", sourcePaths.get(i), target);
      }
      if (!seen.add(s)) {
        return Decision.reject(StateError.INVALID_ARGUMENT, "concat source %s is the target or named twice",
            sourcePaths.get(i));
      }
      sourceFiles.add(file(s, sourcePaths.get(i), "source"));
    }
    for (int i = -1; i < sourceFiles.size(); i++) {
      FileNode file = i < 0 ? targetFile : sourceFiles.get(i);
      if (coordinator.reportedLengthBytes(file.chunkHandles()) == ChunkCoordinator.LENGTH_NOT_REPORTED) {
        // Its chunks' fullness is not known yet: "not full" would be a final answer to a question not answered yet.
        return Decision.reject(StateError.BUSY, "concat into %s: the length of %s is not known yet (a chunkserver"
            + " holding one of its chunks has not reported to this master, which started serving recently); retry"
            + " shortly", target, i < 0 ? target : sourcePaths.get(i));
      }
    }
    String notFull = notFull(targetFile, target, false);
    for (int i = 0; i < sourceFiles.size() && notFull == null; i++) {
      notFull = notFull(sourceFiles.get(i), sourcePaths.get(i), i == sourceFiles.size() - 1);
    }
    if (notFull != null) {
      return Decision.reject(StateError.INVALID_ARGUMENT, "concat into %s: %s", target, notFull);
    }
    List<String> normalized = new ArrayList<>();
    sources.forEach(s -> normalized.add(GfsPaths.join(s)));
    return Decision.log(new LogRecord.Concat(GfsPaths.join(t), normalized, nowMillis));
  }

  private FileNode file(List<String> c, String path, String role) {
    Node node = queries.existing(c, path);
    if (!(node instanceof FileNode file)) {
      throw StateException.of(StateError.INVALID_ARGUMENT, "concat %s %s is a directory", role, path);
    }
    return file;
  }

  /** Why the file has a chunk that is not full (its last one may be partial when lastMayBePartial), or null. */
  private String notFull(FileNode file, String path, boolean lastMayBePartial) {
    List<Long> handles = file.chunkHandles();
    List<Long> lengths = coordinator.knownLengths(handles);
    int mustBeFull = lastMayBePartial ? handles.size() - 1 : handles.size();
    for (int i = 0; i < mustBeFull; i++) {
      if (lengths.get(i) != chunkSizeBytes) {
        return String.format("chunk %s of %s holds %s bytes, not a full chunk of %s bytes", i, path, lengths.get(i),
            chunkSizeBytes);
      }
    }
    return null;
  }
}
