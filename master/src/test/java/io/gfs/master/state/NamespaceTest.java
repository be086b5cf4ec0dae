package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamespaceTest {
  private final StateFixture f = new StateFixture();

  private List<String> names(String dir) {
    return f.state.listStatus(dir).stream().map(FileStatus::path).toList();
  }

  @Test
  void rootAlwaysExists() {
    FileStatus root = f.state.fileStatus("/");
    assertTrue(root.directory());
    assertEquals("/", root.path());
    assertEquals(List.of(), names("/"));
    assertEquals(1, f.state.directoryCount());
  }

  @Test
  void mkdirsCreatesParentsAndIsTrueForAnExistingDirectory() {
    assertTrue(f.mkdirs("/a/b/c"));
    assertTrue(f.state.fileStatus("/a/b").directory());
    assertEquals(1, f.log.size());
    assertTrue(f.mkdirs("/a/b"));
    assertTrue(f.mkdirs("/a/b/c/"));
    assertEquals(1, f.log.size(), "mkdirs of an existing directory logs nothing");
    assertEquals(4, f.state.directoryCount());
  }

  @Test
  void mkdirsOnAFileOrBelowOne() {
    f.create("/a/file");
    assertEquals(StateError.ALREADY_EXISTS, f.error(() -> f.mkdirs("/a/file")));
    assertEquals(StateError.PARENT_NOT_DIRECTORY, f.error(() -> f.mkdirs("/a/file/sub")));
  }

  @Test
  void createRules() {
    f.create("/d/x");
    FileStatus x = f.state.fileStatus("/d/x");
    assertFalse(x.directory());
    assertEquals(3, x.replication(), "replication 0 means the default");
    assertEquals(StateError.ALREADY_EXISTS, f.error(() -> f.create("/d/x")));
    assertEquals(StateError.IS_DIRECTORY, f.error(() -> f.create("/d", true, true, 0)));
    assertEquals(StateError.IS_DIRECTORY, f.error(() -> f.create("/", true, true, 0)));
    assertEquals(StateError.NOT_FOUND, f.error(() -> f.create("/missing/y", false, false, 0)));
    assertEquals(StateError.PARENT_NOT_DIRECTORY, f.error(() -> f.create("/d/x/y")));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.create("/d/z", false, true, 33)));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.create("/d/z", false, true, -1)));
    f.create("/d/y", false, false, 2);
    assertEquals(2, f.state.fileStatus("/d/y").replication());
    assertEquals(List.of("/d/x", "/d/y"), names("/d"));
  }

  @Test
  void createWithOverwriteReleasesTheOldChunks() {
    f.create("/f");
    f.heartbeat("cs1");
    f.acquire("/f", 0, List.of("cs1"));
    assertEquals(1, f.state.chunkCount());
    f.create("/f", true, false, 1);
    assertEquals(0, f.state.chunkCount());
    assertEquals(0, f.state.fileStatus("/f").chunkCount());
    assertEquals(1, f.state.fileStatus("/f").replication());
  }

  @Test
  void badPathsAreInvalidPath() {
    for (String bad : new String[] {"", "relative", "/a//b", "/a/../b", "/a/./b", "/nul\0", "/" + "x".repeat(256),
        "/" + "a/".repeat(2100)}) {
      assertEquals(StateError.INVALID_PATH, f.error(() -> f.create(bad)), "path " + bad.length());
      assertEquals(StateError.INVALID_PATH, f.error(() -> f.state.fileStatus(bad)));
    }
    assertEquals(StateError.INVALID_PATH, f.error(() -> f.state.decideRename("/a", "b", 1)));
    assertEquals(StateError.INVALID_PATH, f.error(() -> f.state.lockRead(null)));
  }

  @Test
  void removeRules() {
    assertFalse(f.remove("/nothing", true));
    f.create("/d/e/f");
    assertEquals(StateError.DIRECTORY_NOT_EMPTY, f.error(() -> f.remove("/d", false)));
    assertTrue(f.remove("/d/e/f", false));
    assertTrue(f.remove("/d", true));
    assertEquals(StateError.NOT_FOUND, f.error(() -> f.state.fileStatus("/d")));
    assertEquals(0, f.state.fileCount());
    assertEquals(1, f.state.directoryCount());
  }

  @Test
  void removeRootDeletesChildrenButKeepsRoot() {
    assertFalse(f.remove("/", false), "empty root: nothing removed");
    f.create("/a/b");
    f.create("/c");
    assertEquals(StateError.DIRECTORY_NOT_EMPTY, f.error(() -> f.remove("/", false)));
    assertTrue(f.remove("/", true));
    assertTrue(f.state.fileStatus("/").directory());
    assertEquals(List.of(), names("/"));
    assertEquals(0, f.state.fileCount());
  }

  @Test
  void renameRules() {
    f.create("/a/x");
    f.mkdirs("/b");
    f.rename("/a/x", "/b/y");
    assertEquals(StateError.NOT_FOUND, f.error(() -> f.state.fileStatus("/a/x")));
    assertFalse(f.state.fileStatus("/b/y").directory());

    assertEquals(StateError.NOT_FOUND, f.error(() -> f.rename("/nope", "/b/z")));
    f.create("/b/z");
    assertEquals(StateError.ALREADY_EXISTS, f.error(() -> f.rename("/b/y", "/b/z")));
    assertEquals(StateError.NOT_FOUND, f.error(() -> f.rename("/b/y", "/missing/z")));
    assertEquals(StateError.PARENT_NOT_DIRECTORY, f.error(() -> f.rename("/b/y", "/b/z/w")));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.rename("/b", "/b/sub/b")));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.rename("/", "/x")));
    assertEquals(StateError.ALREADY_EXISTS, f.error(() -> f.rename("/b", "/")));
    int before = f.log.size();
    f.rename("/b/y", "/b/y");
    assertEquals(before, f.log.size(), "rename to itself is a no-op");

    f.rename("/b", "/c");
    assertEquals(List.of("/c/y", "/c/z"), names("/c"));
    assertEquals(List.of("/a", "/c"), names("/"));
  }

  @Test
  void listStatusOfAFileIsTheFile() {
    f.create("/f");
    assertEquals(List.of("/f"), names("/f"));
    assertEquals(StateError.NOT_FOUND, f.error(() -> f.state.listStatus("/g")));
    assertEquals(StateError.PARENT_NOT_DIRECTORY, f.error(() -> f.state.listStatus("/f/g")));
  }

  @Test
  void modificationTimes() {
    f.create("/d/f");
    long created = f.state.fileStatus("/d/f").modificationTimeMillis();
    assertEquals(f.nowMillis, created);
    f.create("/d/g");
    assertEquals(f.nowMillis, f.state.fileStatus("/d").modificationTimeMillis(), "a new child touches the parent");
  }
}
