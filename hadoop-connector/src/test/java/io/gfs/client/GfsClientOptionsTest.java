package io.gfs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.ConfigException;
import io.gfs.common.GfsConfig;
import io.gfs.common.HostPort;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GfsClientOptionsTest {
  @Test
  void defaultsWithAMasterAddress() {
    GfsClientOptions options = GfsClientOptions.from(GfsConfig.of(Map.of("fs.gfs.master.address", "m1:7700")));
    assertEquals(Optional.of(new HostPort("m1", 7700)), options.masterAddress());
    assertEquals("", options.zookeeperConnect());
    assertEquals("/gfs", options.zookeeperRoot());
    assertEquals(15_000, options.zookeeperSessionTimeoutMillis());
    assertEquals(0, options.replication());
    assertEquals(4 << 20, options.writeBufferBytes());
    assertEquals(60_000, options.locationCacheTtlMillis());
    assertEquals(16, options.locationPrefetchChunks());
    assertEquals(8, options.retriesMax());
    assertEquals(100, options.retryBackoffMillis());
    assertEquals(60_000, options.rpcLimits().callTimeoutMillis());
    assertEquals(8, options.retryPolicy().attemptsMax());
  }

  @Test
  void everyKeyIsRead() {
    GfsClientOptions options = GfsClientOptions.from(GfsConfig.of(Map.ofEntries(
        Map.entry("fs.gfs.zookeeper.connect", "zk1:2181,zk2:2181"),
        Map.entry("fs.gfs.zookeeper.root", "/other"),
        Map.entry("fs.gfs.zookeeper.session.timeout.ms", "5000"),
        Map.entry("fs.gfs.replication", "2"),
        Map.entry("fs.gfs.write.buffer.bytes", "1m"),
        Map.entry("fs.gfs.location.cache.ttl.ms", "0"),
        Map.entry("fs.gfs.location.prefetch.chunks", "4"),
        Map.entry("fs.gfs.retries.max", "3"),
        Map.entry("fs.gfs.retry.backoff.ms", "7"),
        Map.entry("fs.gfs.rpc.call.timeout.ms", "2500"))));
    assertTrue(options.masterAddress().isEmpty());
    assertEquals("zk1:2181,zk2:2181", options.zookeeperConnect());
    assertEquals("/other", options.zookeeperRoot());
    assertEquals(5000, options.zookeeperSessionTimeoutMillis());
    assertEquals(2, options.replication());
    assertEquals(1 << 20, options.writeBufferBytes());
    assertEquals(0, options.locationCacheTtlMillis());
    assertEquals(4, options.locationPrefetchChunks());
    assertEquals(3, options.retriesMax());
    assertEquals(7, options.retryBackoffMillis());
    assertEquals(2500, options.rpcLimits().callTimeoutMillis());
  }

  @Test
  void badValuesNameTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> GfsClientOptions.from(GfsConfig.of(Map.of(
        "fs.gfs.master.address", "m:1", "fs.gfs.write.buffer.bytes", "1k"))));
    assertTrue(e.getMessage().contains("fs.gfs.write.buffer.bytes"), e.getMessage());
    assertThrows(ConfigException.class, () -> GfsClientOptions.from(GfsConfig.of(Map.of(
        "fs.gfs.master.address", "no-port"))));
    assertThrows(ConfigException.class, () -> GfsClientOptions.from(GfsConfig.of(Map.of(
        "fs.gfs.master.address", "m:1", "fs.gfs.retries.max", "0"))));
  }

  @Test
  void withoutMasterOrZooKeeperTheClientCannotFindTheMaster() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GfsClientOptions.from(GfsConfig.of(Map.of())));
    assertTrue(e.getMessage().contains("fs.gfs.master.address"), e.getMessage());
  }
}
