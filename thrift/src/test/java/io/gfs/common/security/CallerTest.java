package io.gfs.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The names a caller may carry (checked on every master call the envelope brings in). */
class CallerTest {
  @Test
  void namesAreNonEmptyBoundedAndFreeOfControlCharacters() {
    assertTrue(Caller.validName("alice"));
    assertTrue(Caller.validName("caf\u00e9 user@REALM"));
    assertTrue(Caller.validName("x".repeat(Caller.NAME_CHARS_MAX)));
    assertFalse(Caller.validName(null));
    assertFalse(Caller.validName(""));
    assertFalse(Caller.validName("x".repeat(Caller.NAME_CHARS_MAX + 1)));
    for (String bad : List.of("a\nb", "\u0000", "tab\t", "del\u007f", "c1\u0085", "end\u009f")) {
      assertFalse(Caller.validName(bad), bad);
    }
  }

  @Test
  void aCallerWithABadNameIsRefused() {
    assertEquals("alice", Caller.of("alice", "staff").user());
    assertThrows(IllegalArgumentException.class, () -> Caller.of("al\nice"));
    assertThrows(IllegalArgumentException.class, () -> Caller.of("alice", "st\u0000aff"));
  }
}
