package io.gfs.dist.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gfs.dist.MiniGfsCluster;
import io.gfs.thrift.gen.ChunkServerStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every {@code gfs admin} command against a real cluster (ZooKeeper, a master and 4 chunkservers in this JVM, 1 MiB
 * chunks, 3 replicas), checking what it prints and its exit status. Ends with a decommission run end to end: the
 * drained chunkserver is stopped and every chunk still has 3 live replicas and reads back intact, and then with a
 * chunk made unreadable so that fsck exits 1.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminCommandsIT {
  private static final int CHUNK = 1 << 20;
  private static final int FILES = 4;
  private static final int FILE_BYTES = 3 * CHUNK + 12_345;

  private static MiniGfsCluster cluster;
  private static FileSystem fs;
  private static Configuration conf;

  @BeforeAll
  static void start() throws Exception {
    java.nio.file.Path dir = java.nio.file.Path.of("target", "it", "admin").toAbsolutePath();
    if (Files.exists(dir)) {
      try (Stream<java.nio.file.Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    cluster = MiniGfsCluster.builder(dir).chunkServers(4).racks(2).chunkSizeBytes(CHUNK).separateProcesses(false)
        // Dead after 6 s of silence: short enough for the tests that stop a server, long enough that heartbeats held up
        // on a loaded machine never make a running server look dead (the report expects all four live).
        .zookeeper(true).leaseDurationMillis(2000).heartbeatIntervalMillis(200).chunkServerDeadAfterMillis(6000)
        .masterConfig("gfs.master.gc.retention.ms", "600000").build();
    conf = cluster.clientConfiguration();
    fs = FileSystem.newInstance(cluster.uri(), conf);
    for (int i = 0; i < FILES; i++) {
      write(new Path("/data/f" + i), i);
    }
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (fs != null) {
        fs.close();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  private static byte[] content(int seed, int length) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static void write(Path path, int seed) throws IOException {
    try (FSDataOutputStream out = fs.create(path)) {
      out.write(content(seed, FILE_BYTES));
    }
  }

  private static AdminRun admin(String... args) {
    return AdminRun.of(conf, args);
  }

  @Test
  @Order(1)
  void reportListsEveryChunkServerWithRackCapacityAndChunkHealth() throws Exception {
    AdminRun run = admin("report");
    assertEquals(0, run.status(), run::toString);
    assertTrue(run.out().contains("Live chunkservers: 4"), run::toString);
    assertTrue(run.out().contains("Files: " + FILES), run::toString);
    assertTrue(run.out().contains("Corrupt chunks: 0   Missing chunks: 0"), run::toString);
    assertTrue(run.out().contains("Safe mode: off   Balancer: running"), run::toString);
    for (int i = 0; i < 4; i++) {
      String address = cluster.chunkServerAddress(i).toString();
      Matcher row = Pattern.compile("(?m)^" + Pattern.quote(address) + "\\s+\\S+\\s+(/rack\\d)\\s+in-service\\s")
          .matcher(run.out());
      assertTrue(row.find(), () -> address + " missing or without rack/state in\n" + run);
      assertEquals("/rack" + (i % 2), row.group(1));
    }
    assertTrue(run.out().matches("(?s).*Configured capacity: \\d+\\.\\d [KMGTPE]iB.*"), run::toString);
  }

  @Test
  @Order(2)
  void fsckJudgesEveryChunkAndListsFilesBlocksAndLocations() {
    AdminRun run = admin("fsck", "/", "-files", "-blocks", "-locations");
    assertEquals(0, run.status(), run::toString);
    assertTrue(run.out().contains("Status: HEALTHY"), run::toString);
    assertTrue(run.out().contains("Total files:             " + FILES), run::toString);
    assertTrue(run.out().contains("Total chunks:            " + FILES * 4), run::toString);
    assertTrue(run.out().contains("/data/f0 " + FILE_BYTES + " bytes, replication 3, 4 chunk(s): OK"), run::toString);
    assertTrue(run.out().matches("(?s).*  chunk 3: handle \\d+ v\\d+ 12345 B, 3/3 replicas OK \\[127\\.0\\.0\\.1:\\d+, .*"),
        run::toString);
    AdminRun file = admin("fsck", "/data/f1");
    assertEquals(0, file.status(), file::toString);
    assertTrue(file.out().contains("Total files:             1"), file::toString);
    assertFalse(file.out().contains("/data/f1 " + FILE_BYTES + " bytes"), "no per-file line without -files:\n" + file);
    AdminRun absent = admin("fsck", "/nothing/here");
    assertEquals(1, absent.status(), absent::toString);
    assertTrue(absent.err().contains("NOT_FOUND"), absent::toString);
  }

  @Test
  @Order(3)
  void deletedEntriesAreListedUnderTheirOriginalNamesAndCanBeUndeleted() throws Exception {
    write(new Path("/trash/victim"), 99);
    assertTrue(fs.delete(new Path("/trash/victim"), false));
    assertFalse(fs.exists(new Path("/trash/victim")));
    AdminRun list = admin("deleted", "list", "/trash");
    assertEquals(0, list.status(), list::toString);
    assertTrue(list.out().contains("1 deleted entry in /trash"), list::toString);
    assertTrue(list.out().matches("(?s).*\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d file\\s+" + FILE_BYTES
        + "\\s+/trash/victim\n.*"), list::toString);
    AdminRun undelete = admin("deleted", "undelete", "/trash/victim");
    assertEquals(0, undelete.status(), undelete::toString);
    assertTrue(fs.exists(new Path("/trash/victim")));
    assertEquals(FILE_BYTES, fs.getFileStatus(new Path("/trash/victim")).getLen());
    AdminRun again = admin("deleted", "undelete", "/trash/victim");
    assertEquals(1, again.status(), "nothing deleted is there any more:\n" + again);
    assertTrue(admin("deleted", "list", "/trash").out().contains("0 deleted entries in /trash"));
    assertTrue(fs.delete(new Path("/trash"), true)); // leaves the tree as fsck below expects
  }

  @Test
  @Order(4)
  void snapshotsAreListedInNameOrder() throws Exception {
    fs.mkdirs(new Path("/snapped"));
    fs.createSnapshot(new Path("/snapped"), "s2");
    fs.createSnapshot(new Path("/snapped"), "s1");
    AdminRun run = admin("snapshots", "/snapped");
    assertEquals(0, run.status(), run::toString);
    assertEquals("2 snapshot(s) of /snapped\n/snapped/.snapshot/s1\n/snapped/.snapshot/s2\n", run.out());
    AdminRun none = admin("snapshots", "/data");
    assertEquals("0 snapshot(s) of /data\n", none.out());
  }

  @Test
  @Order(5)
  void policySetAndGetWithInheritance() throws Exception {
    fs.mkdirs(new Path("/logs/app"));
    AdminRun set = admin("policy", "set", "/logs", "--replication", "2", "--gc-retention", "1h");
    assertEquals(0, set.status(), set::toString);
    assertEquals("/logs: replication 2 (effective 2), gc retention 1h (effective 1h)\n", set.out());
    AdminRun child = admin("policy", "get", "/logs/app");
    assertEquals("/logs/app: replication inherit (effective 2), gc retention inherit (effective 1h)\n", child.out());
    AdminRun partly = admin("policy", "set", "/logs", "--gc-retention", "0");
    assertEquals("/logs: replication 2 (effective 2), gc retention 0 (purged at once) (effective 0 (purged at once))\n",
        partly.out());
    AdminRun back = admin("policy", "set", "/logs", "--replication", "inherit", "--gc-retention", "inherit");
    assertEquals("/logs: replication inherit (effective 3), gc retention inherit (effective 10m)\n", back.out());
    assertEquals(2, admin("policy", "set", "/logs").status(), "set without a value is a usage error");
    assertEquals(2, admin("policy", "set", "/logs", "--replication", "two").status());
    AdminRun bad = admin("policy", "set", "/logs", "--replication", "40");
    assertEquals(1, bad.status(), bad::toString);
    assertTrue(bad.err().contains("INVALID_ARGUMENT"), bad::toString);
  }

  @Test
  @Order(6)
  void safeModeRefusesMutationsWithATypedErrorUntilLeft() throws Exception {
    AdminRun enter = admin("safemode", "enter");
    assertEquals(0, enter.status(), enter::toString);
    assertEquals("Safe mode is ON (entered by an operator)\n", enter.out());
    IOException refused = assertThrows(IOException.class, () -> fs.mkdirs(new Path("/frozen")));
    assertTrue(refused.getMessage().contains("SAFE_MODE"), () -> "mkdirs in safe mode: " + refused);
    assertTrue(fs.exists(new Path("/data/f0")), "reads go on in safe mode");
    assertTrue(admin("report").out().contains("Safe mode: ON"));
    AdminRun timedOut = admin("safemode", "wait", "--timeout", "1s");
    assertEquals(1, timedOut.status(), timedOut::toString);
    assertTrue(timedOut.out().contains("  0% waiting for safe mode to end"), timedOut::toString);
    assertEquals("Safe mode is ON (entered by an operator)\n", admin("safemode", "get").out());
    AdminRun leave = admin("safemode", "leave");
    assertEquals("Safe mode is OFF\n", leave.out());
    AdminRun waited = admin("safemode", "wait");
    assertEquals(0, waited.status(), waited::toString);
    assertTrue(fs.mkdirs(new Path("/frozen")));
  }

  @Test
  @Order(7)
  void balancerStopsStartsAndWaitsUntilBalanced() {
    AdminRun stop = admin("balancer", "stop");
    assertEquals(0, stop.status(), stop::toString);
    assertTrue(stop.out().startsWith("Balancer stopped: utilisation spread "), stop::toString);
    assertTrue(admin("report").out().contains("Balancer: stopped"));
    assertTrue(admin("balancer", "status").out().startsWith("Balancer stopped"));
    AdminRun start = admin("balancer", "start", "--wait", "--timeout", "60s");
    assertEquals(0, start.status(), start::toString);
    assertTrue(start.out().contains("balanced\nBalancer running: "), start::toString);
    assertTrue(start.out().endsWith("threshold 5.0%), 0 move(s) in flight, balanced\n"), start::toString);
  }

  @Test
  @Order(8)
  void usageErrorsExitTwoAndUnknownServersOne() {
    for (String[] args : new String[][] {{}, {"bogus"}, {"fsck"}, {"fsck", "/", "-bogus"}, {"deleted", "purge"},
        {"decommission", "start"}, {"safemode", "sideways"}, {"--fs", "hdfs://x/", "report"}, {"balancer"}}) {
      AdminRun run = admin(args);
      assertEquals(2, run.status(), () -> String.join(" ", args) + ": " + run);
      assertTrue(run.err().contains("usage: gfs admin"), run::toString);
    }
    AdminRun help = admin("--help");
    assertEquals(0, help.status());
    assertTrue(help.out().contains("decommission start SERVER [--wait [--timeout DURATION]]"), help::toString);
    AdminRun unknown = admin("decommission", "status", "127.0.0.1:1");
    assertEquals(1, unknown.status(), unknown::toString);
    assertTrue(unknown.err().contains("NOT_FOUND"), unknown::toString);
  }

  @Test
  @Order(9)
  void decommissionDrainsAServerSoThatStoppingItLeavesEveryChunkAtItsTarget() throws Exception {
    String server = cluster.chunkServerAddress(0).toString();
    int held = chunksOn(server);
    assertTrue(held > 0, "the first chunkserver holds no chunk; the test needs some");
    AdminRun notDraining = admin("decommission", "wait", server);
    assertEquals(1, notDraining.status(), notDraining::toString);
    AdminRun drain = admin("decommission", "start", server, "--wait", "--timeout", "120s");
    assertEquals(0, drain.status(), drain::toString);
    assertTrue(drain.out().contains("decommissioned: " + server + " can be stopped"), drain::toString);
    assertTrue(drain.out().matches("(?s).*100% 0 chunk\\(s\\) still to re-replicate\n.*"), drain::toString);
    assertTrue(drain.out().endsWith(": decommissioned, " + held + " chunk(s) held, 0 still short of their"
        + " replication without it\n"), drain::toString);
    AdminRun report = admin("report");
    assertTrue(report.out().matches("(?s).*" + Pattern.quote(server) + "\\s+\\S+\\s+/rack0\\s+decommissioned\\s.*"),
        report::toString);
    // A drained server takes no new chunk: a new file's replicas all go elsewhere.
    write(new Path("/data/after-drain"), 42);
    AdminRun blocks = admin("fsck", "/data/after-drain", "-blocks", "-locations");
    assertFalse(blocks.out().contains(server), blocks::toString);

    cluster.stopChunkServer(0);
    waitUntilForgotten(server);
    AdminRun fsck = admin("fsck", "/");
    assertEquals(0, fsck.status(), fsck::toString);
    assertTrue(fsck.out().contains("Under-replicated chunks: 0 (0.0%)"), fsck::toString);
    assertTrue(fsck.out().contains("Missing chunks:          0 in 0 files"), fsck::toString);
    assertTrue(admin("report").out().contains("Under-replicated chunks: 0   Corrupt chunks: 0   Missing chunks: 0"));
    for (int i = 0; i < FILES; i++) {
      assertArrayEquals(content(i, FILE_BYTES), read(new Path("/data/f" + i)), "file " + i);
    }
  }

  @Test
  @Order(10)
  void fsckExitsOneWhenAChunkHasNoLiveReplica() throws Exception {
    Path single = new Path("/fragile/one-copy");
    try (FSDataOutputStream out = fs.create(single, true, 4096, (short) 1, CHUNK)) {
      out.write(content(7, 1000));
    }
    String holder = onlyReplica(single.toString());
    int index = -1;
    for (int i = 1; i < 4; i++) {
      if (cluster.chunkServerAddress(i).toString().equals(holder)) {
        index = i;
      }
    }
    assertTrue(index > 0, "replica on " + holder);
    cluster.stopChunkServer(index);
    waitUntilForgotten(holder);
    AdminRun fsck = admin("fsck", "/", "-files");
    assertEquals(1, fsck.status(), fsck::toString);
    assertTrue(fsck.out().contains("/fragile/one-copy 1000 bytes, replication 1, 1 chunk(s): CORRUPT: 1 missing"),
        fsck::toString);
    assertTrue(fsck.out().contains("Status: CORRUPT"), fsck::toString);
    assertTrue(fsck.out().contains("The filesystem under path '/' is CORRUPT"), fsck::toString);
    assertTrue(admin("report").out().contains("Missing chunks: 1"));
    assertEquals(0, admin("fsck", "/data").status(), "the rest stays healthy");
  }

  private static byte[] read(Path path) throws IOException {
    try (FSDataInputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }

  private static int chunksOn(String address) throws IOException {
    for (ChunkServerStatus s : cluster.liveChunkServers()) {
      if ((s.getAddress().getHost() + ":" + s.getAddress().getPort()).equals(address)) {
        return (int) s.getChunkCount();
      }
    }
    return -1;
  }

  private static String onlyReplica(String path) {
    AdminRun run = admin("fsck", path, "-blocks", "-locations");
    Matcher m = Pattern.compile("1/1 replicas OK \\[([^\\]]+)\\]").matcher(run.out());
    assertTrue(m.find(), run::toString);
    return m.group(1);
  }

  /** Bounded poll until the master no longer lists the stopped server (dead after 6 s of silence). */
  private static void waitUntilForgotten(String address) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (chunksOn(address) < 0) {
        return;
      }
      Thread.sleep(100);
    }
    fail(address + " still listed 60 s after it stopped");
  }
}
