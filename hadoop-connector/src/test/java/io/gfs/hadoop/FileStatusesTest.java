package io.gfs.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.client.GfsFileStatus;
import io.gfs.client.state.ChunkReplicas;
import io.gfs.common.HostPort;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

class FileStatusesTest {
  private static final long CHUNK = 1 << 20;
  private final FileStatuses statuses = new FileStatuses(URI.create("gfs://c"), "me");

  private static GfsFileStatus file(String path, long length, String owner, String group, short permission) {
    return new GfsFileStatus(path, false, length, 3, CHUNK, 1000, (length + CHUNK - 1) / CHUNK, owner, group,
        permission, 500);
  }

  @Test
  void storedAttributesAreReturnedAndPathsQualified() {
    FileStatus status = statuses.toFileStatus(file("/a/b", 10, "alice", "staff", (short) 0600), "/a/b");
    assertEquals(new Path("gfs://c/a/b"), status.getPath());
    assertEquals("alice", status.getOwner());
    assertEquals("staff", status.getGroup());
    assertEquals((short) 0600, status.getPermission().toShort());
    assertEquals(10, status.getLen());
    assertEquals(CHUNK, status.getBlockSize());
    assertEquals(3, status.getReplication());
    assertEquals(1000, status.getModificationTime());
    assertEquals(500, status.getAccessTime());
  }

  @Test
  void listedNamesResolveUnderTheListedDirectory() {
    assertEquals(new Path("gfs://c/d/x"), statuses.toFileStatus(file("x", 1, "", "", (short) -1), "/d").getPath());
    assertEquals(new Path("gfs://c/x"), statuses.toFileStatus(file("x", 1, "", "", (short) -1), "/").getPath());
  }

  @Test
  void aMasterThatSaysNothingGetsTheCallerAndDefaultPermissions() {
    FileStatus f = statuses.toFileStatus(file("/f", 1, "", "", GfsFileStatus.PERMISSION_UNKNOWN), "/f");
    assertEquals("me", f.getOwner());
    assertEquals("me", f.getGroup());
    assertEquals((short) 0644, f.getPermission().toShort());
    GfsFileStatus dir = new GfsFileStatus("/d", true, 0, 0, 0, 7, 0, "", "", GfsFileStatus.PERMISSION_UNKNOWN, 0);
    FileStatus d = statuses.toFileStatus(dir, "/d");
    assertTrue(d.isDirectory());
    assertEquals((short) 0755, d.getPermission().toShort());
    assertEquals(0, d.getBlockSize());
  }

  @Test
  void locatedStatusesCarryOneBlockPerChunk() throws Exception {
    List<HostPort> replicas = List.of(new HostPort("h1", 1), new HostPort("h2", 2));
    List<ChunkReplicas> chunks = List.of(new ChunkReplicas(0, 11, 1, CHUNK, replicas),
        new ChunkReplicas(1, 12, 1, 5, replicas));
    LocatedFileStatus located = statuses.toLocated(file("/f", CHUNK + 5, "a", "b", (short) 0644), "/f", chunks);
    assertEquals(2, located.getBlockLocations().length);
    assertEquals(CHUNK, located.getBlockLocations()[1].getOffset());
    assertEquals(5, located.getBlockLocations()[1].getLength());
    assertArrayEquals(new String[] {"h1", "h2"}, located.getBlockLocations()[0].getHosts());
    assertEquals(0, statuses.toLocated(file("/e", 0, "a", "b", (short) 0644), "/e", List.of())
        .getBlockLocations().length);
  }

  /** Issue 6: plain paths are qualified by appending them to "gfs://cluster"; the Path must be the one Path makes. */
  @Test
  void qualifiedPathsAreTheOnesPathsOwnConstructorMakes() {
    List<String> paths = List.of("/", "/a", "/a/b", "/bench/meta/t32/work/w7/d12", "/a.b/c-d_e~f", "/.../x",
        "/a b", "/a%20b", "/a:b", "/caf\u00e9", "/a/./b", "/a/../b", "/.", "/..", "/a/", "/a//b", "/a#b", "/a?b",
        "/a+b", "/a@b", "/[x]", "/a\\b");
    for (String cluster : List.of("gfs://c", "gfs://host-1.example:9000", "gfs://user@c")) {
      URI uri = URI.create(cluster);
      FileStatuses s = new FileStatuses(uri, "me");
      for (String path : paths) {
        Path expected = new Path(uri.getScheme(), uri.getAuthority(), path);
        Path actual = s.qualified(path);
        assertEquals(expected, actual, cluster + " " + path);
        assertEquals(expected.toString(), actual.toString(), cluster + " " + path);
        assertEquals(expected.toUri(), actual.toUri(), cluster + " " + path);
      }
    }
  }

  @Test
  void onlyPathsThatNeedNoQuotingOrNormalizingArePlain() {
    assertTrue(FileStatuses.plainPath("/"));
    assertTrue(FileStatuses.plainPath("/a/b.c/..."));
    for (String path : List.of("", "a", "/a/", "/a//b", "/.", "/a/..", "/a b", "/a%b", "/a:b", "/caf\u00e9")) {
      assertEquals(false, FileStatuses.plainPath(path), path);
    }
  }
}
