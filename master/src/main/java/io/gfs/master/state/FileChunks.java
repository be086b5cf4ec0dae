package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.List;

/** A file and a run of its chunks: the answer to a batched location lookup [0088, 0091]. */
public record FileChunks(FileStatus file, List<ChunkView> chunks) {
  public FileChunks {
    Check.notNull(file, "file");
    chunks = List.copyOf(chunks);
  }
}
