package io.gfs.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deterministic file contents: the byte at any position is a function of (seed, position), so nothing is stored. */
final class TestData {
  private TestData() {}

  static void fill(long seed, long position, byte[] buffer, int offset, int length) {
    for (int i = 0; i < length; i++) {
      buffer[offset + i] = byteAt(seed, position + i);
    }
  }

  /** length bytes of the seed's stream from position 0. */
  static byte[] bytes(long seed, int length) {
    byte[] data = new byte[length];
    fill(seed, 0, data, 0, length);
    return data;
  }

  static byte byteAt(long seed, long position) {
    long word = mix(seed ^ (position >>> 3) * 0x9E3779B97F4A7C15L);
    return (byte) (word >>> ((position & 7) * 8));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A fresh directory under target/it for one test's cluster; kept after the run so its logs can be read. */
  static Path clusterDir(String name) throws Exception {
    Path dir = Path.of("target", "it", name).toAbsolutePath();
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(dir);
    return dir;
  }
}
