package io.gfs.bench;

import java.util.SplittableRandom;

/** Incompressible bytes made once per run from a fixed seed; workloads write slices of them. */
final class TestBytes {
  static final int BUFFER_BYTES = 1 << 20;
  private static final byte[] BUFFER = make(BUFFER_BYTES, 0x6a09e667L);

  private TestBytes() {}

  static byte[] buffer() {
    return BUFFER;
  }

  static byte[] make(int length, long seed) {
    byte[] bytes = new byte[length];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < length; i += 8) {
      long v = random.nextLong();
      for (int j = 0; j < 8 && i + j < length; j++) {
        bytes[i + j] = (byte) (v >>> (8 * j));
      }
    }
    return bytes;
  }
}
