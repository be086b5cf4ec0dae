package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.master.state.FileStatus;
import io.gfs.master.state.PermissionStatus;
import io.gfs.master.state.StateError;
import io.gfs.master.state.StateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hadoop's rename answers as the master decides them in one call (HDFS's rules; the client used to apply them). */
class HadoopRenameTest {
  /** A namespace of directories (true) and files (false); anything else is missing. */
  private static final Map<String, Boolean> TREE = Map.of("/", true, "/a", true, "/a/f", false, "/b", true,
      "/b/f", false, "/g", false);
  private final List<String> looked = new ArrayList<>();

  private HadoopRename.Plan plan(String source, String destination) {
    return HadoopRename.plan(source, destination, path -> {
      looked.add(path);
      Boolean directory = TREE.get(path);
      if (directory == null) {
        if (path.startsWith("/g/")) {
          throw StateException.of(StateError.NOT_DIRECTORY, "%s: /g is a file", path);
        }
        throw StateException.of(StateError.NOT_FOUND, "%s", path);
      }
      return new FileStatus(path, directory, 0, 1, 0, 0, new PermissionStatus("u", "g", (short) 0755), 0);
    });
  }

  private static HadoopRename.Plan move(String target) {
    return new HadoopRename.Move(target);
  }

  private static HadoopRename.Plan answer(boolean renamed) {
    return new HadoopRename.Answer(renamed);
  }

  @Test
  void hdfsAnswers() {
    assertEquals(answer(false), plan("/", "/x"), "the root is never renamed");
    assertEquals(answer(false), plan("/missing", "/x"), "a missing source answers false");
    assertEquals(answer(true), plan("/g", "/g"), "a file onto itself succeeds");
    assertEquals(answer(false), plan("/a", "/a"), "a directory onto itself would move into itself");
    assertEquals(answer(false), plan("/a", "/a/sub"), "into its own subtree");
    assertEquals(move("/x"), plan("/g", "/x"), "a new name in an existing directory");
    assertEquals(answer(false), plan("/g", "/b/f"), "onto an existing file");
    assertEquals(move("/b/g"), plan("/g", "/b"), "into an existing directory, under its own name");
    assertEquals(answer(false), plan("/a/f", "/b"), "into a directory that already holds that name");
    assertEquals(answer(true), plan("/a/f", "/a"), "into the directory that already holds it");
    assertEquals(answer(false), plan("/g", "/missing/x"), "the destination's parent is missing");
    assertEquals(answer(false), plan("/a", "/g/x"), "the destination's parent is a file");
  }

  @Test
  void aMissingSourceIsNotLookedPast() {
    plan("/missing", "/x");
    assertEquals(List.of("/missing"), looked);
  }

  @Test
  void otherLookupFailuresPropagate() {
    StateException denied = assertThrows(StateException.class, () -> HadoopRename.plan("/a", "/x", path -> {
      throw StateException.of(StateError.PERMISSION_DENIED, "no traverse of %s", path);
    }));
    assertEquals(StateError.PERMISSION_DENIED, denied.error());
  }

  /** Issue 6: the master's lookup answers null for a missing path instead of throwing; every plan is the same. */
  @Test
  void aLookupAnsweringNullForMissingPathsPlansTheSame() {
    List<List<String>> cases = List.of(List.of("/", "/x"), List.of("/missing", "/x"), List.of("/g", "/g"),
        List.of("/a", "/a"), List.of("/a", "/a/sub"), List.of("/g", "/x"), List.of("/g", "/b/f"),
        List.of("/g", "/b"), List.of("/a/f", "/b"), List.of("/a/f", "/a"), List.of("/g", "/missing/x"),
        List.of("/a", "/g/x"));
    for (List<String> c : cases) {
      HadoopRename.Plan withNull = HadoopRename.plan(c.get(0), c.get(1), path -> {
        Boolean directory = TREE.get(path);
        return directory == null ? null
            : new FileStatus(path, directory, 0, 1, 0, 0, new PermissionStatus("u", "g", (short) 0755), 0);
      });
      assertEquals(plan(c.get(0), c.get(1)), withNull, c.toString());
    }
  }
}
