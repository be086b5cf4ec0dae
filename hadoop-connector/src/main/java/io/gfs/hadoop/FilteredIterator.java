package io.gfs.hadoop;

import java.io.IOException;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.PathFilter;
import org.apache.hadoop.fs.RemoteIterator;

/** A listLocatedStatus filter applied as the pages arrive. */
final class FilteredIterator implements RemoteIterator<LocatedFileStatus> {
  private final RemoteIterator<LocatedFileStatus> all;
  private final PathFilter filter;
  private LocatedFileStatus next;

  FilteredIterator(RemoteIterator<LocatedFileStatus> all, PathFilter filter) {
    this.all = all;
    this.filter = filter;
  }

  @Override
  public boolean hasNext() throws IOException {
    while (next == null && all.hasNext()) {
      LocatedFileStatus candidate = all.next();
      if (filter.accept(candidate.getPath())) {
        next = candidate;
      }
    }
    return next != null;
  }

  @Override
  public LocatedFileStatus next() throws IOException {
    if (!hasNext()) {
      throw new NoSuchElementException("no more entries accepted by " + filter);
    }
    LocatedFileStatus out = next;
    next = null;
    return out;
  }
}
