package io.gfs.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RenamerTest {
  @Test
  void pathHelpers() {
    assertEquals("/", Renamer.parent("/a"));
    assertEquals("/a", Renamer.parent("/a/b"));
    assertEquals("b", Renamer.name("/a/b"));
    assertEquals("/x", Renamer.child("/", "x"));
    assertEquals("/a/x", Renamer.child("/a", "x"));
  }

  @Test
  void insideMeansStrictlyBelow() {
    assertTrue(Renamer.isInside("/a/b", "/a"));
    assertFalse(Renamer.isInside("/ab", "/a"));
    assertFalse(Renamer.isInside("/a", "/a"));
    assertTrue(Renamer.isInside("/a", "/"));
    assertFalse(Renamer.isInside("/", "/"));
  }
}
