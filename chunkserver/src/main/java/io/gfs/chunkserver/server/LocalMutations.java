package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.state.PushedData;
import io.gfs.chunkserver.store.ChecksumMismatchException;
import io.gfs.chunkserver.store.ChunkStore;
import io.gfs.chunkserver.store.WriteBytes;
import io.gfs.common.Check;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * Writes data (the buffer's remaining bytes, on its array: a record read in place, {@link InlineRecords#of}) at
   * offsetBytes (a gap before it is zero-filled, old bytes there overwritten).
   */
  void write(long handle, long version, long serial, long offsetBytes, ByteBuffer data, boolean sync)
      throws IOException {
    write(handle, version, serial, offsetBytes, WriteBytes.of(data.array(), data.arrayOffset() + data.position(),
        data.remaining()), sync);
  }

  /**
   * Writes records that lie one right after another from offsetBytes, numbered firstSerial onwards, as one write (one
   * opening of the chunk's files and one update of its checksums and length), then records each number as applied,
   * in order. If the write fails none is. recordCrcs: each record's CRC32C as checked against its bytes on arrival
   * ({@link InlineRecords#checked}), so a chunk block that is exactly one record takes it instead of a second pass; null
   * when not all are known.
   */
  void writeRecords(long handle, long version, long firstSerial, long offsetBytes, List<ByteBuffer> records,
      int[] recordCrcs, boolean sync) throws IOException {
    Check.argument(!records.isEmpty(), "chunk %s: no records to write", handle);
    List<ByteBuffer> pieces = new ArrayList<>(records.size());
    for (ByteBuffer record : records) {
      pieces.add(record.duplicate());
    }
    try {
      store.write(handle, offsetBytes, recordCrcs == null ? WriteBytes.of(pieces)
          : WriteBytes.ofRecords(pieces, recordCrcs), sync);
    } catch (ChecksumMismatchException e) {
      state.markCorrupt(handle);
      throw e;
    }
    long nowMillis = clock.getAsLong();
    for (int i = 0; i < records.size(); i++) {
      state.applied(handle, version, firstSerial + i, nowMillis);
    }
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
