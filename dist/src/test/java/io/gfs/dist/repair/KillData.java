package io.gfs.dist.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files a repair test wrote, each the deterministic stream of a seed derived from its path, so any file can be
 * written, appended to and read back byte for byte without keeping its bytes.
 */
final class KillData {
  private static final int BLOCK_BYTES = 1 << 20;

  private final FileSystem fs;
  /** path to its length in bytes. */
  private final Map<String, Long> files = new TreeMap<>();

  KillData(FileSystem fs) {
    this.fs = fs;
  }

  private static long seed(String path) {
    return path.hashCode() * 1_000_003L + path.length();
  }

  /** Writes path with the given replication; progress (if not null) counts acknowledged bytes as they go. */
  void write(String path, long lengthBytes, short replication, AtomicLong progress) throws IOException {
    try (FSDataOutputStream out = fs.create(new Path(path), true, BLOCK_BYTES, replication, 64L << 20)) {
      copyOut(out, path, 0, lengthBytes, progress);
    }
    files.put(path, lengthBytes);
  }

  /** Appends the stream's next bytes to path. */
  void append(String path, long bytes) throws IOException {
    long length = files.get(path);
    try (FSDataOutputStream out = fs.append(new Path(path))) {
      copyOut(out, path, length, bytes, null);
    }
    files.put(path, length + bytes);
  }

  private static void copyOut(FSDataOutputStream out, String path, long from, long bytes, AtomicLong progress)
      throws IOException {
    byte[] block = new byte[BLOCK_BYTES];
    for (long at = from; at < from + bytes; at += BLOCK_BYTES) {
      int n = (int) Math.min(BLOCK_BYTES, from + bytes - at);
      RepairSupport.fill(seed(path), at, block, 0, n);
      out.write(block, 0, n);
      if (progress != null) {
        progress.addAndGet(n);
      }
    }
  }

  /** A file written elsewhere (another KillData) with this length. */
  void expect(String path, long lengthBytes) {
    files.put(path, lengthBytes);
  }

  /** The file was deleted: not checked any more. */
  void forget(String path) {
    files.remove(path);
  }

  Map<String, Long> files() {
    return files;
  }

  long totalBytes() {
    return files.values().stream().mapToLong(Long::longValue).sum();
  }

  List<String> paths(String prefix) {
    return files.keySet().stream().filter(p -> p.startsWith(prefix)).toList();
  }

  /** Every file has its length and its stream's bytes. */
  void verifyAll() throws IOException {
    byte[] got = new byte[BLOCK_BYTES];
    byte[] want = new byte[BLOCK_BYTES];
    for (Map.Entry<String, Long> file : files.entrySet()) {
      Path path = new Path(file.getKey());
      long length = file.getValue();
      assertEquals(length, fs.getFileStatus(path).getLen(), file.getKey());
      try (FSDataInputStream in = fs.open(path)) {
        for (long at = 0; at < length; at += BLOCK_BYTES) {
          int n = (int) Math.min(BLOCK_BYTES, length - at);
          in.readFully(at, got, 0, n);
          RepairSupport.fill(seed(file.getKey()), at, want, 0, n);
          for (int i = 0; i < n; i++) {
            if (got[i] != want[i]) {
              throw new AssertionError(file.getKey() + " differs at byte " + (at + i));
            }
          }
        }
      }
    }
  }
}
