package io.gfs.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.common.rpc.TlsTestKeys;
import io.gfs.hadoop.GfsFileSystem;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.MasterService;
import java.util.Map;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.Test;

/**
 * A whole cluster with gfs.rpc.tls.enabled: the master's and every chunkserver's port speak only TLS, and so do the
 * client library, the master's calls to chunkservers and the chunkservers' pushes to each other. Keys are made at test
 * time with keytool. A file of several chunks written and read through GfsFileSystem comes back byte-identical; a
 * plain-TCP client is refused at every port without hanging, and the servers go on serving.
 */
class TlsClusterIT {
  private static final int CHUNK = 1 << 20;

  @Test
  void fileRoundTripsOverTlsAndPlainClientsAreRefused() throws Exception {
    java.nio.file.Path dir = TestData.clusterDir("tls");
    TlsTestKeys keys = TlsTestKeys.generate(dir.resolve("keys"));
    MiniGfsCluster.Builder builder = MiniGfsCluster.builder(dir.resolve("cluster")).chunkServers(3)
        .chunkSizeBytes(CHUNK).separateProcesses(false).zookeeper(false);
    for (Map.Entry<String, String> e : keys.settings().entrySet()) {
      builder.config(e.getKey(), e.getValue());
    }
    try (MiniGfsCluster cluster = builder.build();
        FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
      assertEquals(GfsFileSystem.class, fs.getClass());
      byte[] data = new byte[5 * CHUNK + 12345];
      TestData.fill(7, 0, data, 0, data.length);
      Path file = new Path("/tls/file");
      long writeStart = System.nanoTime();
      try (FSDataOutputStream out = fs.create(file)) {
        out.write(data);
      }
      long writeMillis = (System.nanoTime() - writeStart) / 1_000_000;
      byte[] back = new byte[data.length];
      long readStart = System.nanoTime();
      try (FSDataInputStream in = fs.open(file)) {
        in.readFully(0, back);
      }
      long readMillis = (System.nanoTime() - readStart) / 1_000_000;
      assertArrayEquals(data, back);
      System.out.printf("TlsClusterIT: %d bytes over TLS, 3 replicas: write %d ms, read %d ms%n", data.length,
          writeMillis, readMillis);
      // A stream reading on with piece-sized reads: pieces asked for ahead, their replies streamed from the TLS socket
      // straight into the caller's array.
      byte[] streamed = new byte[data.length];
      try (FSDataInputStream in = fs.open(file)) {
        byte[] piece = new byte[CHUNK];
        int at = 0;
        int n;
        while ((n = in.read(piece, 0, piece.length)) > 0) {
          System.arraycopy(piece, 0, streamed, at, n);
          at += n;
        }
        assertEquals(data.length, at);
      }
      assertArrayEquals(data, streamed);

      try (RpcClients plain = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(10_000))) {
        assertThrows(TTransportException.class,
            () -> plain.master(cluster.masterAddress(), MasterService.Client::getClusterStatus));
        for (int i = 0; i < 3; i++) {
          HostPort chunkServer = cluster.chunkServerAddress(i);
          assertThrows(TTransportException.class,
              () -> plain.chunkServer(chunkServer, c -> c.getChunkChecksum(1, 1, null)));
        }
      }
      assertEquals(3, cluster.liveChunkServers().size(), "the servers go on serving TLS clients");
      assertEquals(data.length, fs.getFileStatus(file).getLen());
    }
  }
}
