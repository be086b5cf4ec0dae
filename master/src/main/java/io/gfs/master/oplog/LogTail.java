package io.gfs.master.oplog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads logged records back from the segments on disk, for a replica that fell behind (issue 4): the active master
 * ships it what it missed before the live stream goes on. Records already pruned behind a checkpoint cannot be sent
 * this way; the replica then needs the checkpoint first (not built yet: the error says so).
 */
public final class LogTail {
  private LogTail() {}

  /** Up to maxRecords entries with sequence >= fromSequence, in order; fewer when the log ends. */
  public static List<LogEntry> read(Path dir, long fromSequence, int maxRecords) throws IOException {
    TreeMap<Long, Path> segments = MetaFiles.segments(dir);
    List<LogEntry> entries = new ArrayList<>();
    if (segments.isEmpty() || maxRecords <= 0) {
      return entries;
    }
    Long start = segments.floorKey(fromSequence);
    if (start == null) {
      throw new IOException("records from " + fromSequence + " to " + (segments.firstKey() - 1) + " are no longer in "
          + dir + " (pruned behind a checkpoint): the replica must be re-seeded from a copy of this meta directory");
    }
    for (Map.Entry<Long, Path> segment : segments.tailMap(start, true).entrySet()) {
      // The newest segment may end in a frame being written right now: the scan stops before it.
      SegmentReader.scan(segment.getValue(), segment.getKey(), entry -> {
        if (entry.sequence() >= fromSequence && entries.size() < maxRecords) {
          entries.add(entry);
        }
      });
      if (entries.size() >= maxRecords) {
        break;
      }
    }
    return entries;
  }
}
