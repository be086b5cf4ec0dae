package io.gfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/** Issue 2: 300 MB through the FileSystem and back, byte-identical, with chunkservers SIGKILLed during the read. */
class LargeFileKillIT {
  private static final long SEED = 300;
  private static final long SIZE_BYTES = 300L << 20;
  private static final int BUFFER_BYTES = 1 << 20;

  @Test
  void readSurvivesChunkServersKilledMidRead() throws Exception {
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(TestData.clusterDir("large-file-kill"))
            .chunkServers(3).separateProcesses(true).build();
        FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
      Path path = new Path("/big/data.bin");
      byte[] buffer = new byte[BUFFER_BYTES];
      try (FSDataOutputStream out = fs.create(path)) {
        for (long pos = 0; pos < SIZE_BYTES; pos += BUFFER_BYTES) {
          TestData.fill(SEED, pos, buffer, 0, BUFFER_BYTES);
          out.write(buffer);
        }
      }
      assertEquals(SIZE_BYTES, fs.getFileStatus(path).getLen());

      byte[] expected = new byte[BUFFER_BYTES];
      long pos = 0;
      boolean killed = false;
      try (FSDataInputStream in = fs.open(path)) {
        while (pos < SIZE_BYTES) {
          if (!killed && pos >= SIZE_BYTES / 3) {
            // Two of the three replicas of every chunk vanish while the stream is open; the third serves the rest.
            cluster.killChunkServer(0);
            cluster.killChunkServer(1);
            killed = true;
          }
          int n = in.read(buffer, 0, BUFFER_BYTES);
          if (n < 0) {
            break;
          }
          TestData.fill(SEED, pos, expected, 0, n);
          for (int i = 0; i < n; i++) {
            if (buffer[i] != expected[i]) {
              throw new AssertionError("byte " + (pos + i) + " differs: " + buffer[i] + " != " + expected[i]);
            }
          }
          pos += n;
        }
        assertEquals(-1, in.read());
      }
      assertEquals(SIZE_BYTES, pos);
    }
  }
}
