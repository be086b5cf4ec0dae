package io.gfs.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Waits for a system's deleted data to leave the disk, so the next measured phase does not write while the page cache
 * still holds the deleted replicas. On the bench's VM a write that must take fresh memory for its page cache costs
 * several times the CPU per byte of one that reuses pages just freed (docs/benchmarks.md), and the two systems free
 * at different speeds: gfs's chunkservers unlink a deleted file's chunks at their next heartbeat (about 1.5 s after
 * the delete in the bench), HDFS's DataNodes about 10 s after it, while the next cell was already writing.
 */
final class FreedData {
  /** How often the directory is summed while waiting. */
  static final long POLL_MILLIS = 100;

  private FreedData() {}

  /** Bytes of the regular files under {@code dir}; a file or directory deleted during the walk counts as 0. */
  static long bytesUnder(Path dir) throws IOException {
    long[] total = {0};
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
        if (attributes.isRegularFile()) {
          total[0] += attributes.size();
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE; // unlinked while we walked: exactly what we wait for
        }
        throw e;
      }
    });
    return total[0];
  }

  /**
   * Polls until the regular files under {@code dir} hold at most {@code bytesMax} bytes, for at most
   * {@code timeoutMillis}; returns whether they got there.
   */
  static boolean await(Path dir, long bytesMax, long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (bytesUnder(dir) > bytesMax) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for deleted data to leave " + dir, e);
      }
    }
    return true;
  }
}
