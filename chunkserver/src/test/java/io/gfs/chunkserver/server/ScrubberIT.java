package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfigKeys;
import io.gfs.thrift.gen.WriteRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background scrubber of real chunkservers finds damage on disk that no client ever reads [0131]. */
class ScrubberIT {
  private static final long IDLE_MILLIS = 2000;

  @TempDir
  Path dir;

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
      Thread.sleep(20);
    }
  }

  @Test
  void aFlippedByteInAnIdleChunkIsReportedCorruptWithoutAnyClientRead() throws Exception {
    Map<String, String> config = Map.of(
        GfsConfigKeys.ChunkServer.SCRUB_BYTES_PER_SECOND.name(), "64m",
        GfsConfigKeys.ChunkServer.SCRUB_IDLE_MS.name(), Long.toString(IDLE_MILLIS),
        GfsConfigKeys.ChunkServer.SCRUB_PERIOD_MS.name(), "3600000");
    try (ThreeChunkServers cluster = new ThreeChunkServers(dir, config)) {
      byte[] data = new byte[3 * ThreeChunkServers.PIECE + 4321];
      new Random(3).nextBytes(data);
      cluster.assign(1, 1, true, 0, 60_000, 0, 1, 2);
      cluster.push(50, data, cluster.chain(0, 1, 2));
      WriteRequest write = new WriteRequest(1, 1, 0, 50, data.length, List.of(cluster.wire(1), cluster.wire(2)),
          true);
      cluster.call(0, c -> {
        c.write(write);
        return null;
      });
      cluster.flipOnDisk(2, 1, 2_500_000, 0x80);
      assertFalse(cluster.get(2).state().isCorrupt(1), "nothing noticed the flip yet");
      cluster.clockOffsetMillis.addAndGet(IDLE_MILLIS); // the chunk has been idle long enough
      await(() -> cluster.get(2).state().isCorrupt(1), "the scrubber finds the flipped byte");
      assertEquals(List.of(1L), cluster.get(2).nextHeartbeat().getCorruptChunks());
      await(() -> cluster.get(0).scrubber().chunksVerified() == 1 && cluster.get(1).scrubber().chunksVerified() == 1,
          "the intact replicas are verified too");
      for (int r = 0; r < 2; r++) {
        assertFalse(cluster.get(r).state().isCorrupt(1), "replica " + r);
        assertEquals(List.of(), cluster.get(r).nextHeartbeat().getCorruptChunks(), "replica " + r);
        assertEquals(data.length, cluster.get(r).scrubber().bytesVerified(), "replica " + r);
      }
    }
  }

  @Test
  void aZeroRateTurnsTheScrubberOff() throws Exception {
    Map<String, String> config = Map.of(GfsConfigKeys.ChunkServer.SCRUB_BYTES_PER_SECOND.name(), "0");
    try (ThreeChunkServers cluster = new ThreeChunkServers(dir, config)) {
      assertNull(cluster.get(0).scrubber());
    }
  }
}
