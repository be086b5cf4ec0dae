package io.gfs.master.oplog;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cuts a closed op log back to a sequence (issue 4): a replica whose log holds records after the last point it shares
 * with the active master's (a former active master that crashed after its own fsync, before a majority had the batch)
 * drops that suffix and takes the leader's records, as Raft does. Only records no checkpoint covers can go: a
 * checkpoint holding them is refused (the operator re-seeds the replica). The caller decides the suffix was never
 * acknowledged (see LogReplica); this class only makes the cut durable and crash-safe: later segments are deleted newest
 * first and the segment holding the last kept record is truncated after it, so a crash leaves a prefix of the old log.
 */
public final class LogTruncation {
  private LogTruncation() {}

  /** Keeps records 1..lastKeptSequence; the log must be closed (no writer). Returns the records dropped. */
  public static long truncateAfter(Path dir, long lastKeptSequence) throws IOException {
    TreeMap<Long, Path> checkpoints = MetaFiles.checkpoints(dir);
    if (!checkpoints.isEmpty() && checkpoints.lastKey() > lastKeptSequence) {
      throw new IOException("cannot cut the op log in " + dir + " back to sequence " + lastKeptSequence + ": checkpoint "
          + checkpoints.lastEntry().getValue().getFileName() + " covers later records; re-seed this replica from an "
          + "up-to-date meta directory");
    }
    long dropped = 0;
    TreeMap<Long, Path> segments = MetaFiles.segments(dir);
    for (Map.Entry<Long, Path> segment : segments.descendingMap().entrySet()) {
      if (segment.getKey() > lastKeptSequence) {
        dropped += countFrames(segment.getValue(), Long.MAX_VALUE)[0];
        Files.delete(segment.getValue());
        MetaFiles.syncDirectory(dir);
        continue;
      }
      long keep = lastKeptSequence - segment.getKey() + 1;
      long[] kept = countFrames(segment.getValue(), keep);
      long[] all = countFrames(segment.getValue(), Long.MAX_VALUE);
      dropped += all[0] - kept[0];
      if (kept[1] < Files.size(segment.getValue())) {
        try (FileChannel channel = FileChannel.open(segment.getValue(), StandardOpenOption.WRITE)) {
          channel.truncate(kept[1]);
          channel.force(true);
        }
      }
      break;
    }
    EpochTable.load(dir).truncateAfter(lastKeptSequence);
    return dropped;
  }

  /** {frames, bytes} of the first maxFrames well-framed records (lengths only: recovery checked the CRCs). */
  private static long[] countFrames(Path file, long maxFrames) throws IOException {
    long size = Files.size(file);
    long position = 0;
    long frames = 0;
    try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(
        new java.io.BufferedInputStream(raw, 1 << 16))) {
      while (frames < maxFrames && position + RecordCodec.HEADER_BYTES <= size) {
        long length = Integer.toUnsignedLong(in.readInt());
        in.readInt(); // CRC
        if (length == 0 || position + RecordCodec.HEADER_BYTES + length > size) {
          break; // the zero tail of a preallocated segment, or a torn frame
        }
        in.skipNBytes(length);
        position += RecordCodec.HEADER_BYTES + length;
        frames++;
      }
    }
    return new long[] {frames, position};
  }
}
