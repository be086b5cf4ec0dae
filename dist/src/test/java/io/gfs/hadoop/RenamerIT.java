package io.gfs.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gfs.client.GfsClient;
import io.gfs.dist.MiniGfsCluster;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Renamer}, the connector's rename for a master without renameHadoop, must give the same answers and leave the
 * same tree as the master's one-call rename: every case of HadoopRenameTest runs both ways on twin trees of a real
 * cluster and the results are compared.
 */
class RenamerIT {
  /** Each twin tree holds directories a and b, files a/f, b/f and g (HadoopRenameTest's namespace). */
  private static final List<String[]> CASES = List.of(
      new String[] {"/missing", "/x"},
      new String[] {"/g", "/g"},
      new String[] {"/a", "/a"},
      new String[] {"/a", "/a/sub"},
      new String[] {"/g", "/x"},
      new String[] {"/g", "/b/f"},
      new String[] {"/g", "/b"},
      new String[] {"/a/f", "/b"},
      new String[] {"/a/f", "/a"},
      new String[] {"/g", "/missing/x"},
      new String[] {"/a", "/g/x"},
      new String[] {"/a", "/b"},
      new String[] {"/a/f", "/g/f"});

  @TempDir
  static java.nio.file.Path dir;
  private static MiniGfsCluster cluster;
  private static FileSystem fs;
  private static GfsClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniGfsCluster.builder(dir).chunkServers(3).separateProcesses(false).zookeeper(false).build();
    Configuration conf = cluster.clientConfiguration();
    fs = FileSystem.newInstance(cluster.uri(), conf);
    client = GfsClient.create(cluster.uri().getAuthority(), GfsConfiguration.clientOptions(conf));
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (client != null) {
        client.close();
      }
      if (fs != null) {
        fs.close();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Test
  void theFallbackAnswersAsTheMasterDoes() throws IOException {
    for (int i = 0; i < CASES.size(); i++) {
      String source = CASES.get(i)[0];
      String destination = CASES.get(i)[1];
      String fallbackRoot = "/case" + i + "/fallback";
      String masterRoot = "/case" + i + "/master";
      build(fallbackRoot);
      build(masterRoot);
      boolean byFallback = new Renamer(client).rename(fallbackRoot + source, fallbackRoot + destination);
      boolean byMaster = client.renameHadoop(masterRoot + source, masterRoot + destination);
      String what = "rename " + source + " to " + destination;
      assertEquals(byMaster, byFallback, what);
      assertEquals(tree(masterRoot), tree(fallbackRoot), what + " leaves the same tree");
    }
  }

  @Test
  void theRootIsNeverRenamed() throws IOException {
    fs.mkdirs(new Path("/root-case"));
    assertFalse(new Renamer(client).rename("/", "/root-case/x"));
    assertFalse(client.renameHadoop("/", "/root-case/x"));
  }

  private static void build(String root) throws IOException {
    fs.mkdirs(new Path(root + "/a"));
    fs.mkdirs(new Path(root + "/b"));
    for (String file : List.of("/a/f", "/b/f", "/g")) {
      try (var out = fs.create(new Path(root + file), false)) {
        out.write(file.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  /** Every entry below root, relative to it, with a trailing slash on directories and a file's length. */
  private static List<String> tree(String root) throws IOException {
    List<String> out = new ArrayList<>();
    walk(new Path(root), root.length(), out);
    out.sort(null);
    return out;
  }

  private static void walk(Path directory, int rootLength, List<String> out) throws IOException {
    for (FileStatus status : fs.listStatus(directory)) {
      String relative = status.getPath().toUri().getPath().substring(rootLength);
      if (status.isDirectory()) {
        out.add(relative + "/");
        walk(status.getPath(), rootLength, out);
      } else {
        out.add(relative + " " + status.getLen());
      }
    }
  }
}
