package io.gfs.master.state;

/**
 * Takes an image's chunks in handle order as a checkpoint writer encodes them (issue 6): three numbers each, no record
 * per chunk. E is what the sink may throw (a writer's IOException), so the state needs no I/O type.
 */
@FunctionalInterface
public interface ImageChunkSink<E extends Exception> {
  /**
   * lengthBytes: the chunk's known length, a floor of its real one (0: none known); lengthLogged: the op log holds it
   * too (else the master that restores this image logs it again, so that the log alone gives it to standbys).
   */
  void chunk(long handle, long version, int lengthBytes, boolean lengthLogged) throws E;
}
