package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.state.CopyAction;
import io.gfs.chunkserver.state.Refusal;
import io.gfs.chunkserver.state.RefusalCode;
import io.gfs.chunkserver.state.Throttle;
import io.gfs.chunkserver.store.ChecksumMismatchException;
import io.gfs.chunkserver.store.ChunkBuilder;
import io.gfs.chunkserver.store.ChunkCrc;
import io.gfs.chunkserver.store.ChunkStore;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ChunkChecksum;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ReadResult;
import io.gfs.thrift.gen.ServerAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * New replicas made from existing ones: a clone pulled from another chunkserver when the master re-replicates a chunk
 * [0069-0072], and a local copy when a snapshot's shared chunk is first written [0116]. Either way the bytes go into a
 * {@link ChunkBuilder} out of sight, are checked end to end against the source's whole-chunk CRC, forced to disk, and
 * only then made visible under the chunk's mutation lock. Clones are throttled per clone and bounded in number (BUSY
 * beyond), so cloning never crowds out client traffic [0072].
 */
final class ChunkCopies {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkCopies.class);
  static final int PIECE_BYTES = GfsConfigKeys.DATA_PIECE_BYTES_MAX;

  private final ChunkServerState state;
  private final ChunkStore store;
  private final ChunkLocks locks;
  private final RpcClients rpc;
  private final LongSupplier clock;
  private final Sleeper sleeper;
  private final Supplier<HostPort> self;
  private final long cloneBytesPerSecond;
  private final Semaphore cloneSlots;
  /** Handles with a copy under way here; guarded by itself. */
  private final Set<Long> copying = new HashSet<>();

  ChunkCopies(ChunkServerState state, ChunkStore store, ChunkLocks locks, RpcClients rpc, LongSupplier clock,
      Sleeper sleeper, Supplier<HostPort> self, long cloneBytesPerSecond, int clonesMax) {
    this.state = state;
    this.store = store;
    this.locks = locks;
    this.rpc = rpc;
    this.clock = clock;
    this.sleeper = sleeper;
    this.self = self;
    this.cloneBytesPerSecond = cloneBytesPerSecond;
    this.cloneSlots = new Semaphore(clonesMax);
  }

  /** Clones {@code handle} at {@code version} from {@code source}; returns once the replica is here and durable. */
  void copyFrom(long handle, long version, ServerAddress source, byte[] accessToken) throws GfsException, Refusal, IOException {
    Validate.version(handle, version);
    HostPort from = sourceAddress(handle, source);
    if (state.checkCopyTarget(handle, version) == CopyAction.ALREADY_HERE) {
      return;
    }
    if (!cloneSlots.tryAcquire()) {
      throw new Refusal(RefusalCode.BUSY, "chunk %s: this chunkserver already runs its maximum of clones", handle);
    }
    try {
      claim(handle);
      try {
        clone(handle, version, from, accessToken);
      } finally {
        unclaim(handle);
      }
    } finally {
      cloneSlots.release();
    }
  }

  private void clone(long handle, long version, HostPort source, byte[] accessToken) throws GfsException, Refusal, IOException {
    long startMillis = clock.getAsLong();
    ChunkChecksum expected = fromSource(source, handle, "asking for the checksum of",
        c -> c.getChunkChecksum(handle, version, wrap(accessToken)));
    Throttle throttle = new Throttle(cloneBytesPerSecond);
    try (ChunkBuilder builder = store.build(handle, version)) {
      while (builder.lengthBytes() < expected.getLengthBytes()) {
        long offset = builder.lengthBytes();
        int want = (int) Math.min(PIECE_BYTES, expected.getLengthBytes() - offset);
        pause(throttle.acquire(want, clock.getAsLong()));
        // The binary field is a view of the reply's own frame (libthrift allocates one per frame): no copy needed.
        ReadResult piece = fromSource(source, handle, "reading", c -> c.read(handle, version, offset, want,
            wrap(accessToken)));
        ByteBuffer data = piece.bufferForData();
        if (piece.getChunkLengthBytes() != expected.getLengthBytes() || data.remaining() == 0) {
          throw new Refusal(RefusalCode.BUSY, "chunk %s changed at %s during the clone (%s bytes, then %s): the "
              + "source is being written; try later", handle, source, expected.getLengthBytes(),
              piece.getChunkLengthBytes());
        }
        builder.append(data.array(), data.arrayOffset() + data.position(), data.remaining());
      }
      checkWhole(handle, source.toString(), builder.chunkCrc(),
          new ChunkCrc(expected.getLengthBytes(), expected.getCrc32c()));
      commit(handle, version, builder);
    }
    LOG.info("cloned chunk {} version {} ({} bytes) from {} in {} ms", handle, version, expected.getLengthBytes(),
        source, clock.getAsLong() - startMillis);
  }

  /**
   * Copies this server's replica of {@code sourceHandle} into a new chunk {@code targetHandle} at {@code version},
   * without the network [0116]. The source is held still (its mutation lock) for the copy.
   */
  @SuppressWarnings("try") // the guards only hold the chunk locks
  void copyLocal(long sourceHandle, long targetHandle, long version) throws GfsException, Refusal, IOException {
    Validate.version(targetHandle, version);
    if (sourceHandle == targetHandle) {
      throw Errors.invalid("chunk %s: a local copy onto itself", sourceHandle);
    }
    claim(targetHandle);
    try (ChunkLocks.Guard first = locks.lock(Math.min(sourceHandle, targetHandle));
        ChunkLocks.Guard second = locks.lock(Math.max(sourceHandle, targetHandle))) {
      if (state.checkCopyTarget(targetHandle, version) == CopyAction.ALREADY_HERE) {
        return;
      }
      state.checkRead(sourceHandle, 1);
      if (state.isCorrupt(sourceHandle)) {
        throw new ChecksumMismatchException(sourceHandle, "chunk " + sourceHandle + " is corrupt here");
      }
      try (ChunkBuilder builder = store.build(targetHandle, version)) {
        ChunkCrc source = store.chunkCrc(sourceHandle);
        while (builder.lengthBytes() < source.lengthBytes()) {
          int want = (int) Math.min(PIECE_BYTES, source.lengthBytes() - builder.lengthBytes());
          byte[] piece = readVerified(sourceHandle, builder.lengthBytes(), want);
          builder.append(piece, 0, piece.length);
        }
        checkWhole(targetHandle, "chunk " + sourceHandle, builder.chunkCrc(), source);
        builder.commit();
        state.copied(targetHandle, version, clock.getAsLong());
      }
    } finally {
      unclaim(targetHandle);
    }
    LOG.info("copied chunk {} locally into chunk {} version {}", sourceHandle, targetHandle, version);
  }

  private byte[] readVerified(long handle, long offsetBytes, int lengthBytes) throws IOException {
    try {
      return store.read(handle, offsetBytes, lengthBytes);
    } catch (ChecksumMismatchException e) {
      state.markCorrupt(handle); // found like any read finds it [0127]
      throw e;
    }
  }

  /** Makes a complete, verified copy visible, unless a good replica at that version turned up meanwhile. */
  @SuppressWarnings("try") // the guard only holds the chunk lock
  private void commit(long handle, long version, ChunkBuilder builder) throws GfsException, Refusal, IOException {
    try (ChunkLocks.Guard guard = locks.lock(handle)) {
      if (state.checkCopyTarget(handle, version) == CopyAction.ALREADY_HERE) {
        return;
      }
      builder.commit();
      state.copied(handle, version, clock.getAsLong());
    }
  }

  /** The copy's CRC, recomputed here block by block, must equal the source's: nothing was lost or changed. */
  private static void checkWhole(long handle, String source, ChunkCrc copy, ChunkCrc expected)
      throws ChecksumMismatchException {
    if (!copy.equals(expected)) {
      throw new ChecksumMismatchException(handle, String.format("copy of chunk %s from %s: %s bytes with CRC32C "
          + "%08x, the source has %s bytes with %08x", handle, source, copy.lengthBytes(), copy.crc32c(),
          expected.lengthBytes(), expected.crc32c()));
    }
  }

  private HostPort sourceAddress(long handle, ServerAddress source) throws GfsException {
    if (source == null || source.getHost() == null || source.getHost().isBlank() || source.getPort() <= 0
        || source.getPort() > 65535) {
      throw Errors.invalid("chunk %s: bad clone source %s", handle, source);
    }
    HostPort address = RpcErrors.fromThrift(source);
    if (address.equals(self.get())) {
      throw Errors.invalid("chunk %s: a clone from this chunkserver itself", handle);
    }
    return address;
  }

  private <R> R fromSource(HostPort source, long handle, String what,
      RpcClients.Call<io.gfs.thrift.gen.ChunkServerService.Client, R> call) throws GfsException {
    try {
      return rpc.chunkServer(source, call);
    } catch (GfsException e) {
      throw Errors.from(source.toString(), what + " chunk " + handle + " for a clone", e);
    } catch (TException | RuntimeException e) {
      rpc.forget(source);
      throw Errors.unreachable(source.toString(), what + " chunk " + handle + " for a clone", e);
    }
  }

  private void pause(long millis) throws GfsException {
    if (millis <= 0) {
      return;
    }
    try {
      sleeper.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RpcErrors.error(ErrorCode.INTERNAL, "interrupted: the chunkserver is stopping");
    }
  }

  private void claim(long handle) throws Refusal {
    synchronized (copying) {
      if (!copying.add(handle)) {
        throw new Refusal(RefusalCode.BUSY, "chunk %s is being copied here already", handle);
      }
    }
  }

  private void unclaim(long handle) {
    synchronized (copying) {
      copying.remove(handle);
    }
  }

  /** The master's token for the clone, which the source checks like a reader's (issue 7). */
  private static java.nio.ByteBuffer wrap(byte[] accessToken) {
    return accessToken == null ? null : java.nio.ByteBuffer.wrap(accessToken);
  }
}
