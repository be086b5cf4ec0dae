package io.gfs.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

/** The active master's gauges, read from its /metrics page, for tests that wait on its background work. */
public final class MasterGauges {
  private static final long WAIT_SECONDS_MAX = 30;

  private MasterGauges() {}

  /** One gauge's value from the Prometheus text exposition. */
  public static double read(MiniGfsCluster cluster, String name) throws IOException, InterruptedException {
    String url = "http://" + cluster.clusterStatus().getHttpAddress() + "/metrics";
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    for (String line : body.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError(name + " not in " + url);
  }

  /**
   * Waits (at most 30 s) until the master has logged every chunk length it learned: a file written and closed before
   * this call has its lengths in the log afterwards, and the master logs nothing more of it on its own.
   */
  public static void awaitChunkLengthsLogged(MiniGfsCluster cluster) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS_MAX);
    while (read(cluster, "gfs_master_chunk_lengths_unlogged") > 0) {
      assertTrue(System.nanoTime() < deadline, "the master did not log the chunk lengths within 30 s");
      Thread.sleep(50);
    }
  }
}
