package io.gfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreedDataTest {
  @TempDir
  Path dir;

  @Test
  void sumsTheRegularFilesInTheTree() throws IOException {
    Files.write(dir.resolve("a"), new byte[1000]);
    Files.createDirectories(dir.resolve("sub/deeper"));
    Files.write(dir.resolve("sub/deeper/b"), new byte[24]);
    assertEquals(1024, FreedData.bytesUnder(dir));
  }

  @Test
  void waitsOnlyWhileMoreThanTheBoundIsLeft() throws IOException {
    Path block = dir.resolve("blk_1");
    Files.write(block, new byte[4096]);
    Files.write(dir.resolve("meta"), new byte[100]);
    assertFalse(FreedData.await(dir, 1000, 2 * FreedData.POLL_MILLIS), "4196 bytes left, bound 1000: times out");
    Files.delete(block);
    assertTrue(FreedData.await(dir, 1000, 0), "100 bytes left: no wait at all");
  }
}
