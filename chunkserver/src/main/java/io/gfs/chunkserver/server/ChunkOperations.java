package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.AssignAction;
import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.state.Refusal;
import io.gfs.chunkserver.store.ChecksumMismatchException;
import io.gfs.chunkserver.store.ChunkCrc;
import io.gfs.chunkserver.store.ChunkStore;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.rpc.DirectBinaries;
import io.gfs.common.rpc.ThriftBinary;
import io.gfs.thrift.gen.ChunkChecksum;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ReadResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads, version assignments from the master, and deletes: what is not a mutation ordered by a primary. */
final class ChunkOperations {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkOperations.class);
  /** The longest lease a master may grant; a bound on garbage from the wire, far above any sane setting. */
  static final long LEASE_DURATION_MILLIS_MAX = TimeUnit.DAYS.toMillis(1);

  private final ChunkServerState state;
  private final ChunkStore store;
  private final ChunkLocks locks;
  private final LongSupplier clock;

  ChunkOperations(ChunkServerState state, ChunkStore store, ChunkLocks locks, LongSupplier clock) {
    this.state = state;
    this.store = store;
    this.locks = locks;
    this.clock = clock;
  }

  /** Verified bytes of a replica [0127]; a checksum failure marks the replica corrupt for the next heartbeat. */
  ReadResult read(long handle, long version, long offsetBytes, int lengthBytes)
      throws GfsException, Refusal, IOException {
    if (offsetBytes < 0 || lengthBytes < 0 || lengthBytes > GfsConfigKeys.DATA_PIECE_BYTES_MAX) {
      throw Errors.invalid("chunk %s: read at %s of %s bytes; need offset >= 0 and length in [0, %s]", handle,
          offsetBytes, lengthBytes, GfsConfigKeys.DATA_PIECE_BYTES_MAX);
    }
    state.checkRead(handle, version);
    ByteBuffer data;
    try {
      // Under the RPC server the piece is read into a direct buffer lent to this call, the one returned last (warm
      // in the caches), and goes to a plain-TCP socket from there (io.gfs.common.rpc.ReplyBuffer splices it); the
      // server takes the buffer back once the reply is written. Other callers get heap bytes (libthrift's protocols).
      data = DirectBinaries.acceptedOnThisThread()
          ? store.read(handle, offsetBytes, lengthBytes, DirectBinaries.lend())
          : store.read(handle, offsetBytes, lengthBytes, READ_SCRATCH.get());
    } catch (ChecksumMismatchException e) {
      LOG.warn("read of chunk {} failed verification: {}", handle, e.getMessage());
      state.markCorrupt(handle);
      throw e;
    }
    // The generated setter would copy the (up to 1 MiB) bytes once more; the reply only reads them, and is written
    // out before this thread reads again (see READ_SCRATCH).
    ReadResult result = new ReadResult().setChunkLengthBytes(store.lengthBytes(handle));
    if (!ThriftBinary.set(result, "data", data)) {
      byte[] copy = new byte[data.remaining()];
      data.duplicate().get(copy);
      result.setData(copy);
    }
    return result;
  }

  /**
   * Each RPC worker's read buffer: whole checksum blocks of the largest read (a piece not aligned to blocks touches
   * one more block at each end). A reply is serialised by the worker that made it before that worker takes another
   * call, so the next read on the thread may overwrite it; a fresh zeroed 1 MiB array per read was a pass over a
   * megabyte and garbage for nothing. At most one per worker thread (gfs.rpc.worker.threads).
   */
  private static final ThreadLocal<byte[]> READ_SCRATCH = ThreadLocal.withInitial(
      () -> new byte[(int) (GfsConfigKeys.DATA_PIECE_BYTES_MAX + 2 * GfsConfigKeys.CHECKSUM_BLOCK_BYTES)]);

  /**
   * The replica's length and whole CRC32C, composed from its block CRCs without reading data. Refused like a read
   * (unknown, older than {@code version}) and for a replica already found corrupt, whose CRCs no longer vouch for its
   * bytes: the caller asks another replica.
   */
  ChunkChecksum checksum(long handle, long version) throws GfsException, Refusal, IOException {
    Validate.version(handle, version);
    state.checkRead(handle, version);
    if (state.isCorrupt(handle)) {
      throw new ChecksumMismatchException(handle, "chunk " + handle + " failed verification on this chunkserver");
    }
    ChunkCrc crc = store.chunkCrc(handle);
    return new ChunkChecksum(crc.lengthBytes(), crc.crc32c());
  }

  /** The master's new version for a chunk, persisted before the reply; with a lease, this replica is primary. */
  @SuppressWarnings("try") // the guard only holds the chunk lock
  void assignVersion(long handle, long version, boolean create, long leaseDurationMillis)
      throws GfsException, Refusal, IOException {
    Validate.version(handle, version);
    if (leaseDurationMillis < 0 || leaseDurationMillis > LEASE_DURATION_MILLIS_MAX) {
      throw Errors.invalid("chunk %s: lease duration %s ms outside [0, %s]", handle, leaseDurationMillis,
          LEASE_DURATION_MILLIS_MAX);
    }
    try (ChunkLocks.Guard guard = locks.lock(handle)) {
      AssignAction action = state.checkAssignVersion(handle, version, create);
      if (action == AssignAction.CREATE) {
        store.create(handle, version);
      } else if (action == AssignAction.SET_VERSION) {
        store.setVersion(handle, version);
      }
      state.versionAssigned(handle, version, leaseDurationMillis, clock.getAsLong());
    }
  }

  /** Deletes a replica the master no longer wants [0076]. */
  @SuppressWarnings("try") // the guard only holds the chunk lock
  void delete(long handle) throws GfsException, IOException {
    try (ChunkLocks.Guard guard = locks.lock(handle)) {
      store.delete(handle);
      state.removed(handle);
    }
  }
}
