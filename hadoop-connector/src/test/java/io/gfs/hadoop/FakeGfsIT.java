package io.gfs.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.client.GfsClientException;
import io.gfs.thrift.gen.ErrorCode;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connector end to end against {@link FakeGfs} (in-memory master and chunkservers behind real Thrift servers):
 * the FileSystem API, multi-chunk reads and writes, record append across chunk boundaries, and failover on injected
 * faults. The same scenarios run against the real servers in dist's GfsFileSystemIT.
 */
class FakeGfsIT {
  private static final int CHUNK = 1 << 20;

  private FakeGfs gfs;
  private GfsFileSystem fs;

  @BeforeEach
  void start() throws IOException {
    gfs = new FakeGfs(3, CHUNK);
    Configuration conf = new Configuration();
    conf.set("fs.gfs.master.address", gfs.masterAddress().toString());
    conf.set("fs.gfs.write.buffer.bytes", "256k");
    conf.set("fs.gfs.retries.max", "3");
    conf.set("fs.gfs.retry.backoff.ms", "1");
    fs = (GfsFileSystem) FileSystem.newInstance(URI.create("gfs://fake/"), conf);
  }

  @AfterEach
  void stop() throws IOException {
    try {
      if (fs != null) {
        fs.close();
      }
    } finally {
      gfs.close();
    }
  }

