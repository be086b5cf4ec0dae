package io.gfs.chunkserver.store;

import java.io.IOException;

/**
 * A replica being built from bytes that arrive in order: a clone pulled from another chunkserver [0072] or a local
 * copy for snapshot copy-on-write [0116]. Its block CRCs are computed as the bytes arrive. Nothing of it is visible
 * (to reads, reports or a restart) until {@link #commit}, which makes it durable first; closing an uncommitted builder
 * discards it. One thread at a time.
 */
public interface ChunkBuilder extends AutoCloseable {
  /** Appends {@code data[offset, +length)} at the end. */
  void append(byte[] data, int offset, int length) throws IOException;

  long lengthBytes();

  /** Length and whole CRC32C of the bytes appended so far, composed from their block CRCs. */
  ChunkCrc chunkCrc();

  /**
   * Forces bytes and checksums to disk, then makes the replica visible at its version, replacing any replica of the
   * same handle the store held. The caller holds the chunk's mutation lock.
   */
  void commit() throws IOException;

  /** Discards the replica unless it was committed. */
  @Override
  void close();
}
