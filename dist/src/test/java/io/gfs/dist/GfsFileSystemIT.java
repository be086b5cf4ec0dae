package io.gfs.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.client.GfsClientException;
import io.gfs.hadoop.GfsFileSystem;
import io.gfs.thrift.gen.ErrorCode;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.fs.StreamCapabilities;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every FileSystem operation of the gfs:// connector through a real cluster (master, 3 chunkservers and ZooKeeper in
 * this JVM, 1 MiB chunks): multi-chunk write and read-back, seek and positioned reads, hflush visibility, append,
 * the HDFS answers of the namespace calls, block locations, record append offsets. A second cluster checks that reads
 * fail over when a chunkserver dies and that the client finds a restarted master again.
 */
class GfsFileSystemIT {
  private static final int CHUNK = 1 << 20;

  private static MiniGfsCluster cluster;
  private static GfsFileSystem fs;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniGfsCluster.builder(TestData.clusterDir("filesystem")).chunkServers(3).chunkSizeBytes(CHUNK)
        .separateProcesses(false).zookeeper(true).build();
    Configuration conf = cluster.clientConfiguration();
    conf.set("fs.gfs.write.buffer.bytes", "256k");
    fs = (GfsFileSystem) FileSystem.newInstance(cluster.uri(), conf);
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (fs != null) {
        fs.close();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  private static byte[] data(long seed, int length) {
    byte[] bytes = new byte[length];
    TestData.fill(seed, 0, bytes, 0, length);
    return bytes;
  }

  /** Writes in growing, odd-sized pieces so buffer and chunk boundaries fall mid-write. */
  private static void write(FileSystem target, Path path, byte[] bytes) throws IOException {
    try (FSDataOutputStream out = target.create(path)) {
      int at = 0;
      int step = 1;
      while (at < bytes.length) {
        int n = Math.min(step, bytes.length - at);
        out.write(bytes, at, n);
        at += n;
        step = step * 3 + 7;
      }
    }
  }

  private static byte[] readAll(FileSystem source, Path path) throws IOException {
    try (FSDataInputStream in = source.open(path)) {
      byte[] out = new byte[(int) source.getFileStatus(path).getLen()];
      in.readFully(0, out);
      return out;
    }
  }

  @Test
  void writesAndReadsBackAFileOfSeveralChunks() throws IOException {
    Path path = new Path("/io/several-chunks");
    byte[] bytes = data(1, 3 * CHUNK + CHUNK / 2 + 13);
    write(fs, path, bytes);

    FileStatus status = fs.getFileStatus(path);
    assertTrue(status.isFile());
    assertEquals(bytes.length, status.getLen());
    assertEquals(CHUNK, status.getBlockSize());
    assertEquals(3, status.getReplication());
    assertEquals(fs.makeQualified(path), status.getPath());

    try (FSDataInputStream in = fs.open(path)) {
      byte[] got = new byte[bytes.length];
      int at = 0;
      int step = 5;
      while (at < got.length) {
        int n = in.read(got, at, Math.min(step, got.length - at));
        assertTrue(n > 0, "read returned " + n + " at " + at);
        at += n;
        step = step * 2 + 1;
      }
      assertEquals(-1, in.read());
      assertArrayEquals(bytes, got);
    }
  }

  @Test
  void blockLocationsAreTheChunksReplicas() throws IOException {
    Path path = new Path("/io/located");
    byte[] bytes = data(2, 2 * CHUNK + 100);
    write(fs, path, bytes);
    FileStatus status = fs.getFileStatus(path);

    BlockLocation[] all = fs.getFileBlockLocations(status, 0, bytes.length);
    assertEquals(3, all.length);
    Set<String> servers = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      servers.add(cluster.chunkServerAddress(i).toString());
    }
    for (int i = 0; i < all.length; i++) {
      assertEquals((long) i * CHUNK, all[i].getOffset());
      assertEquals(3, all[i].getHosts().length);
      assertTrue(servers.containsAll(Arrays.asList(all[i].getNames())), Arrays.toString(all[i].getNames()));
    }
    assertEquals(CHUNK, all[0].getLength());
    assertEquals(100, all[2].getLength());
    assertEquals(2, fs.getFileBlockLocations(status, CHUNK - 1, 2).length);
    assertEquals(0, fs.getFileBlockLocations(status, 0, 0).length);
    assertEquals(0, fs.getFileBlockLocations(status, bytes.length, 10).length);
    assertEquals(CHUNK, fs.getDefaultBlockSize(path));
  }