  private static byte[] random(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private void write(Path path, byte[] data) throws IOException {
    try (FSDataOutputStream out = fs.create(path)) {
      int at = 0;
      int step = 1;
      while (at < data.length) {
        int n = Math.min(step, data.length - at);
        out.write(data, at, n);
        at += n;
        step = step * 3 + 7; // odd sizes cross buffer and chunk boundaries at odd places
      }
    }
  }

  private byte[] readAll(Path path) throws IOException {
    try (FSDataInputStream in = fs.open(path)) {
      byte[] out = new byte[(int) fs.getFileStatus(path).getLen()];
      in.readFully(0, out);
      return out;
    }
  }

  @Test
  void writesAndReadsBackAcrossChunks() throws IOException {
    Path path = new Path("/data/big");
    byte[] data = random(3 * CHUNK + CHUNK / 2 + 13, 1);
    write(path, data);
    FileStatus status = fs.getFileStatus(path);
    assertEquals(data.length, status.getLen());
    assertEquals(CHUNK, status.getBlockSize());
    assertTrue(status.isFile());
    assertEquals(new Path("gfs://fake/data/big"), status.getPath());

    try (FSDataInputStream in = fs.open(path)) {
      byte[] got = new byte[data.length];
      int at = 0;
      int step = 5;
      while (at < got.length) {
        int n = in.read(got, at, Math.min(step, got.length - at));
        assertTrue(n > 0);
        at += n;
        step = step * 2 + 1;
      }
      assertEquals(-1, in.read());
      assertArrayEquals(data, got);
    }

    BlockLocation[] all = fs.getFileBlockLocations(status, 0, data.length);
    assertEquals(4, all.length);
    assertEquals(3L * CHUNK, all[3].getOffset());
    assertEquals(CHUNK / 2 + 13, all[3].getLength());
    assertEquals(3, all[0].getHosts().length);
    assertTrue(all[0].getNames()[0].startsWith("127.0.0.1:"));
    assertEquals(2, fs.getFileBlockLocations(status, CHUNK - 1, 2).length);
    assertEquals(0, fs.getFileBlockLocations(status, 0, 0).length);
    assertEquals(0, fs.getFileBlockLocations(status, data.length, 10).length);
  }

  @Test
  void seeksAndPositionedReads() throws IOException {
    Path path = new Path("/seek");
    byte[] data = random(2 * CHUNK + 100, 2);
    write(path, data);
    FSDataInputStream in = fs.open(path);
    in.seek(CHUNK - 3);
    byte[] six = new byte[6];
    in.readFully(six);
    assertArrayEquals(Arrays.copyOfRange(data, CHUNK - 3, CHUNK + 3), six);
    assertEquals(CHUNK + 3, in.getPos());

    byte[] tail = new byte[200];
    assertEquals(100, in.read(2L * CHUNK, tail, 0, 200));
    assertEquals(CHUNK + 3, in.getPos(), "positioned reads leave the position alone");
    assertEquals(-1, in.read(data.length, tail, 0, 1));

    in.seek(data.length);
    assertEquals(-1, in.read());
    assertThrows(EOFException.class, () -> in.seek(data.length + 1L));
    assertThrows(EOFException.class, () -> in.seek(-1));
    assertThrows(EOFException.class, () -> in.read(-1, tail, 0, 1));
    in.close();
    assertThrows(IOException.class, in::read);
    assertThrows(IOException.class, () -> in.seek(0));
  }

  @Test
  void hflushMakesDataVisibleAndAppendContinuesAtTheEnd() throws IOException {
    Path path = new Path("/log");
    byte[] first = random(1000, 3);
    FSDataOutputStream out = fs.create(path);
    assertTrue(out.hasCapability(StreamCapabilities.HFLUSH));
    assertTrue(out.hasCapability(StreamCapabilities.HSYNC));
    out.write(first);
    out.hflush();
    assertEquals(first.length, fs.getFileStatus(path).getLen());
    assertArrayEquals(first, readAll(path));
    byte[] second = random(CHUNK, 4);
    out.write(second);
    out.hsync();
    out.close();
    out.close(); // a second close is harmless
    assertThrows(IOException.class, () -> out.write(1));

    byte[] third = random(5000, 5);
    try (FSDataOutputStream more = fs.append(path)) {
      assertEquals(first.length + second.length, more.getPos());
      more.write(third);
    }
    byte[] all = readAll(path);
    assertEquals(first.length + second.length + third.length, all.length);
    assertArrayEquals(third, Arrays.copyOfRange(all, first.length + second.length, all.length));
    assertThrows(FileNotFoundException.class, () -> fs.append(new Path("/missing")));
  }

  @Test
  void namespaceOperationsAnswerAsHdfsDoes() throws IOException {
    Path file = new Path("/dir/file");
    write(file, random(10, 6));
    assertThrows(FileAlreadyExistsException.class, () -> fs.create(file, false));
    write(file, random(20, 7)); // overwrite
    assertEquals(20, fs.getFileStatus(file).getLen());
    assertThrows(ParentNotDirectoryException.class, () -> fs.create(new Path("/dir/file/child")));
    assertThrows(FileNotFoundException.class,
        () -> fs.createNonRecursive(new Path("/nodir/f"), true, 4096, (short) 3, CHUNK, null));
    assertThrows(FileNotFoundException.class, () -> fs.getFileStatus(new Path("/nothing")));
    assertThrows(FileNotFoundException.class, () -> fs.listStatus(new Path("/nothing")));
    assertThrows(FileNotFoundException.class, () -> fs.open(new Path("/dir")));
    assertThrows(FileAlreadyExistsException.class, () -> fs.mkdirs(new Path("/dir/file")));

    FileStatus[] listed = fs.listStatus(file);
    assertEquals(1, listed.length);
    assertEquals(fs.makeQualified(file), listed[0].getPath());

    assertTrue(fs.mkdirs(new Path("/dir/sub/deeper")));
    assertTrue(fs.mkdirs(new Path("/dir/sub")));
    FileStatus[] children = fs.listStatus(new Path("/dir"));
    Set<String> names = new HashSet<>();
    for (FileStatus child : children) {
      names.add(child.getPath().getName());
    }
    assertEquals(Set.of("file", "sub"), names);

    assertFalse(fs.rename(new Path("/nothing"), new Path("/x")));
    write(new Path("/other"), random(5, 8));
    assertFalse(fs.rename(new Path("/other"), file), "destination exists as a file");
    assertFalse(fs.rename(new Path("/other"), new Path("/nodir/x")), "destination parent missing");
    assertFalse(fs.rename(new Path("/dir"), new Path("/dir/sub/x")), "into itself");
    assertTrue(fs.rename(new Path("/other"), new Path("/dir/sub")), "into an existing directory");
    assertTrue(fs.exists(new Path("/dir/sub/other")));
    assertFalse(fs.exists(new Path("/other")));
    assertTrue(fs.rename(new Path("/dir/sub/other"), new Path("/renamed")));
    assertEquals(5, fs.getFileStatus(new Path("/renamed")).getLen());

    assertFalse(fs.delete(new Path("/nothing"), true));
    assertThrows(PathIsNotEmptyDirectoryException.class, () -> fs.delete(new Path("/dir"), false));
    assertTrue(fs.delete(new Path("/dir"), true));
    assertFalse(fs.exists(file));
    assertFalse(fs.delete(new Path("/"), true), "the root stays");

    assertEquals(new Path("gfs://fake/user/" + System.getProperty("user.name")), fs.getHomeDirectory());
    fs.setWorkingDirectory(new Path("/renamed-dir"));
    assertEquals(new Path("gfs://fake/renamed-dir/x"), fs.makeQualified(new Path("x")));
  }

  @Test
  void recordAppendsReturnOffsetsAndNeverStraddleChunks() throws IOException {
    Path path = new Path("/records");
    fs.create(path).close();
    int recordBytes = 100 * 1024;
    long[] offsets = new long[25];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = fs.recordAppend(path, random(recordBytes, 100 + i));
      assertEquals(offsets[i] / CHUNK, (offsets[i] + recordBytes - 1) / CHUNK, "record " + i + " straddles");
    }
    for (int i = 1; i < offsets.length; i++) {
      assertTrue(offsets[i] > offsets[i - 1]);
    }
    assertTrue(offsets[offsets.length - 1] >= 2L * CHUNK, "the records spilled into a third chunk");
    byte[] all = readAll(path);
    for (int i = 0; i < offsets.length; i++) {
      assertArrayEquals(random(recordBytes, 100 + i),
          Arrays.copyOfRange(all, (int) offsets[i], (int) offsets[i] + recordBytes), "record " + i);
    }
    GfsClientException tooLarge = assertThrows(GfsClientException.class,
        () -> fs.recordAppend(path, new byte[CHUNK / 4 + 1]));
    assertEquals(ErrorCode.RECORD_TOO_LARGE, tooLarge.code());
    assertTrue(fs.hasPathCapability(path, GfsFileSystem.CAPABILITY_RECORD_APPEND));
  }

