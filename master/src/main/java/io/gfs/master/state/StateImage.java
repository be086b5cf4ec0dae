package io.gfs.master.state;

import java.util.List;

/**
 * Everything the log makes durable, as one value: the checkpoint's content [0052-0053]. Directories come parents
 * first (the root, "/", among them); chunk reference counts are not stored (they follow from the files). A null
 * permission (an image from a checkpoint written before permissions existed) means the parent's owner and group with
 * the default permission.
 */
public record StateImage(long nextHandle, List<Directory> directories, List<File> files, List<Chunk> chunks,
    List<DirectoryPolicy> policies) {
  /** No directory policies (images of checkpoints before format 3). */
  public StateImage(long nextHandle, List<Directory> directories, List<File> files, List<Chunk> chunks) {
    this(nextHandle, directories, files, chunks, List.of());
  }

  /** A directory that sets a policy (see {@link Policy}; -1 inherits). */
  public record DirectoryPolicy(String path, int replication, long gcRetentionMillis) {}

  public record Directory(String path, long mtimeMillis, PermissionStatus permission, long accessTimeMillis) {
    public Directory(String path, long mtimeMillis) {
      this(path, mtimeMillis, null, 0);
    }
  }

  public record File(String path, int replication, long mtimeMillis, List<Long> chunkHandles,
      PermissionStatus permission, long accessTimeMillis) {
    public File {
      chunkHandles = List.copyOf(chunkHandles);
    }

    public File(String path, int replication, long mtimeMillis, List<Long> chunkHandles) {
      this(path, replication, mtimeMillis, chunkHandles, null, mtimeMillis);
    }
  }

  public record Chunk(long handle, long version) {}

  public StateImage {
    directories = List.copyOf(directories);
    files = files instanceof CapturedFiles ? files : List.copyOf(files); // captured: already immutable, built later
    chunks = List.copyOf(chunks);
    policies = List.copyOf(policies);
  }
}
