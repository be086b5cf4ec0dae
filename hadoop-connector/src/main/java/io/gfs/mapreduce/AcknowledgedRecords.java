package io.gfs.mapreduce;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The committed records of one split, sorted by offset: every entry of every committed marker of the file whose offset
 * falls in [start, end). Memory is about 40 bytes per record of the split; every split reads all markers of the file
 * (two or three bytes per record of the whole file).
 */
final class AcknowledgedRecords {
  /** One record a committed writer was told landed at offsetBytes. */
  record Ack(long offsetBytes, long writerId, long seq) {}

  private final List<Ack> acks;

  private AcknowledgedRecords(List<Ack> acks) {
    this.acks = acks;
  }

  List<Ack> acks() {
    return acks;
  }

  /**
   * The acknowledged records of recordFile in [start, end), or null if the file has no commit directory (it was not
   * written through {@link RecordAppendOutputFormat}; then the reader falls back to scanning).
   */
  static AcknowledgedRecords load(FileSystem fs, Path recordFile, long start, long end) throws IOException {
    Path dir = CommitLayout.commitsDir(recordFile);
    FileStatus[] markers;
    try {
      markers = fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return null;
    }
    List<Ack> acks = new ArrayList<>();
    for (FileStatus marker : markers) {
      if (marker.isDirectory() || marker.getPath().getName().startsWith("_")) {
        continue;
      }
      try (FSDataInputStream in = fs.open(marker.getPath())) {
        CommitMarker.read(in, marker.getLen(), marker.getPath().toString(), (writerId, seq, offset) -> {
          if (offset >= start && offset < end) {
            acks.add(new Ack(offset, writerId, seq));
          }
        });
      }
    }
    acks.sort(Comparator.comparingLong(Ack::offsetBytes));
    for (int i = 1; i < acks.size(); i++) {
      if (acks.get(i).offsetBytes() == acks.get(i - 1).offsetBytes()) {
        throw new IOException(String.format("%s: two committed records acknowledged at offset %d (%s and %s)",
            recordFile, acks.get(i).offsetBytes(), acks.get(i - 1), acks.get(i)));
      }
    }
    return new AcknowledgedRecords(acks);
  }
}
