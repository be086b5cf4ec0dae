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
  /** What a system's directory may grow by in a phase besides the data deleted at its end: logs, edit log, metadata. */
  static final long SLACK_BYTES = 64L << 20;
  /** Longest wait for deleted data to leave the disk before the next phase starts anyway (and says so). */
  static final long WAIT_MILLIS_MAX = 60_000;

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
   * Returns once the system's deleted files have left the disk (its directory back to bytesBefore, what it held before
   * the phase, plus {@link #SLACK_BYTES} for logs), or after {@link #WAIT_MILLIS_MAX}. Without it the next cell wrote
   * while HDFS's DataNodes were still unlinking the last cell's blocks (9.5-11.3 s after the delete; gfs's
   * chunkservers 1.3-1.6 s), and a gfs seq cell after an HDFS cell took 10.8 s of system CPU per GiB written (median
   * of 16 cells), mostly its chunkservers' pwrite into the page cache, against 6.0 after a gfs cell
   * (docs/benchmarks.md, session 14).
   */
  static void awaitDeleted(BenchContext context, String system, long bytesBefore) throws IOException {
    Path dir = context.clusters().dir(system);
    if (!await(dir, bytesBefore + SLACK_BYTES, WAIT_MILLIS_MAX)) {
      context.progress("%s: deleted data still on disk %d s after the delete (%d MiB under %s); going on", system,
          WAIT_MILLIS_MAX / 1000, bytesUnder(dir) >> 20, dir);
    }
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
