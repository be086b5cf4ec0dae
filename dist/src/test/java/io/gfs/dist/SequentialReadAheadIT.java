package io.gfs.dist;

import static org.apache.hadoop.fs.statistics.StreamStatisticNames.STREAM_READ_ACTIVE_PREFETCH_OPERATIONS;
import static org.apache.hadoop.fs.statistics.StreamStatisticNames.STREAM_READ_PREFETCH_OPERATIONS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.client.GfsFileReader;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.statistics.IOStatisticsSupport;
import org.junit.jupiter.api.Test;

/**
 * A stream reading on asks for its next piece before it hands out the current one (the connector's ReadAhead): the
 * bytes stay exact whatever the reader does with a piece outstanding - odd read sizes across piece and chunk ends,
 * seeks back and past it, positioned reads between stream reads, unbuffer, close - and when the chunkserver holding
 * the outstanding request stops, the read fails over to another replica. A reader opened after hflush reads what was
 * flushed. Real master and chunkservers in this JVM, 2 MiB chunks (two 1 MiB pieces each).
 */
class SequentialReadAheadIT {
  private static final int CHUNK = 2 << 20;
  /** Three chunks and an odd tail: pieces end at chunk ends and at the file's end. */
  private static final int FILE_BYTES = 3 * CHUNK + 123_457;

  private static MiniGfsCluster cluster(String name) throws Exception {
    return MiniGfsCluster.builder(TestData.clusterDir(name)).chunkServers(3).chunkSizeBytes(CHUNK)
        .separateProcesses(false).zookeeper(false).build();
  }

  private static byte[] expected(long seed, int length) {
    byte[] bytes = new byte[length];
    TestData.fill(seed, 0, bytes, 0, length);
    return bytes;
  }

  private static void write(FileSystem fs, Path path, byte[] bytes) throws IOException {
    try (FSDataOutputStream out = fs.create(path)) {
      out.write(bytes);
    }
  }

  /** Reads from the stream's position to the end with read(byte[]) calls of readBytes. */
  private static byte[] readToEnd(FSDataInputStream in, int readBytes) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[readBytes];
    int n;
    while ((n = in.read(buffer, 0, buffer.length)) > 0) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static long prefetched(FSDataInputStream in) {
    Long count = IOStatisticsSupport.retrieveIOStatistics(in).counters().get(STREAM_READ_PREFETCH_OPERATIONS);
    return count == null ? 0 : count;
  }

  @Test
  void aStreamReadingOnGetsExactBytesFromPiecesAskedForAhead() throws Exception {
    try (MiniGfsCluster cluster = cluster("read-ahead-sequential");
         FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
      Path file = new Path("/seq");
      byte[] bytes = expected(1, FILE_BYTES);
      write(fs, file, bytes);
      for (int readBytes : new int[] {1 << 20, 300_001, 4096, 3 << 20}) {
        try (FSDataInputStream in = fs.open(file)) {
          assertArrayEquals(bytes, readToEnd(in, readBytes), "reads of " + readBytes + " bytes");
          // 7 pieces (two per chunk, one for the tail): all but the first two come from a request sent ahead.
          assertTrue(prefetched(in) > 0, "no piece came from a request sent ahead with reads of " + readBytes);
        }
      }
    }
  }

  private static long askedAhead(FSDataInputStream in) {
    Long gauge = IOStatisticsSupport.retrieveIOStatistics(in).gauges().get(STREAM_READ_ACTIVE_PREFETCH_OPERATIONS);
    return gauge == null ? 0 : gauge;
  }

  /**
   * A stream reading on keeps a window of pieces asked for ahead (each on its own connection), never past the file's
   * end, and every piece after the first two comes from it with its exact bytes.
   */
  @Test
  void aStreamReadingOnKeepsAWindowOfPiecesAskedForAheadUpToTheEnd() throws Exception {
    try (MiniGfsCluster cluster = cluster("read-ahead-window");
         FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
      Path file = new Path("/window");
      byte[] bytes = expected(4, FILE_BYTES);
      write(fs, file, bytes);
      int piece = 1 << 20;
      int pieces = 7; // two per chunk, then the tail
      byte[] buffer = new byte[piece];
      try (FSDataInputStream in = fs.open(file)) {
        for (int i = 0; i < pieces; i++) {
          int n = Math.min(piece, FILE_BYTES - i * piece);
          in.readFully(buffer, 0, n);
          assertArrayEquals(java.util.Arrays.copyOfRange(bytes, i * piece, i * piece + n),
              java.util.Arrays.copyOf(buffer, n), "piece " + i);
          // The first read is not reading on; from the second on, the window reaches as far as the file allows.
          long window = i == 0 ? 0 : Math.min(GfsFileReader.READ_AHEAD_PIECES_MAX, pieces - 1 - i);
          assertEquals(window, askedAhead(in), "pieces asked for ahead after piece " + i);
        }
        assertEquals(pieces - 2, prefetched(in));
        assertEquals(-1, in.read());
      }
    }
  }

