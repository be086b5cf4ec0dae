package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A file: its target replication and its chunk handles in order. The handles are a primitive array replaced whole on
 * every change (copy-on-write): chunks are added rarely (one per chunk size of data) while listings of the parent
 * directory read it without the file's own lock, and a long[] costs 8 bytes a chunk where a list of boxed handles cost
 * about 40 (issue 6's heap goal [0044-0045]). An empty file shares one empty array.
 */
final class FileNode extends Node {
  private static final long[] NO_CHUNKS = new long[0];
  /** The replication target; setReplication changes it (re-replication toward it is background work). */
  volatile int replication;
  private volatile long[] chunkHandles = NO_CHUNKS;

  FileNode(int replication, long mtimeMillis, PermissionStatus permission) {
    super(mtimeMillis, mtimeMillis, permission);
    this.replication = replication;
  }

  /** The handles as they are now: an immutable view of one array, never of half a change. */
  List<Long> chunkHandles() {
    return handleView(chunkHandles);
  }

  /**
   * The current array itself, for a checkpoint's capture: safe to keep because every change replaces the array and
   * never writes into it. Callers must not modify it.
   */
  long[] chunkHandleArray() {
    return chunkHandles;
  }

  int chunkCount() {
    return chunkHandles.length;
  }

  long chunkHandle(int chunkIndex) {
    return chunkHandles[chunkIndex];
  }

  /** Applies ADD_CHUNK: the handle becomes the last chunk. */
  void addChunk(long handle) {
    long[] current = chunkHandles;
    long[] next = Arrays.copyOf(current, current.length + 1);
    next[current.length] = handle;
    chunkHandles = next;
  }

  /** Applies COPY_ON_WRITE: the chunk at the index is replaced by its private copy. */
  void replaceChunk(int chunkIndex, long handle) {
    long[] next = chunkHandles.clone();
    next[chunkIndex] = handle;
    chunkHandles = next;
  }

  /** Applies ABANDON_CHUNK: the last chunk (never held by any chunkserver) is dropped. */
  void removeLastChunk() {
    long[] current = chunkHandles;
    Check.state(current.length > 0, "no chunk to remove");
    chunkHandles = current.length == 1 ? NO_CHUNKS : Arrays.copyOf(current, current.length - 1);
  }

  /** Concat and checkpoint restore: the handles appended, in order, in one replacement. */
  void appendChunks(List<Long> handles) {
    long[] current = chunkHandles;
    long[] next = Arrays.copyOf(current, current.length + handles.size());
    for (int i = 0; i < handles.size(); i++) {
      next[current.length + i] = Check.notNull(handles.get(i), "chunk handle");
    }
    chunkHandles = next;
  }

  /** An unmodifiable List over one captured array (boxing per get, as callers iterate a few handles at most). */
  /** A read-only List view of a copy-on-write handle array (never mutated once published). */
  static List<Long> handleView(long[] handles) {
    return new HandleView(handles);
  }

  private static final class HandleView extends AbstractList<Long> implements RandomAccess {
    private final long[] handles;

    HandleView(long[] handles) {
      this.handles = handles;
    }

    @Override
    public Long get(int index) {
      return handles[index];
    }

    @Override
    public int size() {
      return handles.length;
    }
  }
}
