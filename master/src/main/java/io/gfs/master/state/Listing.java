package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.List;

/** One page of a directory listing, in name order; hasMore when entries follow the last one. */
public record Listing(List<Entry> entries, boolean hasMore) {
  /**
   * One child. chunks is null when locations were not asked for, for a directory, and for a file with more chunks than
   * one page carries (the caller asks findChunks for those); otherwise every chunk of the file with its replicas.
   */
  public record Entry(FileStatus file, List<ChunkView> chunks) {
    public Entry {
      Check.notNull(file, "file");
      chunks = chunks == null ? null : List.copyOf(chunks);
    }
  }

  public Listing {
    entries = List.copyOf(entries);
  }
}
