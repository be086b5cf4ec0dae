package io.gfs.hadoop;

import io.gfs.client.GfsClient;
import io.gfs.client.GfsListingPage;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.function.Function;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A directory listing fetched one page (one master call) at a time, in name order, each entry turned into a Hadoop
 * status by toStatus. next() works without hasNext(). Under concurrent change a listing may miss or repeat nothing
 * that stayed put, but may or may not show entries added or removed meanwhile (as on HDFS).
 */
final class PagedListing<T extends FileStatus> implements RemoteIterator<T> {
  /** Entries per page; the master caps a page at this size too. */
  static final int PAGE_ENTRIES_MAX = 1000;

  private final GfsClient client;
  private final String path;
  private final boolean withLocations;
  private final Function<GfsListingPage.Entry, T> toStatus;
  private final Queue<T> buffered = new ArrayDeque<>();
  private String startAfter = "";
  private boolean more = true;

  PagedListing(GfsClient client, String path, boolean withLocations, Function<GfsListingPage.Entry, T> toStatus) {
    this.client = client;
    this.path = path;
    this.withLocations = withLocations;
    this.toStatus = toStatus;
  }

  /** Fetches the first page at once, so a missing path fails at the call, as listStatus does. */
  PagedListing<T> start() throws IOException {
    fetch();
    return this;
  }

  @Override
  public boolean hasNext() throws IOException {
    while (buffered.isEmpty() && more) {
      fetch();
    }
    return !buffered.isEmpty();
  }

  @Override
  public T next() throws IOException {
    if (!hasNext()) {
      throw new NoSuchElementException("no more entries in the listing of " + path);
    }
    return buffered.remove();
  }

  private void fetch() throws IOException {
    GfsListingPage page;
    try {
      page = client.listPage(path, startAfter, PAGE_ENTRIES_MAX, withLocations);
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.LOOKUP);
    }
    for (GfsListingPage.Entry entry : page.entries()) {
      buffered.add(toStatus.apply(entry));
    }
    // A page that ends the listing, or an empty one (nothing after startAfter), stops the iteration.
    more = page.hasMore() && !page.entries().isEmpty();
    startAfter = page.lastName();
  }
}
