package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Paged listings (with and without locations) and content summaries. */
class ListingTest {
  private final StateFixture f = new StateFixture();

  private static List<String> names(Listing listing) {
    return listing.entries().stream().map(e -> e.file().path()).toList();
  }

  @Test
  void pagesWalkTheDirectoryInNameOrder() {
    for (int i = 0; i < 25; i++) {
      f.create(String.format("/d/f%02d", i));
    }
    f.mkdirs("/d/sub");
    List<String> all = new ArrayList<>();
    String after = "";
    int pages = 0;
    while (true) {
      Listing page = f.state.listPage("/d", after, 10, false, f.nowMillis);
      all.addAll(names(page));
      pages++;
      if (!page.hasMore()) {
        break;
      }
      after = page.entries().get(page.entries().size() - 1).file().path(); // a full path works as well as a name
    }
    assertEquals(3, pages);
    assertEquals(f.state.listStatus("/d").stream().map(FileStatus::path).toList(), all);
    assertEquals(List.of("/d/f10", "/d/f11"), names(f.state.listPage("/d", "f09", 2, false, f.nowMillis)));
    assertEquals(List.of("/d/f00"), names(f.state.listPage("/d", "a", 1, false, f.nowMillis)), "after a gap name");
    Listing end = f.state.listPage("/d", "sub", 10, false, f.nowMillis);
    assertEquals(List.of(), end.entries());
    assertFalse(end.hasMore());
  }

  @Test
  void pagesAreCappedAndBadArgumentsRefused() {
    for (int i = 0; i < NamespaceQueries.LISTING_ENTRIES_MAX + 5; i++) {
      f.apply(new LogRecord.Create("/big/f" + i, 1, 1, false, true));
    }
    Listing page = f.state.listPage("/big", "", Integer.MAX_VALUE, false, f.nowMillis);
    assertEquals(NamespaceQueries.LISTING_ENTRIES_MAX, page.entries().size());
    assertTrue(page.hasMore());
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.state.listPage("/big", "", 0, false, 0)));
    assertEquals(StateError.NOT_FOUND, f.error(() -> f.state.listPage("/nope", "", 5, false, 0)));
    assertEquals(StateError.INVALID_PATH, f.error(() -> f.state.listPage("//x/../y", "", 5, false, 0)));
  }

  @Test
  void listingAFileGivesTheFileAndLocationsComeWithFilesOnly() {
    f.heartbeat("cs1");
    f.heartbeat("cs2");
    f.create("/d/f", false, true, 2);
    List<Long> handles = f.writeChunks("/d/f", StateFixture.CHUNK_SIZE, 9);
    f.mkdirs("/d/sub");
    f.create("/d/zero");
    Listing located = f.state.listPage("/d", "", 10, true, f.nowMillis);
    assertEquals(List.of("/d/f", "/d/sub", "/d/zero"), names(located));
    List<ChunkView> chunks = located.entries().get(0).chunks();
    assertEquals(handles, chunks.stream().map(ChunkView::handle).toList());
    assertEquals(9, chunks.get(1).lengthBytes());
    assertEquals(1, chunks.get(0).replicas().size(), "cs1 holds the replicas writeChunks made");
    assertNull(located.entries().get(1).chunks(), "a directory has no chunks");
    assertEquals(List.of(), located.entries().get(2).chunks(), "an empty file has an empty list");
    assertNull(f.state.listPage("/d", "", 10, false, f.nowMillis).entries().get(0).chunks());
    Listing file = f.state.listPage("/d/f", "anything", 10, true, f.nowMillis);
    assertEquals(List.of("/d/f"), names(file));
    assertEquals(2, file.entries().get(0).chunks().size());
    assertFalse(file.hasMore());
    assertEquals(StateFixture.CHUNK_SIZE + 9, file.entries().get(0).file().lengthBytes());
  }

  @Test
  void contentSummaryCountsTheWholeSubtree() {
    f.heartbeat("cs1");
    f.create("/a/b/f", false, true, 3);
    f.writeChunks("/a/b/f", 100, 0);
    f.create("/a/g", false, true, 2);
    f.writeChunks("/a/g", 50);
    f.mkdirs("/a/c/d");
    f.create("/other");
    assertEquals(new ContentSummary(150, 2, 4, 100 * 3 + 50 * 2), f.state.contentSummary("/a"));
    assertEquals(new ContentSummary(50, 1, 0, 100), f.state.contentSummary("/a/g"));
    assertEquals(new ContentSummary(0, 0, 1, 0), f.state.contentSummary("/a/c/d"));
    assertEquals(new ContentSummary(150, 3, 5, 400), f.state.contentSummary("/"));
    assertEquals(StateError.NOT_FOUND, f.error(() -> f.state.contentSummary("/a/x")));
  }
}
