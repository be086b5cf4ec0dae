package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.state.PushedData;
import io.gfs.chunkserver.store.ChecksumMismatchException;
import io.gfs.chunkserver.store.ChunkStore;
import io.gfs.chunkserver.store.WriteBytes;
import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * Applies one numbered mutation to this replica's bytes and records its serial number as applied; the caller holds the
 * chunk's lock. Shared by the primary (writes, record append groups) and the secondaries.
 */
final class LocalMutations {
  private final ChunkServerState state;
  private final ChunkStore store;
  private final LongSupplier clock;

  LocalMutations(ChunkServerState state, ChunkStore store, LongSupplier clock) {
    this.state = state;
    this.store = store;
    this.clock = clock;
  }

  /** Writes data at offsetBytes (a gap before it is zero-filled, old bytes there overwritten). */
  void write(long handle, long version, long serial, long offsetBytes, byte[] data, boolean sync) throws IOException {
    write(handle, version, serial, offsetBytes, WriteBytes.of(data, 0, data.length), sync);
  }

  /** The same for pushed data: its pieces as they arrived and the block CRCs computed then. */
  void write(long handle, long version, long serial, long offsetBytes, PushedData data, boolean sync)
      throws IOException {
    write(handle, version, serial, offsetBytes, WriteBytes.of(data.pieces(), data.blockCrcs()), sync);
  }

  private void write(long handle, long version, long serial, long offsetBytes, WriteBytes data, boolean sync)
      throws IOException {
    try {
      store.write(handle, offsetBytes, data, sync);
    } catch (ChecksumMismatchException e) {
      state.markCorrupt(handle);
      throw e;
    }
    state.applied(handle, version, serial, clock.getAsLong());
  }

  /**
   * Records {@code serial} as used though this replica failed to apply it (its chunk is left corrupt or unchanged):
   * the secondaries were sent it, so it is never numbered to another mutation.
   */
  void consumeSerial(long handle, long version, long serial) {
    if (state.nextSerial(handle) == serial) {
      state.applied(handle, version, serial, clock.getAsLong());
    }
  }

  /** Pads the chunk with zeros to lengthBytes [0107]. */
  void pad(long handle, long version, long serial, long lengthBytes, boolean sync) throws IOException {
    store.padTo(handle, lengthBytes, sync);
    state.applied(handle, version, serial, clock.getAsLong());
  }
}
