package io.gfs.dist.fs;

import static io.gfs.dist.fs.FsTestFiles.data;
import static io.gfs.dist.fs.FsTestFiles.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.dist.MiniGfsCluster;
import io.gfs.hadoop.Gfs;
import io.gfs.hadoop.GfsFileSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.CompositeCrcFileChecksum;
import org.apache.hadoop.fs.ContentSummary;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileChecksum;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.FsStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.fs.statistics.IOStatistics;
import org.apache.hadoop.fs.statistics.IOStatisticsSupport;
import org.apache.hadoop.fs.statistics.StreamStatisticNames;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.util.DataChecksum;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Hadoop surface of issue 3 beyond the contract suites, on an in-JVM cluster: FileContext, checksums, stored
 * attributes, content summaries, paged and located listings, concat of chunk-aligned files, getStatus, capabilities,
 * IOStatistics and the openFile/createFile builders.
 */
class GfsSurfaceIT {
  private static final int CHUNK = 1 << 20;

  private static MiniGfsCluster cluster;
  private static Configuration conf;
  private static GfsFileSystem fs;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniGfsCluster.builder(FsTestFiles.clusterDir("surface")).chunkServers(3).chunkSizeBytes(CHUNK)
        .separateProcesses(false).zookeeper(false).build();
    conf = cluster.clientConfiguration();
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

