package io.gfs.mapreduce;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds record-append file contents by hand: frames, zero padding, torn pieces and garbage, at known offsets. */
final class SyntheticFile {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final List<Frame> frames = new ArrayList<>();

  long position() {
    return bytes.size();
  }

  Frame frame(long writerId, long seq, String payload) {
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    Frame f = new Frame(position(), writerId, seq, p);
    bytes.writeBytes(RecordFrame.encode(writerId, seq, p, 0, p.length));
    frames.add(f);
    return f;
  }

  /** Zeros up to the next multiple of chunkSize, as a primary pads a chunk the next record did not fit [0107]. */
  void padTo(long chunkSize) {
    while (position() % chunkSize != 0) {
      bytes.write(0);
    }
  }

  /** The first keep bytes of a valid frame, as a partial append leaves them [0109]. */
  void torn(long writerId, long seq, String payload, int keep) {
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    bytes.write(RecordFrame.encode(writerId, seq, p, 0, p.length), 0, keep);
  }

  /** A whole frame with one payload bit flipped: the CRC must reject it. */
  void corrupt(long writerId, long seq, String payload) {
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    byte[] f = RecordFrame.encode(writerId, seq, p, 0, p.length);
    f[f.length - 1] ^= 1;
    bytes.writeBytes(f);
  }

  void raw(byte[] garbage) {
    bytes.writeBytes(garbage);
  }

  byte[] toByteArray() {
    return bytes.toByteArray();
  }

  static PositionedSource source(byte[] file, int maxReadBytes) {
    return (position, buffer, offset, length) -> {
      if (position >= file.length) {
        return -1;
      }
      int n = (int) Math.min(Math.min(length, maxReadBytes), file.length - position);
      System.arraycopy(file, (int) position, buffer, offset, n);
      return n;
    };
  }
}
