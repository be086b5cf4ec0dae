package io.gfs.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Crc32cTest {
  @Test
  void combineEqualsTheCrcOfTheConcatenation() {
    SplittableRandom random = new SplittableRandom(42);
    byte[] data = new byte[200_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) random.nextInt();
    }
    int[] splits = {0, 1, 7, 4096, 65_535, 65_536, 100_001, data.length};
    for (int split : splits) {
      int whole = Crc32c.of(data, 0, data.length);
      int a = Crc32c.of(data, 0, split);
      int b = Crc32c.of(data, split, data.length - split);
      assertEquals(whole, Crc32c.combine(a, b, data.length - split), "split at " + split);
    }
  }

  @Test
  void knownVector() {
    // RFC 3720 B.4: 32 bytes of zeros.
    assertEquals(0x8A9136AA, Crc32c.of(new byte[32], 0, 32));
  }
}
