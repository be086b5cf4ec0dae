package io.gfs.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.ClusterStatus;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: MiniGfsCluster's masters(n)/shadows(n) options: two master processes (active and standby on one meta dir)
 * and a shadow; SIGKILL of the active one, and the client's next write goes through the standby by itself; the master
 * that takes over does not answer a length it has not learnt yet.
 */
class MiniGfsClusterHaIT {
  @Test
  void theStandbyTakesOverAfterTheActiveMasterIsKilled() throws Exception {
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(TestData.clusterDir("mini-ha"))
        .masters(2).shadows(1).separateProcesses(true).chunkServers(3).chunkSizeBytes(1 << 20).build();
        RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(10_000))) {
      assertEquals(2, cluster.masterCount());
      assertEquals(0, cluster.activeMasterIndex(), "master 0 starts first and leads");
      ClusterStatus shadow = rpc.master(cluster.shadowAddress(0), c -> c.getClusterStatus());
      assertEquals("shadow", shadow.getRole());
      FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration());
      try {
        write(fs, "/before", "written through master 0");
        HostPort first = cluster.masterAddress();
        cluster.killMaster(); // SIGKILL of the active one
        write(fs, "/after", "written through the standby");
        assertEquals(1, cluster.activeMasterIndex());
        assertNotEquals(first, cluster.masterAddress());
        assertEquals("written through master 0", read(fs, "/before"));
        assertEquals("written through the standby", read(fs, "/after"));
        cluster.restartMaster(); // master 0 back, as a standby
        assertEquals(1, cluster.activeMasterIndex(), "a restarted master does not take over a live term");
      } finally {
        fs.close();
      }
    }
  }

  /**
   * A standby gets no chunk reports, so the master that takes over knows no chunk's length until the chunkservers
   * report to it. The chunkservers are stopped (SIGSTOP) across the takeover and resumed 2 s after the new master
   * leads: the first lookups certainly come before any report, and must wait for it (BUSY, retried by the client)
   * instead of answering a length of 0.
   */
  @Test
  void theMasterThatTakesOverAnswersNoLengthBeforeTheChunkserversReport() throws Exception {
    int lengthBytes = (5 << 20) / 2; // three chunks of 1 MiB, the last one half full
    byte[] data = TestData.bytes(12, lengthBytes);
    Path file = new Path("/t/f");
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(TestData.clusterDir("mini-ha-lengths"))
        .masters(2).separateProcesses(true).chunkServers(3).chunkSizeBytes(1 << 20).build()) {
      try (FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration());
          FSDataOutputStream out = fs.create(file, false)) {
        out.write(data);
      }
      try (PausedChunkServers paused = new PausedChunkServers(cluster, 3)) {
        cluster.killMaster(); // SIGKILL of the active one; the standby takes over
        cluster.masterAddress(); // waits until a live master leads
        assertEquals(1, cluster.activeMasterIndex());
        paused.resumeAfter(2); // well inside the client's patience at the master (12.7 s by default)
        try (FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
          assertEquals(lengthBytes, fs.getFileStatus(file).getLen(), "the length before any chunk report");
          byte[] read = new byte[lengthBytes];
          try (FSDataInputStream in = fs.open(file)) {
            in.readFully(0, read);
          }
          assertArrayEquals(data, read, "read through the new active master");
        }
      }
    }
  }

  private static void write(FileSystem fs, String path, String text) throws Exception {
    try (FSDataOutputStream out = fs.create(new Path(path))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String read(FileSystem fs, String path) throws Exception {
    byte[] bytes = new byte[(int) fs.getFileStatus(new Path(path)).getLen()];
    try (var in = fs.open(new Path(path))) {
      in.readFully(0, bytes);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