  /**
   * A stream reading on with reads of whole pieces gets each piece asked for ahead straight into the caller's array
   * (no frame array to copy it out of), with its exact bytes; reads of several pieces at once too. The reader keeps no
   * view of the caller's array: bytes the caller changes after a read are not what a later read of that range returns.
   */
  @Test
  void wholePieceReadsGetPiecesAskedForAheadStraightIntoTheCallersArray() throws Exception {
    try (MiniGfsCluster cluster = cluster("read-ahead-direct");
         FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration());
         io.gfs.client.GfsClient client = io.gfs.client.GfsClient.create(cluster.uri().getAuthority(),
             io.gfs.client.GfsClientOptions.from(io.gfs.common.GfsConfig.of(cluster.clientSettings())))) {
      Path file = new Path("/direct");
      byte[] bytes = expected(5, FILE_BYTES);
      write(fs, file, bytes);
      int piece = 1 << 20;
      int pieces = 7; // two per chunk, then the tail
      try (GfsFileReader reader = client.open("/direct")) {
        byte[] buffer = new byte[piece];
        for (int i = 0; i < pieces; i++) {
          int n = reader.read((long) i * piece, buffer, 0, piece);
          assertEquals(Math.min(piece, FILE_BYTES - i * piece), n, "piece " + i);
          assertRange(bytes, (long) i * piece, java.util.Arrays.copyOf(buffer, n));
          java.util.Arrays.fill(buffer, (byte) 0x5a); // the caller reuses its array
        }
        // The first piece is not reading on, the second is read the ordinary way and asks for the next three.
        assertEquals(pieces - 2, reader.piecesReadDirect());
        byte[] again = new byte[1000];
        assertEquals(again.length, reader.read(5L * piece + 100, again, 0, again.length));
        assertRange(bytes, 5L * piece + 100, again);
      }
      try (GfsFileReader reader = client.open("/direct")) {
        byte[] big = new byte[3 * piece + 17]; // reads of several pieces: whole ones go straight in
        byte[] all = new byte[FILE_BYTES];
        int at = 0;
        int n;
        while ((n = reader.read(at, big, 0, big.length)) > 0) {
          System.arraycopy(big, 0, all, at, n);
          at += n;
        }
        assertArrayEquals(bytes, all);
        assertTrue(reader.piecesReadDirect() > 0, "no piece went straight into the caller's array");
      }
    }
  }

  @Test
  void seeksPositionedReadsAndUnbufferWithAPieceOutstandingSeeTheRightBytes() throws Exception {
    try (MiniGfsCluster cluster = cluster("read-ahead-seek");
         FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
      Path file = new Path("/seek");
      byte[] bytes = expected(2, FILE_BYTES);
      write(fs, file, bytes);
      byte[] buffer = new byte[1 << 20];
      try (FSDataInputStream in = fs.open(file)) {
        in.readFully(buffer); // piece 0
        in.readFully(buffer); // piece 1, and piece 2 asked for ahead
        assertRange(bytes, 1 << 20, buffer);
        in.seek(100); // back, with piece 2 outstanding
        in.readFully(buffer);
        assertRange(bytes, 100, buffer);
        byte[] small = new byte[4096];
        in.readFully(5 * (1 << 20) + 7, small, 0, small.length); // a positioned read leaves the stream alone
        assertRange(bytes, 5 * (1 << 20) + 7, small);
        in.readFully(buffer);
        assertRange(bytes, 100 + (1 << 20), buffer);
        in.seek(4 * (1 << 20) + 1); // forward, past the piece asked for ahead
        in.readFully(buffer);
        assertRange(bytes, 4 * (1 << 20) + 1, buffer);
        in.unbuffer();
        long at = in.getPos();
        byte[] rest = readToEnd(in, 777_777);
        assertEquals(FILE_BYTES - at, rest.length);
        assertRange(bytes, at, rest);
        in.seek(CHUNK - 10); // a read across a chunk end, then close with a piece outstanding
        in.readFully(buffer);
        assertRange(bytes, CHUNK - 10, buffer);
        in.readFully(buffer);
        assertRange(bytes, CHUNK - 10 + (1 << 20), buffer);
      }
      try (FSDataInputStream in = fs.open(file)) { // the pooled connections still answer the right calls
        assertArrayEquals(bytes, readToEnd(in, 1 << 20));
      }
    }
  }

  @Test
  void aReaderOpenedAfterHflushReadsWhatWasFlushed() throws Exception {
    try (MiniGfsCluster cluster = cluster("read-ahead-hflush");
         FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
      Path file = new Path("/flushed");
      byte[] bytes = expected(3, FILE_BYTES);
      try (FSDataOutputStream out = fs.create(file)) {
        out.write(bytes, 0, CHUNK + 5000);
        out.hflush();
        try (FSDataInputStream in = fs.open(file)) {
          byte[] read = readToEnd(in, 1 << 20);
          assertEquals(CHUNK + 5000, read.length);
          assertRange(bytes, 0, read);
        }
        out.write(bytes, CHUNK + 5000, FILE_BYTES - CHUNK - 5000);
        out.hflush();
        try (FSDataInputStream in = fs.open(file)) {
          assertArrayEquals(bytes, readToEnd(in, 1 << 20));
        }
      }
    }
  }

  @Test
  void aChunkServerStoppedWithAPieceOutstandingIsFailedOver() throws Exception {
    try (MiniGfsCluster cluster = cluster("read-ahead-failover");
         FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
      Path file = new Path("/failover");
      byte[] bytes = expected(4, FILE_BYTES);
      write(fs, file, bytes);
      byte[] buffer = new byte[1 << 20];
      try (FSDataInputStream in = fs.open(file)) {
        in.readFully(buffer);
        in.readFully(buffer); // piece 2 is outstanding at one of the three replicas
        cluster.stopChunkServer(0);
        cluster.stopChunkServer(1);
        byte[] rest = readToEnd(in, 1 << 20);
        assertEquals(FILE_BYTES - 2 * (1 << 20), rest.length);
        assertRange(bytes, 2 * (1 << 20), rest);
      }
    }
  }

  private static void assertRange(byte[] expected, long offset, byte[] actual) {
    byte[] want = java.util.Arrays.copyOfRange(expected, (int) offset, (int) offset + actual.length);
    assertArrayEquals(want, actual, "bytes at " + offset);
  }
}
