package io.gfs.dist.reliability;

import io.gfs.client.GfsClient;
import io.gfs.client.GfsClientOptions;
import io.gfs.client.GfsFileReader;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.dist.MiniGfsCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * What the scenarios share: a cluster of real processes with timeouts short enough that faults play out within
 * seconds, clients of the gfs library (through the proxy or straight to the cluster), whole-file reads and bounded
 * polls.
 */
final class ScenarioSupport {
  static final long CHUNK_BYTES = 1 << 20;
  static final long CALL_TIMEOUT_MILLIS = 3_000;

  private ScenarioSupport() {}

  /** Processes, 1 MiB chunks, 3 s leases, 300 ms heartbeats, dead after 2 s: faults resolve in seconds. */
  static MiniGfsCluster.Builder cluster(String scenario, int chunkServers) throws IOException {
    return MiniGfsCluster.builder(freshDir(scenario)).clusterName(scenario.replace('-', '_'))
        .chunkServers(chunkServers).chunkSizeBytes(CHUNK_BYTES).separateProcesses(true)
        .leaseDurationMillis(3_000).heartbeatIntervalMillis(300).chunkServerDeadAfterMillis(2_000)
        .config(GfsConfigKeys.Rpc.CALL_TIMEOUT_MS.name(), Long.toString(CALL_TIMEOUT_MILLIS));
  }

  /** A client that finds the master at masterOrProxy (the proxy's address when connections are faulted). */
  static GfsClient client(MiniGfsCluster cluster, HostPort masterOrProxy) {
    Map<String, String> c = baseClientConfig();
    c.put(GfsConfigKeys.Client.MASTER_ADDRESS.name(), masterOrProxy.toString());
    return GfsClient.create(cluster.uri().getAuthority(), GfsClientOptions.from(GfsConfig.of(c)));
  }

  /** A client that resolves the active master through ZooKeeper's alias, as in production. */
  static GfsClient zooKeeperClient(MiniGfsCluster cluster) {
    Map<String, String> c = baseClientConfig();
    c.put(GfsConfigKeys.Client.ZOOKEEPER_CONNECT.name(), cluster.zookeeperConnectString());
    c.put(GfsConfigKeys.Client.ZOOKEEPER_SESSION_TIMEOUT_MS.name(), "5000");
    return GfsClient.create(cluster.uri().getAuthority(), GfsClientOptions.from(GfsConfig.of(c)));
  }

  private static Map<String, String> baseClientConfig() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(GfsConfigKeys.Client.CALL_TIMEOUT_MS.name(), Long.toString(CALL_TIMEOUT_MILLIS));
    c.put(GfsConfigKeys.Client.RETRIES_MAX.name(), "8");
    c.put(GfsConfigKeys.Client.RETRY_BACKOFF_MS.name(), "100");
    c.put(GfsConfigKeys.Client.WRITE_BUFFER_BYTES.name(), "256k");
    c.put(GfsConfigKeys.Client.LOCATION_CACHE_TTL_MS.name(), "2000");
    return c;
  }

  static byte[] readAll(GfsClient client, String path) throws IOException {
    try (GfsFileReader reader = client.open(path)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[1 << 20];
      long position = 0;
      int n;
      while ((n = reader.read(position, buffer, 0, buffer.length)) > 0) {
        out.write(buffer, 0, n);
        position += n;
      }
      return out.toByteArray();
    }
  }

  /** Polls until condition holds or timeoutMillis pass; returns whether it held. */
  static boolean await(long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(200);
    }
    return true;
  }

  /** target/it/reliability-NAME, emptied; kept after the run so the servers' logs can be read. */
  static Path freshDir(String scenario) throws IOException {
    Path dir = Path.of("target", "it", "reliability-" + scenario).toAbsolutePath();
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(dir);
    return dir;
  }
}
