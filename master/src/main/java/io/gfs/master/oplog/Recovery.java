package io.gfs.master.oplog;

import io.gfs.master.state.ImageSink;
import io.gfs.master.state.StateImage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restart [0052, 0054]: load the newest checkpoint that verifies (skipping incomplete or corrupt ones), then replay
 * every later record from the segments in order. A torn tail of the last segment (a short frame or a CRC mismatch
 * with no valid later record behind it, from a crash mid-write: never acknowledged) is truncated and recovery goes on;
 * a bad frame anywhere else, a bad frame in the last segment followed by a valid record, or a gap in the sequence
 * numbers, is corruption of acknowledged records and stops the master with a message naming the file and offset.
 * (This assumes an unsynced append reaches the disk as a prefix, as ext4 and xfs keep the file size behind the data;
 * a file system that persisted a later page of an unacknowledged batch without an earlier one would be reported as
 * corrupt, and the message says how to accept the loss.)
 */
public final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  /** What recovery found: the last sequence number now in memory, for the log to go on from. */
  public record Result(long lastSequence, long checkpointSequence, long replayedRecords, long truncatedBytes,
      List<Path> skippedCheckpoints) {}

  private Recovery() {}

  /** As {@link #recoverInto}, with the checkpoint handed over as one image (tests, tools). */
  public static Result recover(Path dir, Consumer<StateImage> restore, Consumer<LogEntry> apply)
      throws IOException {
    StateImage.Builder[] image = new StateImage.Builder[1];
    return recoverInto(dir, () -> image[0] = new StateImage.Builder(), apply, () -> restore.accept(image[0].image()));
  }

  /**
   * Streams the newest checkpoint that verifies into a state, then replays the later records with apply. freshState
   * makes an empty state and returns the sink that loads into it; it is called before each checkpoint is loaded, and
   * once more if one failed half-way and no other loaded, so the state recovery ends with never holds a half-loaded
   * checkpoint.
   */
  public static Result recoverInto(Path dir, Supplier<ImageSink> freshState, Consumer<LogEntry> apply)
      throws IOException {
    return recoverInto(dir, freshState, apply, () -> { });
  }

  private static Result recoverInto(Path dir, Supplier<ImageSink> freshState, Consumer<LogEntry> apply,
      Runnable onLoaded) throws IOException {
    Files.createDirectories(dir);
    for (Path tmp : MetaFiles.temporaries(dir)) {
      LOG.info("deleting unfinished checkpoint {}", tmp);
      Files.delete(tmp);
    }
    List<Path> skipped = new ArrayList<>();
    long base = 0;
    boolean halfLoaded = false;
    for (Map.Entry<Long, Path> c : MetaFiles.checkpoints(dir).descendingMap().entrySet()) {
      CheckpointFile.Verified checkpoint;
      try {
        checkpoint = CheckpointFile.verify(c.getValue());
      } catch (CheckpointFile.UnknownFormatException e) {
        throw e; // a newer master's checkpoint: falling back to older metadata would hide its changes
      } catch (IOException e) {
        LOG.warn("skipping checkpoint: {}", e.getMessage());
        skipped.add(c.getValue());
        continue;
      }
      if (checkpoint.lastSequence() != c.getKey()) {
        LOG.warn("skipping checkpoint {}: it says it covers sequence {}", c.getValue(), checkpoint.lastSequence());
        skipped.add(c.getValue());
        continue;
      }
      try {
        halfLoaded = true;
        CheckpointFile.load(checkpoint, freshState.get());
        halfLoaded = false;
      } catch (IOException e) {
        LOG.warn("skipping checkpoint: {}", e.getMessage());
        skipped.add(c.getValue());
        continue;
      }
      base = checkpoint.lastSequence();
      LOG.info("loaded checkpoint {} (format {})", c.getValue().getFileName(), checkpoint.format());
      onLoaded.run();
      break;
    }
    if (halfLoaded) {
      freshState.get(); // no checkpoint loaded: start from an empty state, not the half-loaded one
    }
    return replay(dir, base, skipped, apply);
  }

  private static Result replay(Path dir, long base, List<Path> skipped, Consumer<LogEntry> apply)
      throws IOException {
    NavigableMap<Long, Path> segments = new TreeMap<>(MetaFiles.segments(dir));
    // Segments whose every record is in the checkpoint are not needed (the next one starts at or before base + 1).
    while (segments.size() > 1 && segments.higherKey(segments.firstKey()) <= base + 1) {
      segments.pollFirstEntry();
    }
    long last = base;
    long replayed = 0;
    long truncated = 0;
    if (!segments.isEmpty() && segments.firstKey() > base + 1) {
      throw new IOException("op log gap: records up to " + base + " are in the checkpoint but the oldest segment, "
          + segments.firstEntry().getValue() + ", starts at " + segments.firstKey());
    }
    long[] replayedHolder = {0};
    long[] lastHolder = {base};
    List<EpochTable.Start> terms = new ArrayList<>(); // NEW_TERM records replayed: the epoch table's truth (issue 4)
    for (Map.Entry<Long, Path> segment : segments.entrySet()) {
      boolean lastSegment = segment.getKey().equals(segments.lastKey());
      if (segment.getKey() > lastHolder[0] + 1) {
        throw new IOException("op log gap: records end at " + lastHolder[0] + " but " + segment.getValue()
            + " starts at " + segment.getKey());
      }
      SegmentReader.Scan scan = SegmentReader.scan(segment.getValue(), segment.getKey(), entry -> {
        if (entry.sequence() <= lastHolder[0]) {
          return; // already in the checkpoint (or an empty segment re-started at the same number)
        }
        try {
          apply.accept(entry);
        } catch (RuntimeException e) {
          throw new IllegalStateException("replay of log record " + entry.sequence() + " (" + entry.record()
              + ") failed: " + e.getMessage(), e);
        }
        lastHolder[0] = entry.sequence();
        replayedHolder[0]++;
        if (entry.record() instanceof io.gfs.master.state.LogRecord.NewTerm term && term.epoch() > 0) {
          terms.add(new EpochTable.Start(term.epoch(), entry.sequence()));
        }
      });
      if (!scan.clean()) {
        if (!lastSegment) {
          throw new IOException("op log corrupt: " + segment.getValue() + " is not the last segment but has a bad "
              + "record: " + scan.problem() + "; acknowledged records may be lost, refusing to start");
        }
        SegmentReader.LaterFrame later = SegmentReader.findLaterFrame(segment.getValue(), scan.validBytes() + 1,
            scan.lastSequence());
        if (later != null) {
          throw new IOException("op log corrupt: " + segment.getValue() + " has a bad record at byte "
              + scan.validBytes() + " (" + scan.problem() + ") but a valid record, sequence " + later.sequence()
              + ", follows at byte " + later.offsetBytes() + ": acknowledged records would be lost, refusing to "
              + "start. Restore the file, or truncate it to " + scan.validBytes() + " bytes to accept losing "
              + "every record from sequence " + (scan.lastSequence() + 1) + " on");
        }
        truncated = scan.fileBytes() - scan.validBytes();
        LOG.warn("op log {}: torn tail ({}); dropping its last {} bytes (never acknowledged)",
            segment.getValue().getFileName(), scan.problem(), truncated);
        try (FileChannel channel = FileChannel.open(segment.getValue(), StandardOpenOption.WRITE)) {
          channel.truncate(scan.validBytes());
          channel.force(true);
        }
      }
    }
    last = lastHolder[0];
    replayed = replayedHolder[0];
    EpochTable.load(dir).reconcile(base, terms, last);
    LOG.info("recovered op log up to sequence {} ({} records replayed after checkpoint {})", last, replayed, base);
    return new Result(last, base, replayed, truncated, List.copyOf(skipped));
  }
}