  @Test
  void readsFailOverToAnotherReplicaAndGiveUpNamingEveryReplica() throws IOException {
    Path path = new Path("/failover");
    byte[] data = random(CHUNK + 10, 9);
    write(path, data);
    gfs.chunkServers.get(0).corruptReads = true;
    gfs.chunkServers.get(2).corruptReads = true;
    gfs.chunkServers.forEach(s -> s.readCalls = 0);
    assertArrayEquals(data, readAll(path));
    int failedCalls = gfs.chunkServers.get(0).readCalls + gfs.chunkServers.get(2).readCalls;
    assertTrue(failedCalls <= 2, "a failed replica is tried last afterwards; bad calls: " + failedCalls);

    gfs.chunkServers.get(1).corruptReads = true;
    IOException e = assertThrows(IOException.class, () -> readAll(path));
    for (FakeGfs.ChunkServer server : gfs.chunkServers) {
      assertTrue(e.getMessage().contains(server.address.toString()), e.getMessage());
    }
    assertTrue(e.getMessage().contains("CHECKSUM_MISMATCH") && e.getMessage().contains("chunk 0"), e.getMessage());
  }

  @Test
  void failedWritesAreRetriedWithANewPush() throws IOException {
    Path path = new Path("/retried");
    byte[] data = random(300_000, 10);
    gfs.chunkServers.get(0).writesToFail = 2;
    write(path, data);
    assertArrayEquals(data, readAll(path));

    gfs.chunkServers.get(0).writesToFail = 100;
    IOException e = assertThrows(IOException.class, () -> write(new Path("/doomed"), data));
    assertTrue(e.getMessage().contains("3 attempts"), e.getMessage());
  }
}
