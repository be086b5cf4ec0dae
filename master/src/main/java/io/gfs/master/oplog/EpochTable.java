package io.gfs.master.oplog;

import io.gfs.common.Check;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Which epoch (master term, issue 4) wrote each position of the op log: the sequence at which each term's NEW_TERM
 * record sits. The election compares (epoch of the last record, last sequence) as Raft does, and a replica checks the
 * epoch of the record before a shipped batch (Raft's consistency check) - both need the epoch of a position even when
 * the record that started its term is inside a checkpoint and its segment is gone, so the table lives beside the log in
 * the small file {@value #FILE} (as Kafka's leader-epoch-checkpoint does), rewritten atomically on each new term.
 *
 * <p>Durability: an entry is made durable BEFORE its record is queued, so a record on disk always has its entry; an
 * entry whose record never landed (crash in between) lies beyond the log's end and {@link #truncateAfter} at recovery
 * drops it. Positions before the first entry (logs of masters without HA, or written before this table existed and
 * already inside a checkpoint) are epoch 0.
 */
public final class EpochTable {
  /** The table's file in the meta dir. */
  public static final String FILE = "epochs";
  private static final String HEADER = "gfs-epochs 1";

  /** The records from firstSequence on (until the next start) were written in epoch. */
  public record Start(long epoch, long firstSequence) {
    public Start {
      Check.argument(epoch > 0 && firstSequence > 0, "epoch %s from sequence %s", epoch, firstSequence);
    }
  }

  private final Path dir;
  private List<Start> starts;

  private EpochTable(Path dir, List<Start> starts) {
    this.dir = dir;
    this.starts = List.copyOf(starts);
  }

  /** The table in dir (empty when the file does not exist: an older log). */
  public static EpochTable load(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    List<Start> starts = new ArrayList<>();
    if (Files.exists(file)) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
      if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
        throw new IOException(file + " is not an epoch table (first line " + (lines.isEmpty() ? "missing" : "'"
            + lines.get(0) + "'") + ")");
      }
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split(" ");
        try {
          starts.add(new Start(Long.parseLong(fields[0]), Long.parseLong(fields[1])));
        } catch (RuntimeException e) {
          throw new IOException(file + ": bad line '" + line + "'", e);
        }
      }
      checkOrdered(starts, file.toString());
    }
    return new EpochTable(dir, starts);
  }

  private static void checkOrdered(List<Start> starts, String where) throws IOException {
    for (int i = 1; i < starts.size(); i++) {
      if (starts.get(i).epoch() <= starts.get(i - 1).epoch()
          || starts.get(i).firstSequence() <= starts.get(i - 1).firstSequence()) {
        throw new IOException(where + ": epochs must grow with the sequence, not " + starts.get(i - 1) + " then "
            + starts.get(i));
      }
    }
  }

  /** The table's entries in sequence order. */
  public synchronized List<Start> starts() {
    return starts;
  }

  public synchronized long epochAt(long sequence) {
    return epochAt(starts, sequence);
  }

  /** The epoch of position sequence in a log with these starts: 0 for sequence 0 and before the first start. */
  public static long epochAt(List<Start> starts, long sequence) {
    long epoch = 0;
    for (Start s : starts) {
      if (s.firstSequence() > sequence) {
        break;
      }
      epoch = s.epoch();
    }
    return epoch;
  }

  /**
   * Records, durably, that epoch starts at firstSequence (a NEW_TERM record about to be logged there). Entries at or
   * after firstSequence are dropped: they described records a truncation removed.
   */
  public synchronized void begin(long epoch, long firstSequence) throws IOException {
    List<Start> next = new ArrayList<>();
    for (Start s : starts) {
      if (s.firstSequence() < firstSequence) {
        next.add(s);
      }
    }
    if (!next.isEmpty() && next.get(next.size() - 1).epoch() == epoch) {
      return; // the same term restated: positions from here on are in it already
    }
    next.add(new Start(epoch, firstSequence));
    checkOrdered(next, "epoch " + epoch + " at sequence " + firstSequence);
    write(next);
  }

  /** Drops the entries after lastSequence (recovery found the log ends there, or a divergent suffix was cut). */
  public synchronized void truncateAfter(long lastSequence) throws IOException {
    List<Start> next = starts.stream().filter(s -> s.firstSequence() <= lastSequence).toList();
    if (next.size() != starts.size()) {
      write(next);
    }
  }

  /**
   * Recovery's reconciliation: the NEW_TERM records replayed after baseSequence are the truth for those positions
   * (they also upgrade logs written before this table existed); entries at or before baseSequence stay.
   */
  synchronized void reconcile(long baseSequence, List<Start> replayed, long lastSequence) throws IOException {
    List<Start> next = new ArrayList<>();
    for (Start s : starts) {
      if (s.firstSequence() <= baseSequence) {
        next.add(s);
      }
    }
    for (Start s : replayed) {
      if (s.firstSequence() > baseSequence && s.firstSequence() <= lastSequence
          && (next.isEmpty() || next.get(next.size() - 1).epoch() != s.epoch())) {
        next.add(s);
      }
    }
    checkOrdered(next, dir.resolve(FILE) + " reconciled with the log");
    if (!next.equals(starts)) {
      write(next);
    }
  }

  private void write(List<Start> next) throws IOException {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    next.forEach(s -> text.append(s.epoch()).append(' ').append(s.firstSequence()).append('\n'));
    Path tmp = dir.resolve(FILE + MetaFiles.TMP_SUFFIX);
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    MetaFiles.syncDirectory(dir);
    starts = List.copyOf(next);
  }

  /**
   * The last position at or before upTo where two logs with these tables hold the same epoch - and so, as one master
   * writes one record per position in its term, the same records up to there (Raft's log matching). 0 if none.
   */
  public static long commonPoint(List<Start> mine, List<Start> theirs, long upTo) {
    List<Long> candidates = new ArrayList<>();
    candidates.add(upTo);
    for (List<Start> table : List.of(mine, theirs)) {
      for (Start s : table) {
        if (s.firstSequence() - 1 < upTo) {
          candidates.add(s.firstSequence() - 1);
        }
      }
    }
    candidates.sort(java.util.Comparator.reverseOrder());
    for (long p : candidates) {
      if (p <= 0 || epochAt(mine, p) == epochAt(theirs, p)) {
        return Math.max(0, p);
      }
    }
    return 0;
  }
}