  @Test
  void seeksAndPositionedReadsAndTheirLimits() throws IOException {
    Path path = new Path("/io/seek");
    byte[] bytes = data(3, 2 * CHUNK + 100);
    write(fs, path, bytes);
    FSDataInputStream in = fs.open(path);
    in.seek(CHUNK - 3);
    byte[] six = new byte[6];
    in.readFully(six);
    assertArrayEquals(Arrays.copyOfRange(bytes, CHUNK - 3, CHUNK + 3), six);
    assertEquals(CHUNK + 3, in.getPos());

    byte[] tail = new byte[200];
    assertEquals(100, in.read(2L * CHUNK, tail, 0, 200));
    assertArrayEquals(Arrays.copyOfRange(bytes, 2 * CHUNK, bytes.length), Arrays.copyOf(tail, 100));
    assertEquals(CHUNK + 3, in.getPos(), "positioned reads leave the position alone");
    assertEquals(-1, in.read(bytes.length, tail, 0, 1));

    in.seek(10);
    assertEquals(bytes[10] & 0xff, in.read());
    in.seek(bytes.length);
    assertEquals(-1, in.read());
    assertThrows(EOFException.class, () -> in.seek(bytes.length + 1L));
    assertThrows(EOFException.class, () -> in.seek(-1));
    assertThrows(EOFException.class, () -> in.read(-1, tail, 0, 1));
    in.close();
    assertThrows(IOException.class, in::read);
  }

  @Test
  void hflushMakesDataVisibleToNewReadersAndAppendContinues() throws IOException {
    Path path = new Path("/io/log");
    byte[] first = data(4, 1000);
    FSDataOutputStream out = fs.create(path);
    assertTrue(out.hasCapability(StreamCapabilities.HFLUSH));
    assertTrue(out.hasCapability(StreamCapabilities.HSYNC));
    out.write(first);
    out.hflush();
    assertEquals(first.length, fs.getFileStatus(path).getLen());
    assertArrayEquals(first, readAll(fs, path));

    byte[] second = data(5, CHUNK + 7);
    out.write(second);
    out.hsync();
    assertEquals(first.length + second.length, fs.getFileStatus(path).getLen());
    out.close();
    assertThrows(IOException.class, () -> out.write(1));

    byte[] third = data(6, 5000);
    try (FSDataOutputStream more = fs.append(path)) {
      assertEquals(first.length + second.length, more.getPos());
      more.write(third);
    }
    byte[] all = readAll(fs, path);
    assertEquals(first.length + second.length + third.length, all.length);
    assertArrayEquals(first, Arrays.copyOf(all, first.length));
    assertArrayEquals(third, Arrays.copyOfRange(all, first.length + second.length, all.length));
    assertThrows(FileNotFoundException.class, () -> fs.append(new Path("/io/missing")));
  }

  @Test
  void namespaceCallsAnswerAsHdfsDoes() throws IOException {
    Path file = new Path("/ns/dir/file");
    write(fs, file, data(7, 10));
    assertThrows(FileAlreadyExistsException.class, () -> fs.create(file, false));
    write(fs, file, data(8, 20));
    assertEquals(20, fs.getFileStatus(file).getLen());
    assertThrows(ParentNotDirectoryException.class, () -> fs.create(new Path("/ns/dir/file/child")));
    assertThrows(FileNotFoundException.class,
        () -> fs.createNonRecursive(new Path("/ns/nodir/f"), true, 4096, (short) 3, CHUNK, null));
    assertThrows(FileNotFoundException.class, () -> fs.getFileStatus(new Path("/ns/nothing")));
    assertFalse(fs.exists(new Path("/ns/dir/file/child")), "nothing exists below a file");
    assertThrows(FileNotFoundException.class, () -> fs.listStatus(new Path("/ns/nothing")));
    assertThrows(FileNotFoundException.class, () -> fs.open(new Path("/ns/dir")));
    assertThrows(FileNotFoundException.class, () -> fs.open(new Path("/ns/nothing")));
    assertThrows(FileAlreadyExistsException.class, () -> fs.mkdirs(new Path("/ns/dir/file")));

    FileStatus[] listed = fs.listStatus(file);
    assertEquals(1, listed.length);
    assertEquals(fs.makeQualified(file), listed[0].getPath());

    assertTrue(fs.mkdirs(new Path("/ns/dir/sub/deeper")));
    assertTrue(fs.mkdirs(new Path("/ns/dir/sub")));
    assertTrue(fs.getFileStatus(new Path("/ns/dir/sub")).isDirectory());
    Set<String> names = new HashSet<>();
    for (FileStatus child : fs.listStatus(new Path("/ns/dir"))) {
      names.add(child.getPath().getName());
    }
    assertEquals(Set.of("file", "sub"), names);

    write(fs, new Path("/ns/other"), data(9, 5));
    assertFalse(fs.rename(new Path("/ns/nothing"), new Path("/ns/x")), "source missing");
    assertFalse(fs.rename(new Path("/ns/other"), file), "destination exists as a file");
    assertFalse(fs.rename(new Path("/ns/other"), new Path("/ns/nodir/x")), "destination parent missing");
    assertFalse(fs.rename(new Path("/ns/dir"), new Path("/ns/dir/sub/x")), "into its own subtree");
    assertTrue(fs.rename(new Path("/ns/other"), new Path("/ns/dir/sub")), "into an existing directory");
    assertTrue(fs.exists(new Path("/ns/dir/sub/other")));
    assertFalse(fs.exists(new Path("/ns/other")));
    assertTrue(fs.rename(new Path("/ns/dir/sub/other"), new Path("/ns/renamed")));
    assertArrayEquals(data(9, 5), readAll(fs, new Path("/ns/renamed")));
    assertTrue(fs.rename(new Path("/ns/dir/sub"), new Path("/ns/moved")), "directories rename too");
    assertTrue(fs.getFileStatus(new Path("/ns/moved/deeper")).isDirectory());

    assertFalse(fs.delete(new Path("/ns/nothing"), true));
    assertThrows(PathIsNotEmptyDirectoryException.class, () -> fs.delete(new Path("/ns/dir"), false));
    assertTrue(fs.delete(new Path("/ns/dir"), true));
    assertFalse(fs.exists(file));
    assertTrue(fs.delete(new Path("/ns/renamed"), false));
    assertTrue(fs.exists(new Path("/")));

    assertEquals(fs.makeQualified(new Path("/user/" + System.getProperty("user.name"))), fs.getHomeDirectory());
    Path before = fs.getWorkingDirectory();
    try {
      fs.setWorkingDirectory(new Path("/ns"));
      write(fs, new Path("relative"), data(10, 3));
      assertTrue(fs.exists(new Path("/ns/relative")));
    } finally {
      fs.setWorkingDirectory(before);
    }
  }

