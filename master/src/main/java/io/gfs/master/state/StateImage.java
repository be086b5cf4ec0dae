package io.gfs.master.state;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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

  /**
   * lengthBytes: a floor of the chunk's length (its known length when captured), 0 when none is known; lengthLogged:
   * the op log holds that length too.
   */
  public record Chunk(long handle, long version, int lengthBytes, boolean lengthLogged) {
    public Chunk {
      if (lengthBytes < 0) {
        throw new IllegalArgumentException("chunk " + handle + " length " + lengthBytes);
      }
    }

    public Chunk(long handle, long version) {
      this(handle, version, 0, false);
    }
  }

  public StateImage {
    directories = List.copyOf(directories);
    files = files instanceof CapturedFiles ? files : List.copyOf(files); // captured: already immutable, built later
    chunks = chunks instanceof CapturedChunks ? chunks : List.copyOf(chunks); // captured: immutable columns
    policies = List.copyOf(policies);
  }

  /** Gives this image to the sink in checkpoint order; a file is given by its directory's number when it is listed. */
  public void sendTo(ImageSink sink) {
    sink.nextHandle(nextHandle);
    for (Directory d : directories) {
      sink.directory(d.path(), d.mtimeMillis(), d.permission(), d.accessTimeMillis());
    }
    Map<String, Integer> directoryIndex = directoryIndex();
    for (File f : files) {
      long[] handles = handleArray(f);
      int parent = parentIndex(directoryIndex, f.path());
      if (parent < 0) {
        sink.file(f.path(), f.replication(), f.mtimeMillis(), f.accessTimeMillis(), f.permission(), handles,
            handles.length);
      } else {
        sink.file(parent, f.path().substring(f.path().lastIndexOf('/') + 1), f.replication(), f.mtimeMillis(),
            f.accessTimeMillis(), f.permission(), handles, handles.length);
      }
    }
    chunks.forEach(c -> sink.chunk(c.handle(), c.version(), c.lengthBytes(), c.lengthLogged()));
    policies.forEach(p -> sink.policy(p.path(), p.replication(), p.gcRetentionMillis()));
    sink.end();
  }

  /**
   * Gives the files to a checkpoint writer in order, each by its directory's number when that is listed (else -1 and
   * its full path), the name as UTF-8. A captured state's files come straight from their nodes' arrays, with no String
   * or record per file (issue 6); files given as records are encoded here.
   */
  public <E extends Exception> void sendFilesTo(ImageFileSink<E> sink) throws E {
    if (files instanceof CapturedFiles captured) {
      captured.sendTo(sink);
      return;
    }
    Map<String, Integer> directoryIndex = directoryIndex();
    for (File f : files) {
      long[] handles = handleArray(f);
      int parent = parentIndex(directoryIndex, f.path());
      byte[] name = (parent < 0 ? f.path() : f.path().substring(f.path().lastIndexOf('/') + 1))
          .getBytes(StandardCharsets.UTF_8);
      sink.file(parent, name, 0, name.length, f.replication(), f.mtimeMillis(), f.accessTimeMillis(), f.permission(),
          handles, handles.length);
    }
  }

  /** Gives the chunks to a checkpoint writer in order; a captured state's from its columns, no record per chunk. */
  public <E extends Exception> void sendChunksTo(ImageChunkSink<E> sink) throws E {
    if (chunks instanceof CapturedChunks captured) {
      captured.sendTo(sink);
      return;
    }
    for (Chunk c : chunks) {
      sink.chunk(c.handle(), c.version(), c.lengthBytes(), c.lengthLogged());
    }
  }

  /** Each file's permission in order (null for none), without building a captured file's record. */
  public void forEachFilePermission(Consumer<PermissionStatus> action) {
    if (files instanceof CapturedFiles captured) {
      captured.forEachPermission(action);
    } else {
      files.forEach(f -> action.accept(f.permission()));
    }
  }

  /** Each directory path's number: its first place in the list. */
  private Map<String, Integer> directoryIndex() {
    Map<String, Integer> index = new HashMap<>(directories.size() * 2);
    for (int i = 0; i < directories.size(); i++) {
      index.putIfAbsent(directories.get(i).path(), i);
    }
    return index;
  }

  /** The number of the directory a path is in, or -1 when the image does not list it. */
  private static int parentIndex(Map<String, Integer> directoryIndex, String path) {
    int slash = path.lastIndexOf('/');
    Integer parent = slash < 0 ? null : directoryIndex.get(slash == 0 ? "/" : path.substring(0, slash));
    return parent == null ? -1 : parent;
  }

  private static long[] handleArray(File f) {
    return f.chunkHandles().stream().mapToLong(Long::longValue).toArray();
  }

  /** Collects what a sink is given into an image (a checkpoint read back as a value: tests, tools). */
  public static final class Builder implements ImageSink {
    private long nextHandle;
    private final List<Directory> directories = new ArrayList<>();
    private final List<File> files = new ArrayList<>();
    private final List<Chunk> chunks = new ArrayList<>();
    private final List<DirectoryPolicy> policies = new ArrayList<>();
    private StateImage built;

    @Override
    public void nextHandle(long value) {
      nextHandle = value;
    }

    @Override
    public void directory(String path, long mtimeMillis, PermissionStatus permission, long accessTimeMillis) {
      directories.add(new Directory(path, mtimeMillis, permission, accessTimeMillis));
    }

    @Override
    public void file(int directoryIndex, String name, int replication, long mtimeMillis, long accessTimeMillis,
        PermissionStatus permission, long[] handles, int handleCount) {
      String directory = directories.get(directoryIndex).path();
      file(directory.equals("/") ? "/" + name : directory + "/" + name, replication, mtimeMillis, accessTimeMillis,
          permission, handles, handleCount);
    }

    @Override
    public void file(String path, int replication, long mtimeMillis, long accessTimeMillis,
        PermissionStatus permission, long[] handles, int handleCount) {
      List<Long> list = new ArrayList<>(handleCount);
      for (int i = 0; i < handleCount; i++) {
        list.add(handles[i]);
      }
      files.add(new File(path, replication, mtimeMillis, list, permission, accessTimeMillis));
    }

    @Override
    public void chunk(long handle, long version, int lengthBytes, boolean lengthLogged) {
      chunks.add(new Chunk(handle, version, lengthBytes, lengthLogged));
    }

    @Override
    public void policy(String path, int replication, long gcRetentionMillis) {
      policies.add(new DirectoryPolicy(path, replication, gcRetentionMillis));
    }

    @Override
    public void end() {
      built = new StateImage(nextHandle, directories, files, chunks, policies);
    }

    /** The image, once {@link #end} was called. */
    public StateImage image() {
      if (built == null) {
        throw new IllegalStateException("the image is not complete");
      }
      return built;
    }
  }
}
