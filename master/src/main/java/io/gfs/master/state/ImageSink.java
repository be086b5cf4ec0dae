package io.gfs.master.state;

/**
 * Takes a checkpoint's content one record at a time, in the order a checkpoint holds it [0052-0053]: the handle
 * counter, the directories (parents first, "/" among them), the files, the chunks, the directory policies, then
 * {@link #end}. Issue 6 (restart with a million files): a checkpoint streams into the state through this, with no
 * image of a million records in between. Directories are numbered from 0 in the order given; a file names its
 * directory by that number. A null permission is an older master's node (the parent's owner and group, default
 * mode).
 */
public interface ImageSink {
  void nextHandle(long value);

  void directory(String path, long mtimeMillis, PermissionStatus permission, long accessTimeMillis);

  /** How many files follow: a sizing hint only (the sink must not trust it beyond that). */
  default void expectFiles(int fileCount) {}

  /**
   * A file named name in directory number directoryIndex; handles[0, handleCount) are its chunks in order. The array is
   * the caller's and may be reused once this returns.
   */
  void file(int directoryIndex, String name, int replication, long mtimeMillis, long accessTimeMillis,
      PermissionStatus permission, long[] handles, int handleCount);

  /** A file whose directory the image does not list (an image built by hand), by its full path. */
  void file(String path, int replication, long mtimeMillis, long accessTimeMillis, PermissionStatus permission,
      long[] handles, int handleCount);

  /**
   * lengthBytes: a floor of the chunk's length, 0 when none is known (checkpoints before format 5); lengthLogged: the
   * op log holds it too (see {@link ImageChunkSink#chunk}).
   */
  void chunk(long handle, long version, int lengthBytes, boolean lengthLogged);

  void policy(String path, int replication, long gcRetentionMillis);

  /** Everything was given (and, from a file, verified). */
  void end();
}
