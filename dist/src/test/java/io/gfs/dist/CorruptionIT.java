package io.gfs.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/** Issue 2 [0126-0127]: a byte flipped on disk is never returned; the read succeeds from another replica. */
class CorruptionIT {
  private static final long CHUNK_BYTES = 1 << 20;
  private static final int FILE_BYTES = 3 * (1 << 20) + 12_345;

  @Test
  void flippedBytesOnTwoReplicasAreNeverReturned() throws Exception {
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(TestData.clusterDir("corruption"))
            .chunkServers(3).chunkSizeBytes(CHUNK_BYTES).build();
        FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
      byte[] data = new byte[FILE_BYTES];
      TestData.fill(17, 0, data, 0, data.length);
      Path path = new Path("/corrupt/me");
      try (FSDataOutputStream out = fs.create(path)) {
        out.write(data);
      }

      // Flip one byte in every chunk file of two of the three chunkservers, at a different offset each time.
      int flipped = 0;
      for (int server = 0; server < 2; server++) {
        for (java.nio.file.Path chunkFile : chunkFiles(cluster.chunkServerDataDir(server))) {
          long at = (Files.size(chunkFile) * (server + 1)) / 3;
          flipByte(chunkFile, at);
          flipped++;
        }
      }
      assertEquals(8, flipped, "4 chunks on each of two servers");

      byte[] read = new byte[FILE_BYTES];
      try (FSDataInputStream in = fs.open(path)) {
        in.readFully(0, read);
      }
      assertArrayEquals(data, read);

      // Straight to a corrupted replica: the chunkserver refuses rather than return a bad byte.
      try (RpcClients rpc = new RpcClients(RpcLimits.defaults())) {
        List<ChunkLocation> chunks = rpc.master(cluster.masterAddress(), c -> c.findChunks("/corrupt/me", 0, 10))
            .getChunks();
        assertFalse(chunks.isEmpty());
        ChunkLocation first = chunks.get(0);
        GfsException e = assertThrows(GfsException.class, () -> rpc.chunkServer(cluster.chunkServerAddress(0),
            c -> c.read(first.getHandle(), first.getVersion(), 0, (int) CHUNK_BYTES, first.bufferForAccessToken())));
        assertEquals(ErrorCode.CHECKSUM_MISMATCH, e.getCode());
      }
    }
  }

  private static List<java.nio.file.Path> chunkFiles(java.nio.file.Path dataDir) throws IOException {
    try (Stream<java.nio.file.Path> files = Files.walk(dataDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".chunk")).sorted().collect(Collectors.toList());
    }
  }

  private static void flipByte(java.nio.file.Path file, long position) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, position);
      one.flip();
      byte b = one.get(0);
      ch.write(ByteBuffer.wrap(new byte[] {(byte) (b ^ 0x5A)}), position);
      ch.force(false);
    }
  }
}
