package io.gfs.master.state;

import java.util.List;

/**
 * Everything the log makes durable, as one value: the checkpoint's content [0052-0053]. Directories come parents
 * first; chunk reference counts are not stored (they follow from the files).
 */
public record StateImage(long nextHandle, List<Directory> directories, List<File> files, List<Chunk> chunks) {
  public record Directory(String path, long mtimeMillis) {}

  public record File(String path, int replication, long mtimeMillis, List<Long> chunkHandles) {
    public File {
      chunkHandles = List.copyOf(chunkHandles);
    }
  }

  public record Chunk(long handle, long version) {}

  public StateImage {
    directories = List.copyOf(directories);
    files = List.copyOf(files);
    chunks = List.copyOf(chunks);
  }
}