  private static int crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return (int) crc.getValue();
  }

  @Test
  void fileContextIsBoundAndRenamesAsSparkCheckpointsNeed() throws Exception {
    assertEquals(Gfs.class.getName(), new Configuration().get(GfsFileSystem.ABSTRACT_FILE_SYSTEM_KEY),
        "gfs-default.xml binds FileContext once the connector is loaded");
    FileContext fc = FileContext.getFileContext(cluster.uri(), conf);
    Path dir = new Path("/fc/checkpoints");
    fc.mkdir(dir, FsPermission.getDirDefault(), true);
    Path tmp = new Path(dir, ".1.tmp");
    try (FSDataOutputStream out = fc.create(tmp, EnumSet.of(CreateFlag.CREATE))) {
      out.write(data(40, 1000));
    }
    Path finalPath = new Path(dir, "1");
    fc.rename(tmp, finalPath, Options.Rename.NONE);
    assertArrayEquals(data(40, 1000), readAll(fs, finalPath));

    Path tmp2 = new Path(dir, ".1b.tmp");
    try (FSDataOutputStream out = fc.create(tmp2, EnumSet.of(CreateFlag.CREATE))) {
      out.write(data(41, 10));
    }
    assertThrows(FileAlreadyExistsException.class, () -> fc.rename(tmp2, finalPath, Options.Rename.NONE));
    fc.rename(tmp2, finalPath, Options.Rename.OVERWRITE);
    assertArrayEquals(data(41, 10), readAll(fs, finalPath));
    assertFalse(fc.util().exists(tmp2));
    assertEquals(1, fc.util().listStatus(dir).length);
    assertTrue(fc.delete(dir, true));
  }

  @Test
  void checksumsAreTheCrc32cOfTheContentsHoweverWritten() throws Exception {
    byte[] bytes = data(42, 2 * CHUNK + 12_345);
    Path one = new Path("/sums/one");
    FsTestFiles.write(fs, one, bytes);
    Path two = new Path("/sums/two");
    try (FSDataOutputStream out = fs.create(two)) {
      out.write(bytes, 0, 1000);
      out.hflush();
    }
    try (FSDataOutputStream out = fs.append(two)) {
      out.write(bytes, 1000, bytes.length - 1000);
    }
    FileChecksum a = fs.getFileChecksum(one);
    FileChecksum b = fs.getFileChecksum(two);
    assertInstanceOf(CompositeCrcFileChecksum.class, a);
    assertEquals("COMPOSITE-CRC32C", a.getAlgorithmName());
    assertEquals(a, b, "equal contents, equal checksums");
    assertEquals(crc32c(bytes), ByteBuffer.wrap(a.getBytes()).getInt(), "the CRC32C of the whole file");

    Path other = new Path("/sums/other");
    bytes[5] ^= 1;
    FsTestFiles.write(fs, other, bytes);
    assertNotEquals(a, fs.getFileChecksum(other));
    Path empty = new Path("/sums/empty");
    fs.create(empty).close();
    assertEquals(0, ByteBuffer.wrap(fs.getFileChecksum(empty).getBytes()).getInt());
    assertEquals(null, fs.getFileChecksum(one, 10), "no checksum of a prefix");
    assertThrows(java.io.FileNotFoundException.class, () -> fs.getFileChecksum(new Path("/sums")));
  }

  @Test
  void ownerGroupPermissionTimesAndReplicationAreStoredAndReturned() throws Exception {
    Path file = new Path("/attrs/file");
    try (FSDataOutputStream out = fs.create(file, new FsPermission((short) 0666), true, 4096, (short) 3, CHUNK,
        null)) {
      out.write(1);
    }
    FileStatus status = fs.getFileStatus(file);
    assertEquals(UserGroupInformation.getCurrentUser().getShortUserName(), status.getOwner());
    assertEquals((short) 0644, status.getPermission().toShort(), "umask 022 applied to 0666");
    assertEquals((short) 0755, fs.getFileStatus(new Path("/attrs")).getPermission().toShort());

    fs.setPermission(file, new FsPermission((short) 0600));
    fs.setOwner(file, "alice", "staff");
    fs.setOwner(file, null, "ops");
    fs.setTimes(file, 1_000_000L, 2_000_000L);
    fs.setTimes(file, -1, 3_000_000L);
    assertTrue(fs.setReplication(file, (short) 2));
    assertFalse(fs.setReplication(new Path("/attrs"), (short) 2), "a directory has no replication");
    status = fs.getFileStatus(file);
    assertEquals((short) 0600, status.getPermission().toShort());
    assertEquals("alice", status.getOwner());
    assertEquals("ops", status.getGroup());
    assertEquals(1_000_000L, status.getModificationTime());
    assertEquals(3_000_000L, status.getAccessTime());
    assertEquals(2, status.getReplication());
    assertEquals(status.getOwner(), fs.listStatus(new Path("/attrs"))[0].getOwner(), "listings carry them too");
  }

  @Test
  void contentSummariesCountTheTree() throws Exception {
    FsTestFiles.write(fs, new Path("/summary/a"), data(43, 100));
    FsTestFiles.write(fs, new Path("/summary/sub/b"), data(44, CHUNK + 1));
    fs.mkdirs(new Path("/summary/sub/empty"));
    ContentSummary summary = fs.getContentSummary(new Path("/summary"));
    assertEquals(100 + CHUNK + 1, summary.getLength());
    assertEquals(2, summary.getFileCount());
    assertEquals(3, summary.getDirectoryCount(), "the directory itself is counted");
    assertEquals(3L * (100 + CHUNK + 1), summary.getSpaceConsumed());
    assertEquals(1, fs.getContentSummary(new Path("/summary/a")).getFileCount());
  }

  @Test
  void listingsComePagedAndLocated() throws Exception {
    Path dir = new Path("/listing");
    int files = 1_003; // more than one page of 1000
    for (int i = 0; i < files; i++) {
      fs.create(new Path(dir, String.format("f%05d", i))).close();
    }
    FsTestFiles.write(fs, new Path(dir, "z-data"), data(45, 2 * CHUNK + 1));

    List<String> names = new ArrayList<>();
    RemoteIterator<FileStatus> it = fs.listStatusIterator(dir);
    while (it.hasNext()) {
      names.add(it.next().getPath().getName());
    }
    assertEquals(files + 1, names.size());
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(null);
    assertEquals(sorted, names, "name order");
    assertEquals(new HashSet<>(names).size(), names.size(), "no entry twice across pages");

    Set<String> servers = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      servers.add(cluster.chunkServerAddress(i).toString());
    }
    int located = 0;
    RemoteIterator<LocatedFileStatus> li = fs.listLocatedStatus(dir);
    while (li.hasNext()) {
      LocatedFileStatus status = li.next();
      located++;
      if (status.getPath().getName().equals("z-data")) {
        BlockLocation[] blocks = status.getBlockLocations();
        assertEquals(3, blocks.length);
        assertEquals(2L * CHUNK, blocks[2].getOffset());
        assertEquals(1, blocks[2].getLength());
        assertTrue(servers.containsAll(Arrays.asList(blocks[0].getNames())), Arrays.toString(blocks[0].getNames()));
      } else {
        assertEquals(0, status.getBlockLocations().length);
      }
    }
    assertEquals(files + 1, located);
    RemoteIterator<LocatedFileStatus> recursive = fs.listFiles(new Path("/listing"), true);
    int counted = 0;
    while (recursive.hasNext()) {
      recursive.next();
      counted++;
    }
    assertEquals(files + 1, counted);
    assertThrows(java.io.FileNotFoundException.class, () -> fs.listStatusIterator(new Path("/listing-none")));
  }

  @Test
  void concatRelinksChunkAlignedFiles() throws Exception {
    Path target = new Path("/concat/target");
    Path s1 = new Path("/concat/s1");
    Path s2 = new Path("/concat/s2");
    byte[] t = data(46, CHUNK);
    byte[] b1 = data(47, 2 * CHUNK);
    byte[] b2 = data(48, 100);
    FsTestFiles.write(fs, target, t);
    FsTestFiles.write(fs, s1, b1);
    FsTestFiles.write(fs, s2, b2);
    fs.concat(target, new Path[] {s1, s2});
    byte[] all = readAll(fs, target);
    assertEquals(t.length + b1.length + b2.length, all.length);
    assertArrayEquals(t, Arrays.copyOfRange(all, 0, CHUNK));
    assertArrayEquals(b1, Arrays.copyOfRange(all, CHUNK, 3 * CHUNK));
    assertArrayEquals(b2, Arrays.copyOfRange(all, 3 * CHUNK, all.length));
    assertFalse(fs.exists(s1) || fs.exists(s2), "sources are gone");

    Path partial = new Path("/concat/partial");
    FsTestFiles.write(fs, partial, data(49, 10));
    Path more = new Path("/concat/more");
    FsTestFiles.write(fs, more, data(50, 10));
    IOException refused = assertThrows(IOException.class, () -> fs.concat(partial, new Path[] {more}));
    assertTrue(refused.getMessage().contains("full"), refused.getMessage());
  }

  @Test
  void snapshotsKeepWhatWasAndAreReadOnly() throws Exception {
    Path dir = new Path("/snap");
    byte[] old = data(52, CHUNK + 10);
    FsTestFiles.write(fs, new Path(dir, "f"), old);
    Path snapshot = fs.createSnapshot(dir, "s1");
    assertEquals(fs.makeQualified(new Path("/snap/.snapshot/s1")), snapshot);
    byte[] fresh = data(53, 500);
    FsTestFiles.write(fs, new Path(dir, "f"), fresh);
    try (FSDataOutputStream out = fs.create(new Path(dir, "g"))) {
      out.write(1);
    }
    assertArrayEquals(fresh, readAll(fs, new Path(dir, "f")));
    assertArrayEquals(old, readAll(fs, new Path(snapshot, "f")), "the snapshot reads the old contents");
    assertFalse(fs.exists(new Path(snapshot, "g")), "files created later are not in it");
    assertEquals(fs.getFileChecksum(new Path(snapshot, "f")).getBytes().length, 4);
    assertThrows(org.apache.hadoop.fs.InvalidPathException.class, () -> fs.create(new Path(snapshot, "h")));

    fs.renameSnapshot(dir, "s1", "s2");
    assertEquals(List.of("s2"), fs.listSnapshots(dir));
    assertArrayEquals(old, readAll(fs, new Path("/snap/.snapshot/s2/f")));
    fs.deleteSnapshot(dir, "s2");
    assertEquals(List.of(), fs.listSnapshots(dir));
    assertFalse(fs.exists(new Path("/snap/.snapshot/s2/f")));
  }

  @Test
  void statusCapabilitiesStatisticsAndBuilders() throws Exception {
    FsServerDefaults defaults = fs.getServerDefaults(new Path("/"));
    assertEquals(CHUNK, defaults.getBlockSize());
    assertEquals(DataChecksum.Type.CRC32C, defaults.getChecksumType());
    assertEquals(64 * 1024, defaults.getBytesPerChecksum());
    FsStatus status = fs.getStatus(new Path("/"));
    assertTrue(status.getCapacity() > 0 && status.getCapacity() < (1L << 60), "capacity " + status.getCapacity());
    assertTrue(status.getUsed() >= 0 && status.getRemaining() <= status.getCapacity());

    Path root = new Path("/");
    for (String yes : List.of(CommonPathCapabilities.FS_APPEND, CommonPathCapabilities.FS_CONCAT,
        CommonPathCapabilities.FS_PERMISSIONS, CommonPathCapabilities.FS_CHECKSUMS,
        CommonPathCapabilities.FS_SNAPSHOTS, GfsFileSystem.CAPABILITY_RECORD_APPEND, StreamCapabilities.HFLUSH,
        StreamCapabilities.HSYNC)) {
      assertTrue(fs.hasPathCapability(root, yes), yes);
    }
    for (String no : List.of(CommonPathCapabilities.FS_ACLS, CommonPathCapabilities.FS_XATTRS,
        CommonPathCapabilities.FS_SYMLINKS,
        CommonPathCapabilities.FS_PATHHANDLES, CommonPathCapabilities.FS_MULTIPART_UPLOADER,
        CommonPathCapabilities.ETAGS_AVAILABLE)) {
      assertFalse(fs.hasPathCapability(root, no), no);
    }

    Path path = new Path("/builders/file");
    byte[] bytes = data(51, 5000);
    try (FSDataOutputStream out = fs.createFile(path).overwrite(false).recursive().build()) {
      assertTrue(out.hasCapability(StreamCapabilities.IOSTATISTICS));
      out.write(bytes);
      IOStatistics stats = IOStatisticsSupport.retrieveIOStatistics(out);
      assertEquals(bytes.length, stats.counters().get(StreamStatisticNames.STREAM_WRITE_BYTES));
    }
    assertThrows(FileAlreadyExistsException.class, () -> fs.createFile(path).overwrite(false).build());
    FileStatus fileStatus = fs.getFileStatus(path);
    try (FSDataInputStream in = fs.openFile(path).withFileStatus(fileStatus)
        .opt("fs.option.openfile.read.policy", "random").build().get()) {
      assertTrue(in.hasCapability(StreamCapabilities.UNBUFFER));
      byte[] got = new byte[bytes.length];
      in.readFully(got);
      assertArrayEquals(bytes, got);
      in.unbuffer();
      byte[] one = new byte[1];
      assertEquals(1, in.read(7, one, 0, 1), "reads go on after unbuffer");
      assertEquals(bytes[7], one[0]);
      IOStatistics stats = IOStatisticsSupport.retrieveIOStatistics(in);
      assertTrue(stats.counters().get(StreamStatisticNames.STREAM_READ_BYTES) >= bytes.length);
    }
    assertThrows(IllegalArgumentException.class,
        () -> fs.openFile(path).must("fs.gfs.no.such.option", "x").build());
  }
}
