package io.gfs.dist.fs;

import static io.gfs.dist.fs.FsTestFiles.data;
import static io.gfs.dist.fs.FsTestFiles.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.dist.MiniGfsCluster;
import io.gfs.thrift.gen.ChunkServerStatus;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * The client library's fault handling against real servers in separate processes, faults made by signals: a
 * chunkserver SIGKILLed under a writer, a master SIGKILLed and restarted under open streams, a chunkserver SIGSTOPped
 * under a reader, and failures beyond the retry budget reported with every server's error.
 */
class ClientFaultsIT {
  private static final int CHUNK = 1 << 20;

  private static MiniGfsCluster.Builder cluster(String name, int chunkServers) throws IOException {
    return MiniGfsCluster.builder(FsTestFiles.clusterDir(name)).chunkServers(chunkServers).chunkSizeBytes(CHUNK)
        .separateProcesses(true).zookeeper(true).chunkServerDeadAfterMillis(2_000).heartbeatIntervalMillis(300);
  }

  private static Configuration clientConf(MiniGfsCluster cluster) {
    Configuration conf = cluster.clientConfiguration();
    conf.set("fs.gfs.write.buffer.bytes", "256k");
    return conf;
  }

  private static int indexOf(MiniGfsCluster cluster, String name, int count) {
    for (int i = 0; i < count; i++) {
      if (cluster.chunkServerAddress(i).toString().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no chunkserver is " + name);
  }

  /** Writes bytes[from, to) in 64 KiB calls. */
  private static void writeRange(FSDataOutputStream out, byte[] bytes, int from, int to) throws IOException {
    for (int at = from; at < to; at += 64 << 10) {
      out.write(bytes, at, Math.min(64 << 10, to - at));
    }
  }

  /** Polls (bounded) until the master reports at least chunkCount chunks on chunkserver index. */
  private static void waitForChunks(MiniGfsCluster cluster, int index, long chunkCount) throws Exception {
    String address = cluster.chunkServerAddress(index).toString();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (ChunkServerStatus server : cluster.liveChunkServers()) {
        String listed = server.getAddress().getHost() + ":" + server.getAddress().getPort();
        if (listed.equals(address) && server.getChunkCount() >= chunkCount) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the master did not list " + chunkCount + " chunks on " + address + " within 30 s");
  }

  @Test
  void aChunkServerKilledMidWriteIsRetriedAroundAndTheFileReadsBackIntact() throws Exception {
    try (MiniGfsCluster c = cluster("killed-mid-write", 4).build();
        FileSystem fs = FileSystem.newInstance(c.uri(), clientConf(c))) {
      Path path = new Path("/faults/written");
      byte[] bytes = data(21, 5 * CHUNK + 777);
      try (FSDataOutputStream out = fs.create(path)) {
        int half = 2 * CHUNK + CHUNK / 2;
        writeRange(out, bytes, 0, half);
        out.hflush();
        BlockLocation[] chunk2 = fs.getFileBlockLocations(fs.getFileStatus(path), 2L * CHUNK, 1);
        assertEquals(1, chunk2.length);
        // SIGKILL a replica of the chunk being written: the next mutation on it fails, the writer drops its lease
        // and retries until the master has declared the server dead and granted a lease without it.
        int victim = indexOf(c, chunk2[0].getNames()[0], 4);
        c.killChunkServer(victim);
        writeRange(out, bytes, half, bytes.length);
      }
      assertEquals(bytes.length, fs.getFileStatus(path).getLen());
      assertArrayEquals(bytes, readAll(fs, path));
    }
  }

  @Test
  void streamsGoOnWhileTheMasterIsKilledAndRestarted() throws Exception {
    try (MiniGfsCluster c = cluster("master-restart-mid-stream", 3).build();
        FileSystem fs = FileSystem.newInstance(c.uri(), clientConf(c))) {
      Path before = new Path("/faults/before");
      byte[] old = data(22, 3 * CHUNK + 5);
      FsTestFiles.write(fs, before, old);
      Path during = new Path("/faults/during");
      byte[] bytes = data(23, 4 * CHUNK + 99);
      FSDataInputStream in = fs.open(before);
      byte[] head = new byte[CHUNK / 2];
      in.readFully(head);
      FSDataOutputStream out = fs.create(during);
      writeRange(out, bytes, 0, CHUNK / 2);
      out.hflush();

      c.killMaster();
      // The restart runs while both streams go on: they need the master for new chunks and leases, find it gone,
      // back off, re-resolve the cluster name through ZooKeeper and carry on once it is back.
      CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
        try {
          c.restartMaster();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      writeRange(out, bytes, CHUNK / 2, bytes.length);
      out.close();
      byte[] rest = new byte[old.length - head.length];
      in.readFully(rest);
      in.close();
      restart.join();

      assertArrayEquals(Arrays.copyOf(old, head.length), head);
      assertArrayEquals(Arrays.copyOfRange(old, head.length, old.length), rest);
      assertEquals(bytes.length, fs.getFileStatus(during).getLen());
      assertArrayEquals(bytes, readAll(fs, during));
    }
  }

  @Test
  void aPausedReplicaIsReadAroundAndFailuresBeyondTheRetryBudgetNameEveryServer() throws Exception {
    try (MiniGfsCluster c = cluster("paused-and-gone", 3).build();
        FileSystem fs = FileSystem.newInstance(c.uri(), clientConf(c))) {
      Path path = new Path("/faults/read");
      byte[] bytes = data(24, 2 * CHUNK + 3);
      FsTestFiles.write(fs, path, bytes);

      Configuration impatient = clientConf(c);
      impatient.set("fs.gfs.rpc.call.timeout.ms", "1500");
      impatient.set("fs.gfs.retries.max", "2");
      impatient.set("fs.gfs.retry.backoff.ms", "10");
      try (FileSystem reader = FileSystem.newInstance(c.uri(), impatient)) {
        c.pauseChunkServer(0);
        try {
          assertArrayEquals(bytes, readAll(reader, path), "SIGSTOPped replica: the others serve the file");
        } finally {
          c.resumeChunkServer(0);
        }
        // The pause may have outlasted the master's dead-after limit: wait until it lists the server's chunks again,
        // so the failure below can name all three replicas.
        waitForChunks(c, 0, 3);

        for (int i = 0; i < 3; i++) {
          c.killChunkServer(i);
        }
        IOException noReplica = assertThrows(IOException.class, () -> readAll(reader, path));
        for (int i = 0; i < 3; i++) {
          String server = c.chunkServerAddress(i).toString();
          assertTrue(noReplica.getMessage().contains(server), noReplica.getMessage());
        }
        assertTrue(noReplica.getMessage().contains("2 attempts"), noReplica.getMessage());

        c.killMaster();
        IOException noMaster = assertThrows(IOException.class, () -> reader.getFileStatus(path));
        assertTrue(noMaster.getMessage().contains("2 attempts"), noMaster.getMessage());
      }
    }
  }
}
