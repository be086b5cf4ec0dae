package io.gfs.master.oplog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deletes what restart no longer needs [0054]: all but the newest kept checkpoints, and the segments whose records
 * are all covered by the oldest checkpoint kept (so falling back to it when a newer one is bad still works).
 */
public final class Retention {
  private Retention() {}

  /** Returns the deleted files. */
  public static List<Path> prune(Path dir, int checkpointsKept) throws IOException {
    List<Path> deleted = new ArrayList<>();
    TreeMap<Long, Path> checkpoints = MetaFiles.checkpoints(dir);
    while (checkpoints.size() > checkpointsKept) {
      Path oldest = checkpoints.pollFirstEntry().getValue();
      Files.deleteIfExists(oldest);
      deleted.add(oldest);
    }
    if (checkpoints.isEmpty()) {
      return deleted;
    }
    long covered = checkpoints.firstKey();
    TreeMap<Long, Path> segments = MetaFiles.segments(dir);
    for (Map.Entry<Long, Path> segment : segments.entrySet()) {
      Long next = segments.higherKey(segment.getKey());
      if (next == null || next - 1 > covered) {
        break; // this one holds records past the oldest kept checkpoint (and the last one is being written)
      }
      Files.deleteIfExists(segment.getValue());
      deleted.add(segment.getValue());
    }
    if (!deleted.isEmpty()) {
      MetaFiles.syncDirectory(dir);
    }
    return deleted;
  }
}
