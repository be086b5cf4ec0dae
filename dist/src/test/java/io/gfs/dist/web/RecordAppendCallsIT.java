package io.gfs.dist.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.dist.MiniGfsCluster;
import io.gfs.hadoop.GfsFileSystem;
import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ClusterStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;

/**
 * What a record append costs in calls [0104, 0112]: a lone appender's record of one push piece or less travels with
 * its append request to the primary and on with the primary's mutation to the secondaries, so no server is pushed
 * anything (the chain push was three pushData calls per record before the append call). The primary tells the master
 * the chunk's length for each group (reportReplicaLength, issue 6), so the client makes no reportChunkLength call.
 * Counted from every server's /metrics.
 */
class RecordAppendCallsIT {
  private static final long WAIT_MILLIS_MAX = 60_000;
  private static final int RECORDS = 5;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void aLoneAppendersRecordsTravelWithTheirRequestsAndNothingIsPushed() throws Exception {
    Path dir = Path.of("target", "it", "RecordAppendCallsIT").toAbsolutePath();
    deleteTree(dir);
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(dir).chunkServers(3).chunkSizeBytes(1 << 20).build();
        FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
      GfsFileSystem gfs = (GfsFileSystem) fs;
      List<String> metrics = metricsUrls(cluster);
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path("/appended/calls");
      fs.create(file, true).close();
      Random random = new Random(11);
      byte[] first = new byte[1000];
      random.nextBytes(first);
      gfs.recordAppend(file, first); // the lease is granted and cached before the counting starts
      awaitCalls(metrics, List.of(), 1, 2);
      List<Exposition> before = scrape(metrics);
      String masterMetrics = "http://" + cluster.clusterStatus().getHttpAddress() + "/metrics";
      List<Exposition> masterBefore = scrape(List.of(masterMetrics));
      byte[][] records = new byte[RECORDS][64 * 1024];
      long[] offsets = new long[RECORDS];
      for (int i = 0; i < RECORDS; i++) {
        random.nextBytes(records[i]);
        offsets[i] = gfs.recordAppend(file, records[i]);
      }
      List<Exposition> after = awaitCalls(metrics, before, RECORDS, 2 * RECORDS);
      assertEquals(0, moved(before, after, "pushData"), "pushData calls for " + RECORDS + " inline records");
      // One appender: each group is one record, and its primary reported it before replying (the master may count
      // a call a moment after answering it, so scrape until all are counted).
      long deadline = System.currentTimeMillis() + WAIT_MILLIS_MAX;
      List<Exposition> masterAfter = scrape(List.of(masterMetrics));
      while (moved(masterBefore, masterAfter, "reportReplicaLength") < RECORDS) {
        assertTrue(System.currentTimeMillis() < deadline, "primaries' length reports: "
            + moved(masterBefore, masterAfter, "reportReplicaLength"));
        Thread.sleep(100);
        masterAfter = scrape(List.of(masterMetrics));
      }
      assertEquals(RECORDS, moved(masterBefore, masterAfter, "reportReplicaLength"), "primaries' length reports");
      assertEquals(0, moved(masterBefore, masterAfter, "reportChunkLength"), "the client's own length reports");
      try (FSDataInputStream in = fs.open(file)) {
        for (int i = 0; i < RECORDS; i++) {
          byte[] back = new byte[records[i].length];
          in.readFully(offsets[i], back);
          assertArrayEquals(records[i], back, "record " + i + " at " + offsets[i]);
        }
      }
    } finally {
      deleteTree(dir);
    }
  }

  /** Scrapes until the servers counted this many more appendRecord and applyMutations calls (bounded). */
  private List<Exposition> awaitCalls(List<String> metrics, List<Exposition> before, int appends, int applies)
      throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS_MAX;
    while (true) {
      List<Exposition> now = scrape(metrics);
      List<Exposition> base = before.isEmpty() ? null : before;
      double appendCalls = base == null ? total(now, "appendRecord") : moved(base, now, "appendRecord");
      double applyCalls = base == null ? total(now, "applyMutations") : moved(base, now, "applyMutations");
      if (appendCalls >= appends && applyCalls >= applies) {
        return now;
      }
      assertTrue(System.currentTimeMillis() < deadline, "calls counted: " + appendCalls + " appendRecord, "
          + applyCalls + " applyMutations");
      Thread.sleep(100);
    }
  }

  private static double total(List<Exposition> servers, String method) {
    double sum = 0;
    for (Exposition e : servers) {
      sum += e.sum("gfs_rpc_server_requests_total", "method=\"" + method + "\"");
    }
    return sum;
  }

  private static double moved(List<Exposition> before, List<Exposition> after, String method) {
    return total(after, method) - total(before, method);
  }

  private List<Exposition> scrape(List<String> urls) throws IOException, InterruptedException {
    List<Exposition> out = new ArrayList<>();
    for (String url : urls) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), url + ": " + response.body());
      out.add(Exposition.parse(response.body()));
    }
    return out;
  }

  private static List<String> metricsUrls(MiniGfsCluster cluster) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS_MAX;
    while (true) {
      ClusterStatus status = cluster.clusterStatus();
      if (status.getChunkServersSize() == 3
          && status.getChunkServers().stream().allMatch(ChunkServerStatus::isSetHttpAddress)) {
        return status.getChunkServers().stream().map(s -> "http://" + s.getHttpAddress() + "/metrics").toList();
      }
      assertTrue(System.currentTimeMillis() < deadline, "status pages not announced: " + status);
      Thread.sleep(100);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
