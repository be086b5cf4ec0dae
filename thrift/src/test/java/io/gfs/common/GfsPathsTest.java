package io.gfs.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class GfsPathsTest {
  @Test
  void validPaths() {
    assertEquals(List.of(), GfsPaths.components("/"));
    assertEquals(List.of("a", "b"), GfsPaths.components("/a/b"));
    assertEquals("/a/b", GfsPaths.normalize("/a/b/"));
    assertEquals("/", GfsPaths.join(List.of()));
  }

  @Test
  void malformedPathsAreRejected() {
    for (String bad : new String[] {null, "", "a/b", "/a//b", "/a/../b", "/./a", "/a\0b", "/" + "x".repeat(256),
        "/" + "abcdefgh/".repeat(600)}) {
      assertThrows(GfsPaths.InvalidPathException.class, () -> GfsPaths.components(bad), String.valueOf(bad));
    }
  }
}
