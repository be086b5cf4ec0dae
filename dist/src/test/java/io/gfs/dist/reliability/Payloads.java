package io.gfs.dist.reliability;

import io.gfs.mapreduce.RecordFrame;

/**
 * Deterministic bytes: file contents and record payloads are functions of a seed and a position, so a checker knows
 * what every byte must be without keeping a copy of what was written.
 */
final class Payloads {
  private Payloads() {}

  static byte byteAt(long seed, long position) {
    long word = mix(seed * 0x9E3779B97F4A7C15L + (position >>> 3));
    return (byte) (word >>> ((position & 7) * 8));
  }

  static byte[] bytes(long seed, long position, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = byteAt(seed, position + i);
    }
    return out;
  }

  /** The payload of record (writer, seq): 16 to payloadBytesMax bytes, decided by the pair alone. */
  static byte[] recordPayload(long writerId, long seq, int payloadBytesMax) {
    long key = mix(writerId * 31 + seq);
    int length = 16 + (int) Long.remainderUnsigned(key, Math.max(1, payloadBytesMax - 15));
    return bytes(key, 0, length);
  }

  /** The framed record (the record-append file format of io.gfs.mapreduce) of (writer, seq). */
  static byte[] recordFrame(long writerId, long seq, int payloadBytesMax) {
    byte[] payload = recordPayload(writerId, seq, payloadBytesMax);
    return RecordFrame.encode(writerId, seq, payload, 0, payload.length);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
