package io.gfs.dist.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;

/** Deterministic contents, whole-file reads and per-test cluster directories for the file-system ITs. */
final class FsTestFiles {
  private FsTestFiles() {}

  /** length bytes that depend only on (seed, position), so a file can be checked without keeping a copy. */
  static byte[] data(long seed, int length) {
    byte[] bytes = new byte[length];
    fill(seed, 0, bytes, 0, length);
    return bytes;
  }

  static void fill(long seed, long position, byte[] buffer, int offset, int length) {
    for (int i = 0; i < length; i++) {
      long p = position + i;
      long word = mix(seed ^ (p >>> 3) * 0x9E3779B97F4A7C15L);
      buffer[offset + i] = (byte) (word >>> ((p & 7) * 8));
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static void write(FileSystem fs, org.apache.hadoop.fs.Path path, byte[] bytes) throws IOException {
    try (FSDataOutputStream out = fs.create(path)) {
      out.write(bytes);
    }
  }

  static byte[] readAll(FileSystem fs, org.apache.hadoop.fs.Path path) throws IOException {
    try (FSDataInputStream in = fs.open(path)) {
      byte[] out = new byte[(int) fs.getFileStatus(path).getLen()];
      in.readFully(0, out);
      return out;
    }
  }

  /** A fresh directory under target/it for one test's cluster; kept after the run so its logs can be read. */
  static Path clusterDir(String name) throws IOException {
    Path dir = Path.of("target", "it", "fs", name).toAbsolutePath();
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(dir);
    return dir;
  }
}
