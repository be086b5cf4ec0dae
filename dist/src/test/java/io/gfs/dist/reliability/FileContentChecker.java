package io.gfs.dist.reliability;

import java.io.IOException;
import java.util.List;

/**
 * Files: every closed or hsync'd file reads back byte-identical after the fault sequence [0125-0127]. A closed file
 * is exactly as long as written; an hsync'd one at least as long as its last hsync, with those bytes identical (what
 * follows the last hsync was never acknowledged and is not checked). A failed read is an acknowledged file lost.
 */
final class FileContentChecker {
  /** Reads a whole file as a client would. */
  @FunctionalInterface
  interface Reader {
    byte[] read(String path) throws IOException;
  }

  CheckResult check(List<ExpectedFile> files, Reader reader) {
    CheckResult.Builder result = new CheckResult.Builder("files").operations(files.size());
    for (ExpectedFile f : files) {
      byte[] read;
      try {
        read = reader.read(f.path());
      } catch (IOException e) {
        result.lost(1).violation("%s (%d durable bytes) cannot be read: %s", f.path(), f.durableBytes(), e);
        continue;
      }
      if (f.closed() && read.length != f.durableBytes()) {
        result.lost(1).violation("closed file %s reads %d bytes, %d were written", f.path(), read.length,
            f.durableBytes());
      } else if (read.length < f.durableBytes()) {
        result.lost(1).violation("%s reads %d bytes, %d were hsync'd", f.path(), read.length, f.durableBytes());
      }
      long corrupt = 0;
      long firstBad = -1;
      for (int i = 0; i < Math.min(read.length, f.durableBytes()); i++) {
        if (read[i] != Payloads.byteAt(f.seed(), i)) {
          corrupt++;
          firstBad = firstBad < 0 ? i : firstBad;
        }
      }
      if (corrupt > 0) {
        result.corruptBytes(corrupt).violation("%s: %d durable bytes differ from what was written, the first at %d",
            f.path(), corrupt, firstBad);
      }
    }
    return result.build();
  }
}
