package io.gfs.mapreduce;

import io.gfs.mapreduce.AcknowledgedRecords.Ack;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Reads exactly the acknowledged records of a split, each at its acknowledged offset, in file order. Nothing else in
 * the split is looked at: padding, torn pieces, retried copies and the records of attempts that never committed all
 * lie at other offsets. A record that is not intact at its acknowledged offset is an error, never a silent skip: gfs
 * acknowledged it on every replica [0109], so its absence means lost data.
 */
final class AcknowledgedFrames {
  private final ByteWindow window;
  private final List<Ack> acks;
  private final int payloadBytesMax;
  private final String fileName;
  private final long end;
  private int next;
  private long previousEnd;
  private long skippedBytes;

  AcknowledgedFrames(PositionedSource source, AcknowledgedRecords records, long start, long end, int frameBytesMax,
      int windowBytes, String fileName) {
    this.acks = records.acks();
    this.window = new ByteWindow(source, acks.isEmpty() ? start : acks.get(0).offsetBytes(), windowBytes);
    this.payloadBytesMax = frameBytesMax - RecordFrame.HEADER_BYTES;
    this.fileName = fileName;
    this.previousEnd = start;
    this.end = end;
  }

  /** The next acknowledged record, or null after the last one. */
  Frame next() throws IOException {
    if (next == acks.size()) {
      skippedBytes += Math.max(0, end - previousEnd); // the split's tail: padding and unacknowledged frames
      previousEnd = Math.max(previousEnd, end);
      return null;
    }
    Ack ack = acks.get(next++);
    if (ack.offsetBytes() < previousEnd) {
      throw new IOException(String.format("%s: acknowledged record %s overlaps the one before, which ends at %d",
          fileName, ack, previousEnd));
    }
    int available = window.ensure(ack.offsetBytes(), RecordFrame.HEADER_BYTES);
    byte[] bytes = window.bytes();
    int at = window.indexOf(ack.offsetBytes());
    int claimed = available < RecordFrame.HEADER_BYTES ? -1
        : RecordFrame.claimedFrameBytes(bytes, at, payloadBytesMax);
    int length = -1;
    if (claimed > 0) {
      available = window.ensure(ack.offsetBytes(), claimed);
      bytes = window.bytes();
      at = window.indexOf(ack.offsetBytes());
      length = RecordFrame.validLength(bytes, at, available, payloadBytesMax);
    }
    if (length < 0 || RecordFrame.writerIdAt(bytes, at) != ack.writerId() || RecordFrame.seqAt(bytes, at) != ack.seq()) {
      throw new IOException(String.format("%s: the record acknowledged at offset %d (writer %x, seq %d) is missing or"
          + " damaged there", fileName, ack.offsetBytes(), ack.writerId(), ack.seq()));
    }
    Frame frame = new Frame(ack.offsetBytes(), ack.writerId(), ack.seq(),
        Arrays.copyOfRange(bytes, at + RecordFrame.HEADER_BYTES, at + RecordFrame.HEADER_BYTES + length));
    skippedBytes += ack.offsetBytes() - previousEnd;
    previousEnd = ack.offsetBytes() + frame.frameBytes();
    return frame;
  }

  /** Bytes of the split outside the records returned so far (the tail is counted once the last one was read). */
  long skippedBytes() {
    return skippedBytes;
  }
}
