package io.gfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.ClusterStatus;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: MiniGfsCluster's masters(n)/shadows(n) options: two master processes (active and standby on one meta dir)
 * and a shadow; SIGKILL of the active one, and the client's next write goes through the standby by itself.
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