  /** An unqualified absolute path skips qualification (issue 6): every form still names the same entry. */
  @Test
  void qualifiedUnqualifiedAndRelativePathsNameTheSameEntry() throws IOException {
    assertTrue(fs.mkdirs(new Path("/forms/a")));
    Path qualified = new Path(fs.getUri().getScheme(), fs.getUri().getAuthority(), "/forms/a");
    assertTrue(fs.getFileStatus(qualified).isDirectory());
    assertEquals(fs.makeQualified(new Path("/forms/a")), fs.getFileStatus(new Path("/forms/a/")).getPath());
    assertEquals(qualified, fs.getFileStatus(new Path("/forms//a")).getPath());
    Path before = fs.getWorkingDirectory();
    try {
      fs.setWorkingDirectory(new Path("/forms"));
      assertEquals(qualified, fs.getFileStatus(new Path("a")).getPath());
    } finally {
      fs.setWorkingDirectory(before);
    }
    assertThrows(IllegalArgumentException.class, () -> fs.getFileStatus(new Path("hdfs://elsewhere:8020/forms/a")),
        "another file system's path is refused as before");
    assertTrue(fs.delete(new Path("/forms"), true));
  }

  @Test
  void recordAppendsReturnTheirOffsetsAndNeverStraddleAChunk() throws IOException {
    Path path = new Path("/records/one-writer");
    fs.create(path).close();
    int recordBytes = 100 * 1024;
    long[] offsets = new long[25];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = fs.recordAppend(path, data(100 + i, recordBytes));
      assertEquals(offsets[i] / CHUNK, (offsets[i] + recordBytes - 1) / CHUNK, "record " + i + " straddles");
      if (i > 0) {
        assertTrue(offsets[i] > offsets[i - 1]);
      }
    }
    assertTrue(offsets[offsets.length - 1] >= 2L * CHUNK, "the records spilled into a third chunk");
    assertTrue(fs.getFileStatus(path).getLen() >= offsets[offsets.length - 1] + recordBytes,
        "the reported length covers the last record");
    byte[] all = readAll(fs, path);
    for (int i = 0; i < offsets.length; i++) {
      assertArrayEquals(data(100 + i, recordBytes),
          Arrays.copyOfRange(all, (int) offsets[i], (int) offsets[i] + recordBytes), "record " + i);
    }
    IOException tooLarge = assertThrows(IOException.class, () -> fs.recordAppend(path, new byte[CHUNK / 4 + 1]));
    assertEquals(ErrorCode.RECORD_TOO_LARGE, assertInstanceOf(GfsClientException.class, tooLarge).code());
    assertThrows(FileNotFoundException.class, () -> fs.recordAppend(new Path("/records/missing"), new byte[1]));
  }

  @Test
  void readsFailOverWhenAChunkServerDiesAndTheClientFindsARestartedMaster() throws Exception {
    try (MiniGfsCluster own = MiniGfsCluster.builder(TestData.clusterDir("filesystem-failover")).chunkServers(3)
            .chunkSizeBytes(CHUNK).separateProcesses(false).zookeeper(true).build();
        FileSystem client = FileSystem.newInstance(own.uri(), own.clientConfiguration())) {
      Path path = new Path("/failover/file");
      byte[] bytes = data(11, 2 * CHUNK + 5);
      write(client, path, bytes);

      own.killChunkServer(0);
      assertArrayEquals(bytes, readAll(client, path), "read from the two live replicas");

      own.killMaster();
      own.restartMaster();
      own.waitForChunkServers(2);
      assertEquals(bytes.length, client.getFileStatus(path).getLen(), "the client found the restarted master");
      assertArrayEquals(bytes, readAll(client, path));
    }
  }
}
