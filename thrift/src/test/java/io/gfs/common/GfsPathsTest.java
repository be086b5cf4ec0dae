package io.gfs.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GfsPathsTest {
  /**
   * Issue 6: a master call parses its path three times (lock plan, permission check, operation), a rename two paths
   * in turn; the same String is parsed once while it is one of this thread's last two.
   */
  @Test
  void theSamePathStringIsParsedOnceWhileItIsOneOfTheLastTwo() {
    String source = new String("/bench/meta/t32/work/w7/d12");
    String target = new String("/bench/meta/t32/work/w7/r12");
    List<String> parsed = GfsPaths.components(source);
    assertEquals(List.of("bench", "meta", "t32", "work", "w7", "d12"), parsed);
    assertSame(parsed, GfsPaths.components(source));
    List<String> parsedTarget = GfsPaths.components(target);
    assertSame(parsed, GfsPaths.components(source));
    assertSame(parsedTarget, GfsPaths.components(target));
    String equalText = new String(source);
    List<String> parsedAgain = GfsPaths.components(equalText); // another String: parsed again, to equal components
    assertNotSame(parsed, parsedAgain);
    assertEquals(parsed, parsedAgain);
    assertThrows(UnsupportedOperationException.class, () -> parsed.add("x"));
    assertThrows(GfsPaths.InvalidPathException.class, () -> GfsPaths.components("/a/../b"));
    assertThrows(GfsPaths.InvalidPathException.class, () -> GfsPaths.components(null));
    assertSame(parsedAgain, GfsPaths.components(equalText)); // a refused path displaces nothing
  }

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

  /** Limits count UTF-8 bytes, also now that ASCII paths skip the encoding (issue 6). */
  @Test
  void limitsCountUtf8BytesNotChars() {
    String e = "\u00e9"; // two bytes in UTF-8
    assertEquals(List.of(e.repeat(127) + "a"), GfsPaths.components("/" + e.repeat(127) + "a")); // 255 bytes
    assertThrows(GfsPaths.InvalidPathException.class, () -> GfsPaths.components("/" + e.repeat(128))); // 256
    assertEquals(20, GfsPaths.components("/" + (e.repeat(100) + "/").repeat(20)).size()); // 4021 bytes
    assertThrows(GfsPaths.InvalidPathException.class,
        () -> GfsPaths.components("/" + (e.repeat(100) + "/").repeat(21))); // 2122 chars but 4222 bytes
    assertEquals(1, GfsPaths.components("/" + "x".repeat(255)).size());
    assertEquals(455, GfsPaths.components("/" + "abcdefgh/".repeat(455)).size()); // 4096 bytes
  }

  /**
   * The one-scan check (issue 6) says "canonical" exactly when the full parse accepts an ASCII path and joins it back
   * unchanged; for other text it may say no (the full parse then decides), never a wrong yes.
   */
  @Test
  void theCanonicalShortcutAgreesWithTheFullParse() {
    List<String> paths = new java.util.ArrayList<>(List.of("/", "/a", "/a/b", "/a/", "//", "/a//b", "/.", "/..",
        "/.a", "/..a", "/a.", "/a/.", "/a/..", "/...", "a", "", "/a\0b", "/\u00e9", "/" + "x".repeat(255),
        "/" + "x".repeat(256), "/" + "abcdefg/".repeat(511) + "abcdefg", "/" + "abcdefg/".repeat(512)));
    paths.add(null);
    java.util.Random random = new java.util.Random(6);
    char[] alphabet = {'/', '/', '.', 'a', 'b', '\0', '\u00e9'};
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int n = random.nextInt(9); n > 0; n--) {
        b.append(alphabet[random.nextInt(alphabet.length)]);
      }
      paths.add(b.toString());
    }
    for (String path : paths) {
      boolean canonical;
      try {
        canonical = GfsPaths.join(GfsPaths.components(path)).equals(path);
      } catch (GfsPaths.InvalidPathException refused) {
        canonical = false;
      }
      boolean ascii = path != null && path.chars().allMatch(c -> c < 0x80);
      if (ascii) {
        assertEquals(canonical, GfsPaths.isCanonical(path), path);
      } else if (GfsPaths.isCanonical(path)) {
        assertTrue(canonical, String.valueOf(path)); // other text may take the full parse, never wrongly skip it
      }
    }
  }

  @Test
  void parentNameAndChildOfNormalizedPaths() {
    assertEquals("/", GfsPaths.parent("/a"));
    assertEquals("/a", GfsPaths.parent("/a/b"));
    assertEquals("/", GfsPaths.parent("/"));
    assertEquals("b", GfsPaths.name("/a/b"));
    assertEquals("", GfsPaths.name("/"));
    assertEquals("/x", GfsPaths.child("/", "x"));
    assertEquals("/a/x", GfsPaths.child("/a", "x"));
  }

  @Test
  void insideMeansStrictlyBelow() {
    assertTrue(GfsPaths.isInside("/a/b", "/a"));
    assertFalse(GfsPaths.isInside("/ab", "/a"));
    assertFalse(GfsPaths.isInside("/a", "/a"));
    assertTrue(GfsPaths.isInside("/a", "/"));
    assertFalse(GfsPaths.isInside("/", "/"));
  }
}
