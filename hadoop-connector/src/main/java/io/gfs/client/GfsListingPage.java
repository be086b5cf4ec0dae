package io.gfs.client;

import io.gfs.client.state.ChunkReplicas;
import io.gfs.common.Check;
import java.util.List;

/**
 * One page of a directory listing in name order. Each entry carries its file's chunks with their replicas when the
 * page was asked for with locations (empty otherwise, and always for directories).
 */
public record GfsListingPage(List<Entry> entries, boolean hasMore) {
  public GfsListingPage {
    entries = List.copyOf(Check.notNull(entries, "entries"));
  }

  /** The name to pass as startAfter for the next page; "" for an empty page. */
  public String lastName() {
    if (entries.isEmpty()) {
      return "";
    }
    String path = entries.get(entries.size() - 1).status().path();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  public record Entry(GfsFileStatus status, List<ChunkReplicas> chunks) {
    public Entry {
      Check.notNull(status, "status");
      chunks = List.copyOf(Check.notNull(chunks, "chunks"));
    }
  }
}
