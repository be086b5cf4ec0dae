package io.gfs.dist.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.dist.MiniGfsCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FsShell;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every common FsShell command of issue 3 against a MiniGfsCluster, through ToolRunner.run(conf, new FsShell(), args)
 * as `gfs fs` runs them: exit codes and what they print. -rm goes through Hadoop's trash policy.
 */
class FsShellIT {
  private static final int CHUNK = 1 << 20;

  private static MiniGfsCluster cluster;
  private static Configuration conf;
  private static FileSystem fs;
  private static java.nio.file.Path local;

  /** What one command did: its exit code and what it printed. */
  private record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    // A cluster name of its own: FsShell caches its FileSystem by URI, and a later test's gfs://mini/ must not get it.
    cluster = MiniGfsCluster.builder(FsTestFiles.clusterDir("fsshell")).clusterName("fsshell").chunkServers(3)
        .chunkSizeBytes(CHUNK).separateProcesses(false).zookeeper(false).build();
    conf = cluster.clientConfiguration();
    conf.set("fs.trash.interval", "60"); // minutes: -rm moves to the trash
    fs = FileSystem.newInstance(cluster.uri(), conf);
    local = FsTestFiles.clusterDir("fsshell-local");
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (fs != null) {
        fs.close();
        FileSystem.get(cluster.uri(), conf).close(); // the instance FsShell cached
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  private static synchronized Run shell(String... args) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
    ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
      code = ToolRunner.run(new Configuration(conf), new FsShell(), args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    Run run = new Run(code, capturedOut.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8));
    out.println("$ gfs fs " + String.join(" ", args) + " -> " + code + "\n" + run.out + run.err);
    return run;
  }

  private static Run ok(String... args) throws Exception {
    Run run = shell(args);
    assertEquals(0, run.exitCode, String.join(" ", args) + ": " + run.err);
    return run;
  }

