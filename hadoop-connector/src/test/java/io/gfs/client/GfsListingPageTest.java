package io.gfs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GfsListingPageTest {
  private static GfsListingPage.Entry entry(String path) {
    return new GfsListingPage.Entry(new GfsFileStatus(path, false, 0, 3, 1 << 20, 0, 0, "o", "g", (short) 0644, 0),
        List.of());
  }

  @Test
  void theNextPageStartsAfterTheLastName() {
    assertEquals("b", new GfsListingPage(List.of(entry("/d/a"), entry("/d/b")), true).lastName());
    assertEquals("x", new GfsListingPage(List.of(entry("x")), false).lastName());
    assertEquals("", new GfsListingPage(List.of(), false).lastName());
  }

  @Test
  void pagesAreImmutable() {
    List<GfsListingPage.Entry> entries = new ArrayList<>(List.of(entry("/a")));
    GfsListingPage page = new GfsListingPage(entries, false);
    entries.clear();
    assertEquals(1, page.entries().size());
    assertThrows(UnsupportedOperationException.class, () -> page.entries().clear());
  }

  @Test
  void statusesRejectImpossibleValues() {
    assertThrows(IllegalArgumentException.class,
        () -> new GfsFileStatus("/a", false, -1, 3, 1, 0, 0, "", "", (short) -1, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new GfsFileStatus("/a", false, 0, 3, 1, 0, 0, "", "", (short) 010000, 0));
    assertThrows(IllegalArgumentException.class, () -> new GfsUsage(-1, 0, 0));
    assertEquals(0, new GfsUsage(10, 20, 1).remainingBytes(), "over-full servers leave nothing, not less");
    assertEquals(7, new GfsUsage(10, 3, 1).remainingBytes());
  }
}
