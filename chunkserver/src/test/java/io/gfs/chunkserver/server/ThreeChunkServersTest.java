package io.gfs.chunkserver.server;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle every three-server IT shares: fresh servers on a fresh directory before each test, closed (after the
 * invariant checks of {@link ThreeChunkServers#close()}) after it, even when the test failed. A subclass's own
 * {@code @BeforeEach} runs after {@link #startServers()}, so it may use {@link #cluster} at once.
 */
abstract class ThreeChunkServersTest {
  @TempDir
  Path dir;
  ThreeChunkServers cluster;
  /** Seeded, so a failing test's data is the same on the next run. */
  final Random random;

  ThreeChunkServersTest(long seed) {
    this.random = new Random(seed);
  }

  /** More configuration keys for every server; none by default. */
  Map<String, String> extraConfig() {
    return Map.of();
  }

  @BeforeEach
  final void startServers() throws Exception {
    cluster = new ThreeChunkServers(dir, extraConfig());
  }

  @AfterEach
  final void stopServers() {
    if (cluster != null) {
      cluster.close();
    }
  }

  byte[] bytes(int length) {
    byte[] data = new byte[length];
    random.nextBytes(data);
    return data;
  }
}