  private static java.nio.file.Path localFile(String name, byte[] bytes) throws IOException {
    java.nio.file.Path file = local.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  @Test
  void directoriesListingsAndSizes() throws Exception {
    ok("-mkdir", "-p", "/shell/ls/a/b");
    byte[] bytes = FsTestFiles.data(31, 2 * CHUNK + 10);
    ok("-put", localFile("ls.bin", bytes).toString(), "/shell/ls/a/file");
    ok("-copyFromLocal", localFile("ls2.bin", new byte[] {1, 2, 3}).toString(), "/shell/ls/small");

    Run ls = ok("-ls", "/shell/ls");
    assertTrue(ls.out.contains("Found 2 items"), ls.out);
    assertTrue(ls.out.contains("/shell/ls/a") && ls.out.contains("/shell/ls/small"), ls.out);
    assertTrue(ls.out.contains("drwxr-xr-x") && ls.out.contains("-rw-r--r--"), "umask 022 applied: " + ls.out);
    Run lsr = ok("-lsr", "/shell/ls");
    assertTrue(lsr.out.contains("/shell/ls/a/b") && lsr.out.contains("/shell/ls/a/file"), lsr.out);
    Run recursive = ok("-ls", "-R", "/shell/ls");
    assertEquals(lsr.out.lines().count(), recursive.out.lines().count());

    Run du = ok("-du", "-s", "/shell/ls");
    assertTrue(du.out.startsWith(Long.toString(bytes.length + 3L)), du.out);
    Run count = ok("-count", "/shell/ls");
    String[] fields = count.out.trim().split("\\s+");
    assertEquals(Arrays.asList("3", "2", Long.toString(bytes.length + 3L), "/shell/ls"), Arrays.asList(fields),
        count.out);

    Run df = ok("-df", "/");
    String[] dfLine = df.out.lines().skip(1).findFirst().orElseThrow().trim().split("\\s+");
    long size = Long.parseLong(dfLine[1]);
    assertTrue(size > 0 && size < (1L << 60), "a real capacity, not 8 EB: " + df.out);

    ok("-rmdir", "/shell/ls/a/b");
    assertEquals(1, shell("-test", "-e", "/shell/ls/a/b").exitCode);
    assertNotEquals(0, shell("-rmdir", "/shell/ls/a").exitCode, "not empty");
  }

  @Test
  void contentsInAndOut() throws Exception {
    byte[] bytes = FsTestFiles.data(32, CHUNK + 77);
    ok("-put", localFile("io.bin", bytes).toString(), "/shell/io.bin");
    java.nio.file.Path back = local.resolve("io-back.bin");
    ok("-get", "/shell/io.bin", back.toString());
    assertArrayEquals(bytes, Files.readAllBytes(back));

    String text = "first line\nsecond line\n";
    ok("-put", localFile("text.txt", text.getBytes(StandardCharsets.UTF_8)).toString(), "/shell/text.txt");
    assertEquals(text, ok("-cat", "/shell/text.txt").out);
    assertEquals(text, ok("-text", "/shell/text.txt").out);
    ok("-appendToFile", localFile("more.txt", "third\n".getBytes(StandardCharsets.UTF_8)).toString(),
        "/shell/text.txt");
    assertEquals(text + "third\n", ok("-cat", "/shell/text.txt").out);
    byte[] tail = ok("-tail", "/shell/io.bin").out.getBytes(StandardCharsets.ISO_8859_1);
    assertTrue(tail.length > 0);

    ok("-touchz", "/shell/empty");
    assertEquals(0, shell("-test", "-z", "/shell/empty").exitCode);
    assertEquals(1, shell("-test", "-z", "/shell/text.txt").exitCode);
    assertNotEquals(0, shell("-touchz", "/shell/text.txt").exitCode, "touchz on a non-empty file fails");
    assertEquals(0, shell("-test", "-f", "/shell/empty").exitCode);
    assertEquals(0, shell("-test", "-d", "/shell").exitCode);
    assertEquals(1, shell("-test", "-d", "/shell/empty").exitCode);
    assertEquals(1, shell("-test", "-e", "/shell/none").exitCode);
  }

  @Test
  void copyMoveChecksumAndAttributes() throws Exception {
    byte[] bytes = FsTestFiles.data(33, 3 * CHUNK / 2);
    ok("-put", localFile("attr.bin", bytes).toString(), "/shell/attr.bin");
    ok("-cp", "/shell/attr.bin", "/shell/attr-copy.bin");
    ok("-mv", "/shell/attr-copy.bin", "/shell/attr-moved.bin");
    assertEquals(1, shell("-test", "-e", "/shell/attr-copy.bin").exitCode);

    String sum1 = ok("-checksum", "/shell/attr.bin").out.trim();
    String sum2 = ok("-checksum", "/shell/attr-moved.bin").out.trim();
    assertTrue(sum1.contains("COMPOSITE-CRC32C"), sum1);
    assertEquals(sum1.substring(sum1.indexOf('\t')), sum2.substring(sum2.indexOf('\t')),
        "equal contents, equal checksums");
    ok("-appendToFile", localFile("one.bin", new byte[] {9}).toString(), "/shell/attr-moved.bin");
    String sum3 = ok("-checksum", "/shell/attr-moved.bin").out.trim();
    assertNotEquals(sum1.substring(sum1.indexOf('\t')), sum3.substring(sum3.indexOf('\t')));

    ok("-chmod", "640", "/shell/attr.bin");
    ok("-chown", "alice:staff", "/shell/attr.bin");
    ok("-chgrp", "ops", "/shell/attr.bin");
    ok("-setrep", "2", "/shell/attr.bin");
    Run stat = ok("-stat", "%a %u %g %r %b %n", "/shell/attr.bin");
    assertEquals("640 alice ops 2 " + bytes.length + " attr.bin", stat.out.trim());
    ok("-chmod", "-R", "700", "/shell");
    assertEquals("700", ok("-stat", "%a", "/shell/attr-moved.bin").out.trim());
  }

  @Test
  void rmGoesThroughTheTrashAndExpungeEmptiesIt() throws Exception {
    ok("-put", localFile("trash.bin", new byte[] {1, 2, 3, 4}).toString(), "/shell/trash.bin");
    ok("-rm", "/shell/trash.bin"); // TrashPolicyDefault logs "Moved: ... to trash at: ..."
    Path trashed = new Path(fs.getTrashRoot(new Path("/shell/trash.bin")), "Current/shell/trash.bin");
    assertTrue(fs.exists(trashed), "moved to " + trashed);
    assertFalse(fs.exists(new Path("/shell/trash.bin")));

    ok("-expunge", "-immediate");
    assertFalse(fs.exists(trashed), "expunge -immediate empties the trash");

    ok("-put", localFile("skip.bin", new byte[] {5}).toString(), "/shell/skip.bin");
    ok("-rm", "-skipTrash", "/shell/skip.bin");
    assertFalse(fs.exists(new Path("/shell/skip.bin")));
    ok("-mkdir", "/shell/rmr");
    ok("-rm", "-r", "-skipTrash", "/shell/rmr");
    assertNotEquals(0, shell("-rm", "/shell/none").exitCode);
  }

  @Test
  void snapshotsAreCreatedRenamedReadAndDeleted() throws Exception {
    ok("-mkdir", "-p", "/shell/snap");
    String before = "before the snapshot\n";
    ok("-put", localFile("snap.txt", before.getBytes(StandardCharsets.UTF_8)).toString(), "/shell/snap/f.txt");
    Run created = ok("-createSnapshot", "/shell/snap", "s1");
    assertTrue(created.out.contains("Created snapshot") && created.out.contains("/shell/snap/.snapshot/s1"),
        created.out);
    ok("-appendToFile", localFile("after.txt", "after\n".getBytes(StandardCharsets.UTF_8)).toString(),
        "/shell/snap/f.txt");
    assertEquals(before + "after\n", ok("-cat", "/shell/snap/f.txt").out);
    assertEquals(before, ok("-cat", "/shell/snap/.snapshot/s1/f.txt").out, "the snapshot keeps what was");
    assertNotEquals(0, shell("-createSnapshot", "/shell/snap", "s1").exitCode, "a taken name");
    ok("-renameSnapshot", "/shell/snap", "s1", "s2");
    assertEquals(before, ok("-cat", "/shell/snap/.snapshot/s2/f.txt").out);
    assertNotEquals(0, shell("-rm", "-skipTrash", "/shell/snap/.snapshot/s2/f.txt").exitCode, "read-only");
    ok("-deleteSnapshot", "/shell/snap", "s2");
    assertEquals(1, shell("-test", "-e", "/shell/snap/.snapshot/s2/f.txt").exitCode);
  }
}
