package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 6: fileStatusOrNull answers what fileStatus does, and null where fileStatus throws "nothing there". */
class StatusOrNullTest {
  @Test
  void answersFileStatusOrNullForMissingPathsAndPathsThroughAFile() {
    StateFixture f = new StateFixture();
    f.mkdirs("/a/b");
    f.create("/a/f");
    for (String path : new String[] {"/", "/a", "/a/b", "/a/f"}) {
      assertEquals(f.state.fileStatus(path), f.state.fileStatusOrNull(path), path);
    }
    for (String path : new String[] {"/missing", "/a/missing", "/missing/x", "/a/f/x", "/a/f/x/y"}) {
      StateError error = assertThrows(StateException.class, () -> f.state.fileStatus(path)).error();
      assertTrue(error == StateError.NOT_FOUND || error == StateError.PARENT_NOT_DIRECTORY, path);
      assertNull(f.state.fileStatusOrNull(path), path);
    }
  }

  @Test
  void aMalformedPathIsStillRefused() {
    StateFixture f = new StateFixture();
    assertEquals(assertThrows(StateException.class, () -> f.state.fileStatus("relative")).error(),
        assertThrows(StateException.class, () -> f.state.fileStatusOrNull("relative")).error());
  }
}
