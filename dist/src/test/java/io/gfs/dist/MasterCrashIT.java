package io.gfs.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 2: what the master acknowledged survives SIGKILL, and a log cut mid-record recovers; a restarted master does
 * not answer a length it has not learnt yet.
 */
class MasterCrashIT {
  private static final int CREATES = 300;

  @Test
  void acknowledgedCreatesSurviveSigkillAndATornLogTail() throws Exception {
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(TestData.clusterDir("master-crash"))
        .chunkServers(0).separateProcesses(true).build()) {
      createFiles(cluster, "a", CREATES);
      cluster.killMaster();
      cluster.restartMaster();
      assertEquals(names("a", CREATES), listNames(cluster, "/a"));

      createFiles(cluster, "b", CREATES);
      cluster.killMaster();
      java.nio.file.Path segment = newestLogSegment(cluster.baseDir().resolve("master"));
      long size = Files.size(segment);
      assertTrue(size > 8, "log segment " + segment + " has " + size + " bytes");
      try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
        ch.truncate(size - 3); // the last record loses its end: a torn write
      }
      cluster.restartMaster();
      assertEquals(names("a", CREATES), listNames(cluster, "/a"));
      Set<String> b = listNames(cluster, "/b");
      Set<String> allButLast = names("b", CREATES - 1);
      assertTrue(b.containsAll(allButLast), "records before the torn one survive: " + b.size());
      assertTrue(b.size() <= CREATES);

      // The recovered master takes new mutations, and they survive another crash.
      createFiles(cluster, "c", 10);
      cluster.killMaster();
      cluster.restartMaster();
      assertEquals(names("c", 10), listNames(cluster, "/c"));
    }
  }

  /**
   * The log holds only a floor of a partial chunk's length: a restarted master learns the length from the
   * chunkservers' reports. A lookup before those reports is answered BUSY, and the client retries, instead of a
   * shorter length that a reader takes for the end of the file. The chunkservers are stopped (SIGSTOP) across the
   * restart, so the first lookup certainly comes first.
   */
  @Test
  void aLookupRightAfterARestartWaitsForTheChunkReports() throws Exception {
    int lengthBytes = (5 << 20) / 2; // three chunks of 1 MiB, the last one half full
    byte[] data = TestData.bytes(11, lengthBytes);
    Path file = new Path("/r/f");
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(TestData.clusterDir("read-after-restart"))
        .chunkServers(3).chunkSizeBytes(1 << 20).separateProcesses(true).build()) {
      try (FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
        try (FSDataOutputStream out = fs.create(file, false)) {
          out.write(data);
        }
        assertEquals(lengthBytes, fs.getFileStatus(file).getLen());
      }
      cluster.stopMaster();
      try (PausedChunkServers paused = new PausedChunkServers(cluster, 3)) {
        cluster.restartMaster();
        paused.resumeAfter(2); // well inside the client's patience at the master (12.7 s by default)
        try (FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
          assertEquals(lengthBytes, fs.getFileStatus(file).getLen(), "the length before any chunk report");
          assertEquals(lengthBytes, fs.listStatus(new Path("/r"))[0].getLen());
          byte[] read = new byte[lengthBytes];
          try (FSDataInputStream in = fs.open(file)) {
            in.readFully(0, read);
            assertEquals(-1, in.read(lengthBytes, new byte[1], 0, 1), "nothing past the end");
          }
          assertArrayEquals(data, read);
        }
      }
    }
  }

  /**
   * The lengths a master learned are in its log (CHUNK_LENGTHS records, LogRecord.ChunkLengths): a file none of whose
   * chunks has a replica left when the master restarts keeps its length, and reading it fails. Before, once the
   * reports had settled, each such chunk counted as 0 bytes: the file looked empty, and a read returned nothing, with
   * success. Every chunkserver is stopped for good here, so no replica of any chunk is left.
   */
  @Test
  void aFileWhoseChunksLostEveryReplicaKeepsItsLengthAndItsReadFails() throws Exception {
    int lengthBytes = (5 << 20) / 2; // three chunks of 1 MiB, the last one half full
    byte[] data = TestData.bytes(12, lengthBytes);
    Path file = new Path("/lost/f");
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(TestData.clusterDir("lost-chunks-after-restart"))
        .chunkServers(3).chunkSizeBytes(1 << 20).chunkServerDeadAfterMillis(2_000).separateProcesses(true).build()) {
      try (FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
        try (FSDataOutputStream out = fs.create(file, false)) {
          out.write(data);
        }
        assertEquals(lengthBytes, fs.getFileStatus(file).getLen());
      }
      MasterGauges.awaitChunkLengthsLogged(cluster); // the close reported them; the next timer tick logs them
      cluster.killMaster(); // SIGKILL: the gauge counts a length until its record is durable and applied
      for (int i = 0; i < 3; i++) {
        cluster.stopChunkServer(i);
      }
      cluster.restartMaster();
      try (FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
        // Answered once the master has served a dead-after interval (2 s) without a report: within the client's
        // patience, so this waits rather than fails.
        assertEquals(lengthBytes, fs.getFileStatus(file).getLen(), "the logged length, not the 0 bytes reported");
        assertEquals(lengthBytes, fs.listStatus(new Path("/lost"))[0].getLen());
        byte[] read = new byte[lengthBytes];
        try (FSDataInputStream in = fs.open(file)) {
          IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
              () -> in.readFully(0, read));
          assertTrue(String.valueOf(e.getMessage()).contains("no live replica"), String.valueOf(e));
        }
      }
    }
  }

  private static void createFiles(MiniGfsCluster cluster, String dir, int count) throws IOException {
    try (FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
      for (int i = 0; i < count; i++) {
        fs.create(new Path("/" + dir + "/f" + i), false).close();
      }
    }
  }

  private static Set<String> listNames(MiniGfsCluster cluster, String dir) throws IOException {
    try (FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
      Set<String> names = new HashSet<>();
      for (FileStatus s : fs.listStatus(new Path(dir))) {
        names.add(s.getPath().getName());
      }
      return names;
    }
  }

  private static Set<String> names(String dir, int count) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < count; i++) {
      names.add("f" + i);
    }
    return names;
  }

  private static java.nio.file.Path newestLogSegment(java.nio.file.Path metaDir) throws IOException {
    try (Stream<java.nio.file.Path> files = Files.walk(metaDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".log"))
          .max(Comparator.comparingLong(MasterCrashIT::firstSequence))
          .orElseThrow(() -> new AssertionError("no log segment under " + metaDir));
    }
  }

  private static long firstSequence(java.nio.file.Path segment) {
    String digits = segment.getFileName().toString().replaceAll("\\D", "");
    return digits.isEmpty() ? -1 : Long.parseLong(digits);
  }
}
