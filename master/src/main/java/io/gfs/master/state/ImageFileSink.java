package io.gfs.master.state;

/**
 * Takes an image's files in order as a checkpoint writer encodes them (issue 6, a checkpoint while serving): the name
 * already as UTF-8 bytes, which for a captured state are the bytes the file's node holds, so no String is made per file.
 * The arrays are the caller's, valid only during the call. E is what the sink may throw (a writer's IOException), so
 * the state needs no I/O type.
 */
@FunctionalInterface
public interface ImageFileSink<E extends Exception> {
  /**
   * One file. directoryIndex: its directory's place in {@link StateImage#directories()}, or -1 when the name is the
   * file's full path (a file whose directory the image does not list). name[nameOffset, +nameLength): exactly the bytes
   * {@code String.getBytes(UTF_8)} gives for it (so a lone surrogate is '?', as checkpoints have always held it).
   * handles[0, handleCount): its chunks in order.
   */
  void file(int directoryIndex, byte[] name, int nameOffset, int nameLength, int replication, long mtimeMillis,
      long accessTimeMillis, PermissionStatus permission, long[] handles, int handleCount) throws E;
}
