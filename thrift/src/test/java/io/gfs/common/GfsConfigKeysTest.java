package io.gfs.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GfsConfigKeysTest {
  @Test
  void constantsRelateAsTheDesignNeeds() {
    GfsConfig defaults = GfsConfig.of(Map.of());
    long chunk = defaults.getBytes(GfsConfigKeys.Cluster.CHUNK_SIZE_BYTES, 1, Long.MAX_VALUE);
    assertEquals(64L << 20, chunk);
    assertEquals(0, chunk % GfsConfigKeys.CHECKSUM_BLOCK_BYTES, "chunk is a whole number of checksum blocks");
    assertEquals(0, GfsConfigKeys.DATA_PIECE_BYTES_MAX % GfsConfigKeys.CHECKSUM_BLOCK_BYTES,
        "data pieces stay aligned to checksum blocks");
    assertTrue(GfsConfigKeys.CHUNK_SIZE_BYTES_MAX >= chunk);
  }

  @Test
  void keysAreUniqueAndNamespaced() {
    Set<String> names = new HashSet<>();
    for (ConfigKey key : GfsConfigKeys.all()) {
      assertTrue(names.add(key.name()), "duplicate " + key.name());
      assertTrue(key.name().startsWith("gfs.") || key.name().startsWith("fs.gfs."), key.name());
      assertFalse(key.description().isBlank());
    }
    assertTrue(names.size() > 30);
  }

  @Test
  void typedGettersExplainBadValues() {
    GfsConfig config = GfsConfig.of(Map.of("gfs.master.port", "seventy", "gfs.chunk.size.bytes", "1x",
        "gfs.master.lease.duration.ms", "5"));
    ConfigException e = assertThrows(ConfigException.class, () -> config.getInt(GfsConfigKeys.Master.PORT, 0, 65535));
    assertTrue(e.getMessage().contains("gfs.master.port"), e.getMessage());
    assertThrows(ConfigException.class, () -> config.getBytes(GfsConfigKeys.Cluster.CHUNK_SIZE_BYTES, 1, 1L << 40));
    assertThrows(ConfigException.class, () -> config.getMillis(GfsConfigKeys.Master.LEASE_DURATION_MS, 1000, 10_000));
    assertThrows(ConfigException.class, () -> config.getString(GfsConfigKeys.Master.META_DIR));
    assertEquals(64L << 20, GfsConfig.of(Map.of("k", "v")).getBytes(GfsConfigKeys.Cluster.CHUNK_SIZE_BYTES, 1,
        1L << 40));
  }
}
