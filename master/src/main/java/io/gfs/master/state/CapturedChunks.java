package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The chunks of a checkpoint image captured as columns (handle, version, known length and whether the log holds it),
 * in handle order (issue 6: a checkpoint
 * while serving). The capture holds the journal's barrier and the coordinator's monitor, and a million chunk records
 * were a third of it; {@link #sendTo} gives the writer the numbers, {@link #get} builds a record only for other readers
 * (tests, tools). Unmodifiable; the arrays are never written after construction.
 */
final class CapturedChunks extends AbstractList<StateImage.Chunk> implements RandomAccess {
  private final long[] handles;
  private final long[] versions;
  /** Known lengths, with {@link #LOGGED} set where the log holds the length too. */
  private final int[] lengths;
  static final int LOGGED = Integer.MIN_VALUE;

  /** Takes the arrays (not copied): the caller fills them and never touches them again. */
  CapturedChunks(long[] handles, long[] versions, int[] lengths) {
    Check.argument(handles.length == versions.length && handles.length == lengths.length,
        "%s handles, %s versions, %s lengths", handles.length, versions.length, lengths.length);
    this.handles = handles;
    this.versions = versions;
    this.lengths = lengths;
  }

  <E extends Exception> void sendTo(ImageChunkSink<E> sink) throws E {
    for (int i = 0; i < handles.length; i++) {
      sink.chunk(handles[i], versions[i], lengths[i] & ~LOGGED, (lengths[i] & LOGGED) != 0);
    }
  }

  @Override
  public StateImage.Chunk get(int index) {
    return new StateImage.Chunk(handles[index], versions[index], lengths[index] & ~LOGGED,
        (lengths[index] & LOGGED) != 0);
  }

  @Override
  public int size() {
    return handles.length;
  }
}
