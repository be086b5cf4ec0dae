package io.gfs.dist.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.dist.MiniGfsCluster;
import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.MasterService;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 8, status pages and metrics, end to end on a real cluster (a master, a shadow master and three chunkservers,
 * ZooKeeper): after real traffic through the Hadoop client, every server's /metrics parses as strict Prometheus text
 * and its counters moved by at least what the traffic did; the JSON endpoints answer; and headless Chromium renders
 * the master's and a chunkserver's pages (chunkserver rows, charts, escaped user paths) and saves a screenshot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPagesIT {
  private static final int CHUNK_SERVERS = 3;
  private static final int CHUNK_BYTES = 1 << 20;
  private static final int FILES = 12;
  private static final int FILE_BYTES = 3 * CHUNK_BYTES / 2;
  /** A user path that is markup: the pages must show it as text. */
  private static final String MARKUP_NAME = "<img src=x onerror=alert(1)>";
  private static final long WAIT_MILLIS_MAX = 60_000;
  /** Each chunkserver offers this much, so the traffic shows on the capacity chart and usage bars. */
  private static final long CAPACITY_BYTES = 128L << 20;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(10_000));
  private Path dir;
  private MiniGfsCluster cluster;
  private FileSystem fs;
  private String masterWeb;
  private final List<String> chunkServerWebs = new ArrayList<>();
  private Exposition masterBefore;
  private final List<Exposition> chunkServersBefore = new ArrayList<>();

  @BeforeAll
  void startClusterAndRunTraffic() throws Exception {
    dir = Path.of("target", "it", "StatusPagesIT").toAbsolutePath();
    deleteTree(dir);
    cluster = MiniGfsCluster.builder(dir).chunkServers(CHUNK_SERVERS).racks(2).chunkSizeBytes(CHUNK_BYTES).shadows(1)
        // The shadow makes the one master elected: a long session, so a stall under load never deposes it mid-test.
        .masterSessionTimeoutMillis(10_000).config("gfs.diagnostic.sample.interval.ms", "500")
        .chunkServerConfig("gfs.chunkserver.capacity.bytes", Long.toString(CAPACITY_BYTES)).build();
    ClusterStatus status = waitForWebAddresses();
    masterWeb = "http://" + status.getHttpAddress() + "/";
    for (ChunkServerStatus s : status.getChunkServers()) {
      chunkServerWebs.add("http://" + s.getHttpAddress() + "/");
    }
    masterBefore = Exposition.parse(get(masterWeb + "metrics"));
    for (String web : chunkServerWebs) {
      chunkServersBefore.add(Exposition.parse(get(web + "metrics")));
    }
    fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration());
    traffic();
  }

  @AfterAll
  void stop() throws IOException {
    try {
      if (fs != null) {
        fs.close();
      }
    } finally {
      rpc.close();
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  /** Writes and reads FILES files in rounds (so the charts get several samples of it), lists, fails, snapshots. */
  private void traffic() throws Exception {
    Random random = new Random(8);
    byte[] data = new byte[FILE_BYTES];
    fs.mkdirs(hadoopPath("/data"));
    for (int i = 0; i < FILES; i++) {
      random.nextBytes(data);
      try (FSDataOutputStream out = fs.create(hadoopPath("/data/file-" + i))) {
        out.write(data);
      }
      byte[] back = new byte[FILE_BYTES];
      try (FSDataInputStream in = fs.open(hadoopPath("/data/file-" + i))) {
        in.readFully(back);
      }
      assertTrue(Arrays.equals(data, back), "file " + i + " reads back as written");
      assertEquals(i + 1, fs.listStatus(hadoopPath("/data")).length);
    }
    try (FSDataOutputStream out = fs.create(hadoopPath("/data/" + MARKUP_NAME))) {
      out.write(1);
    }
    try {
      fs.getFileStatus(hadoopPath("/data/missing"));
    } catch (FileNotFoundException expected) {
      // an error outcome for the metrics and the page's RPC digest
    }
    fs.createSnapshot(hadoopPath("/data"), "before-upgrade");
  }

  @Test
  void everyServersMetricsParseAndCountersMovedWithTheTraffic() throws Exception {
    Exposition master = Exposition.parse(get(masterWeb + "metrics"));
    assertEquals("counter", master.type("gfs_rpc_server_requests_total"));
    assertEquals("histogram", master.type("gfs_rpc_server_duration_seconds"));
    assertTrue(moved(masterBefore, master, "gfs_rpc_server_requests_total", "method=\"create\"",
        "outcome=\"OK\"") >= FILES + 1, "creates counted");
    assertTrue(moved(masterBefore, master, "gfs_rpc_server_requests_total", "method=\"getFileInfo\"",
        "outcome=\"NOT_FOUND\"") >= 1, "the failed lookup counted by its outcome");
    assertTrue(moved(masterBefore, master, "gfs_rpc_server_duration_seconds_count", "method=\"acquireLease\"") >= FILES,
        "lease grants timed");
    assertTrue(moved(masterBefore, master, "gfs_master_oplog_sync_duration_seconds_count") >= 1, "op-log fsyncs timed");
    assertTrue(moved(masterBefore, master, "gfs_master_oplog_synced_records_total") >= FILES + 2, "records synced");
    assertTrue(master.value("gfs_master_files") >= FILES + 1, "files gauge");
    assertTrue(master.value("gfs_master_chunks") >= 2 * FILES, "chunks gauge");
    assertEquals(CHUNK_SERVERS, master.value("gfs_master_chunkservers_live"));
    assertTrue(master.value("gfs_master_capacity_bytes") > 0);
    assertTrue(master.value("gfs_master_under_replicated_chunks") >= 0, "the replication queue is a number");
    assertEquals(1, master.value("gfs_master_role{role=\"active\"}"));
    assertTrue(master.value("jvm_memory_used_bytes{area=\"heap\"}") > 0);
    long written = 0;
    long read = 0;
    long pushes = 0;
    for (int i = 0; i < chunkServerWebs.size(); i++) {
      // The vitals behind the chunk gauge are reused for up to VITALS_REUSE_MILLIS: a scrape within a second of the
      // "before" scrape (a fast machine writes the files in less) may still show the empty server.
      Exposition cs = scrapeUntilChunksShow(chunkServerWebs.get(i) + "metrics");
      written += (long) moved(chunkServersBefore.get(i), cs, "gfs_chunkserver_written_bytes_total");
      read += (long) moved(chunkServersBefore.get(i), cs, "gfs_chunkserver_read_bytes_total");
      pushes += (long) moved(chunkServersBefore.get(i), cs, "gfs_rpc_server_requests_total", "method=\"pushData\"");
      assertTrue(cs.has("gfs_chunkserver_checksum_failures_total"));
      assertTrue(cs.value("gfs_chunkserver_chunks") > 0, "chunks held by " + chunkServerWebs.get(i));
    }
    long fileBytes = (long) FILES * FILE_BYTES;
    assertTrue(written >= 3 * fileBytes, "every byte written on 3 replicas: " + written + " < 3 x " + fileBytes);
    assertTrue(read >= fileBytes, "every byte read back once: " + read + " < " + fileBytes);
    assertTrue(pushes >= 3L * FILES, "pushData calls counted: " + pushes);
    Exposition shadow = waitForShadowLag();
    assertEquals(1, shadow.value("gfs_master_role{role=\"shadow\"}"));
    assertTrue(shadow.has("gfs_rpc_server_requests_total"), "the shadow counts its RPCs (log batches)");
  }

  @Test
  void jsonEndpointsAnswerWithTheClusterAndEscapeUserData() throws Exception {
    String overview = get(masterWeb + "api/overview");
    assertTrue(overview.contains("\"role\":\"active\"") && overview.contains("\"chunkServers\":" + CHUNK_SERVERS),
        overview);
    String servers = get(masterWeb + "api/chunkservers");
    for (ChunkServerStatus s : cluster.liveChunkServers()) {
      assertTrue(servers.contains("\"serverId\":\"" + s.getServerId() + "\""), servers);
    }
    String snapshots = get(masterWeb + "api/snapshots?path=/data");
    assertTrue(snapshots.contains("\"name\":\"before-upgrade\""), snapshots);
    String chunks = get(masterWeb + "api/chunks");
    assertTrue(chunks.contains("\"underReplicatedCount\":") && chunks.contains("\"corrupt\":["), chunks);
    assertTrue(get(masterWeb + "api/samples").startsWith("[{\"timeMillis\":"));
    lookUpMarkupPath();
    String events = get(masterWeb + "api/events");
    assertTrue(events.contains("\\u003cimg src=x onerror=alert(1)>"), "markup in paths is escaped in JSON too");
    String cs = get(chunkServerWebs.get(0) + "api/status");
    assertTrue(cs.contains("\"scrubber\":{\"on\":true"), cs);
  }

  @Test
  void pagesRenderInHeadlessChromium() throws Exception {
    Chromium chromium = Chromium.find(dir);
    assumeTrue(chromium != null, "chromium is not installed (apt-get install -y chromium; .ci/run installs it): "
        + "skipping the browser test");
    waitForSamples(12);
    try (FSDataOutputStream out = fs.create(hadoopPath("/data/being-written"))) {
      out.write(new byte[4096]);
      out.hflush(); // the lease table shows this file's chunk while it is open
      lookUpMarkupPath();
      shootPages(chromium);
    }
  }

  private void shootPages(Chromium chromium) throws Exception {
    String dom = chromium.dumpDom(masterWeb + "?snapshots=/data", 4000);
    assertTrue(dom.contains("id=\"chunkserver-table\""), "the chunkserver table renders");
    for (ChunkServerStatus s : cluster.liveChunkServers()) {
      assertTrue(dom.contains(">" + s.getServerId() + "<"), "a row for chunkserver " + s.getServerId());
      assertTrue(dom.contains("href=\"http://" + s.getHttpAddress() + "/\""), "a link to its page");
    }
    assertEquals(CHUNK_SERVERS, count(dom, "<svg class=\"usage\""), "one usage bar per chunkserver row");
    for (String chart : List.of("chart-capacity", "chart-throughput")) {
      String figure = dom.substring(dom.indexOf("id=\"" + chart + "\""));
      figure = figure.substring(0, figure.indexOf("</figure>"));
      assertTrue(figure.contains("<polyline"), chart + " draws lines: " + figure);
    }
    assertTrue(dom.contains("before-upgrade"), "the snapshot is listed");
    assertTrue(dom.contains("id=\"lease-table\"") && !dom.contains("no lease held"), "the open file's lease shows");
    assertTrue(dom.contains("id=\"rpc-digest\"") && dom.contains("acquireLease"), "the RPC digest lists methods");
    String lookups = dom.substring(dom.indexOf("<td>getFileInfo</td>"));
    assertTrue(lookups.substring(0, lookups.indexOf("</tr>")).contains("class=\"bad\""),
        "the failed lookup counts as an error in the RPC digest");
    assertTrue(dom.contains("&lt;img src=x onerror=alert(1)&gt;"), "the markup path shows as text");
    assertFalse(dom.contains("<img src=\"x\"") || dom.contains("<img src=x"), "and never as an element");

    String csDom = chromium.dumpDom(chunkServerWebs.get(0), 3000);
    assertTrue(csDom.contains("id=\"scrubber-facts\"") && csDom.contains("id=\"chart-throughput\""), csDom);
    assertTrue(csDom.contains("<polyline"), "the chunkserver's charts draw lines");

    Path shots = Path.of("target", "status-pages").toAbsolutePath();
    Path master = shots.resolve("master-status.png");
    chromium.screenshot(masterWeb + "?snapshots=/data", master, 1280, 1500);
    chromium.screenshot(chunkServerWebs.get(0), shots.resolve("chunkserver-status.png"), 1280, 1100);
    byte[] png = Files.readAllBytes(master);
    assertTrue(png.length > 20_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a real PNG: " + png.length);
    String docs = System.getProperty("gfs.docs.screenshot");
    if (docs != null && !docs.isBlank()) { // how docs/images/master-status.png is refreshed
      Files.copy(master, Path.of(docs), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** A fresh RPC naming the markup path, so it is among the latest events the pages show. */
  private void lookUpMarkupPath() throws IOException {
    assertEquals(1, fs.getFileStatus(hadoopPath("/data/" + MARKUP_NAME)).getLen());
  }

  private ClusterStatus waitForWebAddresses() throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS_MAX;
    while (true) {
      ClusterStatus status = cluster.clusterStatus();
      if (status.isSetHttpAddress() && status.getChunkServersSize() == CHUNK_SERVERS
          && status.getChunkServers().stream().allMatch(ChunkServerStatus::isSetHttpAddress)) {
        return status;
      }
      assertTrue(System.currentTimeMillis() < deadline, "status pages not announced: " + status);
      Thread.sleep(100);
    }
  }

  /** The shadow's metrics once it has applied a log batch from the active master (its lag is then a number). */
  private Exposition waitForShadowLag() throws Exception {
    HostPort shadow = cluster.shadowAddress(0);
    ClusterStatus status = rpc.master(shadow, MasterService.Client::getClusterStatus);
    assertTrue(status.isSetHttpAddress(), "the shadow announces its pages: " + status);
    long deadline = System.currentTimeMillis() + WAIT_MILLIS_MAX;
    while (true) {
      Exposition metrics = Exposition.parse(get("http://" + status.getHttpAddress() + "/metrics"));
      double lag = metrics.value("gfs_master_shadow_lag_seconds");
      if (lag >= 0) {
        return metrics;
      }
      assertTrue(System.currentTimeMillis() < deadline, "the shadow never reported a lag");
      Thread.sleep(200);
    }
  }

  private void waitForSamples(int count) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS_MAX;
    while (count(get(masterWeb + "api/samples"), "\"timeMillis\"") < count) {
      assertTrue(System.currentTimeMillis() < deadline, "fewer than " + count + " samples");
      Thread.sleep(100);
    }
  }

  private static org.apache.hadoop.fs.Path hadoopPath(String path) {
    return new org.apache.hadoop.fs.Path(path);
  }

  private static double moved(Exposition before, Exposition after, String name, String... labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      n++;
    }
    return n;
  }

  private String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), url + ": " + response.body());
    return response.body();
  }

  private Exposition scrapeUntilChunksShow(String url) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Exposition cs = Exposition.parse(get(url));
    while (cs.value("gfs_chunkserver_chunks") <= 0 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      cs = Exposition.parse(get(url));
    }
    return cs;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
