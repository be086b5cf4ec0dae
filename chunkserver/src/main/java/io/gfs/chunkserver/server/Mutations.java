package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.state.PushBuffer;
import io.gfs.chunkserver.state.RecordAppendDecision;
import io.gfs.chunkserver.state.Refusal;
import io.gfs.chunkserver.state.RefusalCode;
import io.gfs.chunkserver.state.SerialCheck;
import io.gfs.chunkserver.store.ChecksumMismatchException;
import io.gfs.chunkserver.store.ChunkStore;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.Mutation;
import io.gfs.thrift.gen.MutationKind;
import io.gfs.thrift.gen.RecordAppendRequest;
import io.gfs.thrift.gen.ServerAddress;
import io.gfs.thrift.gen.WriteRequest;
import java.io.IOException;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Writes and record appends as the primary orders them, and mutations as a secondary applies them [0101-0111]. The
 * primary holds the chunk's lock from numbering a mutation until every secondary answered, which keeps the order
 * simple and certain: secondaries see serial numbers in order, one at a time per chunk.
 */
final class Mutations {
  private final ChunkServerState state;
  private final ChunkStore store;
  private final PushBuffer buffer;
  private final ChunkLocks locks;
  private final SecondaryFanout fanout;
  private final LongSupplier clock;
  private final Supplier<HostPort> self;

  Mutations(ChunkServerState state, ChunkStore store, PushBuffer buffer, ChunkLocks locks, SecondaryFanout fanout,
      LongSupplier clock, Supplier<HostPort> self) {
    this.state = state;
    this.store = store;
    this.buffer = buffer;
    this.locks = locks;
    this.fanout = fanout;
    this.clock = clock;
    this.self = self;
  }

  /** The primary's write [0101-0103]. */
  @SuppressWarnings("try") // the guard only holds the chunk lock
  void write(WriteRequest request) throws GfsException, Refusal, IOException {
    long handle = request.getHandle();
    Validate.version(handle, request.getVersion());
    Validate.dataLength(handle, request.getLengthBytes());
    Validate.range(handle, request.getOffsetBytes(), request.getLengthBytes());
    List<ServerAddress> secondaries = secondaries(handle, request.getSecondaries());
    state.checkPrimary(handle, request.getVersion(), clock.getAsLong());
    byte[] data = buffer.take(request.getDataId(), request.getLengthBytes(), clock.getAsLong());
    try (ChunkLocks.Guard guard = locks.lock(handle)) {
      state.checkPrimary(handle, request.getVersion(), clock.getAsLong()); // the lease may have run out meanwhile
      long serial = state.nextSerial(handle);
      applyLocally(handle, request.getVersion(), serial, request.getOffsetBytes(), data, request.isSync());
      state.markMutated(handle);
      buffer.release(request.getDataId());
      fanout.apply(mutation(handle, request.getVersion(), serial, MutationKind.WRITE, request.getOffsetBytes(),
          request.getDataId(), request.getLengthBytes(), request.isSync())
          .setAccessToken(request.bufferForAccessToken()), secondaries); // secondaries check the client's token too
    }
  }

  /** The primary's record append: returns the offset it chose, or CHUNK_FULL after padding [0104-0108]. */
  @SuppressWarnings("try") // the guard only holds the chunk lock
  long recordAppend(RecordAppendRequest request) throws GfsException, Refusal, IOException {
    long handle = request.getHandle();
    Validate.version(handle, request.getVersion());
    Validate.dataLength(handle, request.getLengthBytes());
    long chunkSizeBytes = request.getChunkSizeBytes();
    if (chunkSizeBytes < GfsConfigKeys.CHECKSUM_BLOCK_BYTES || chunkSizeBytes > GfsConfigKeys.CHUNK_SIZE_BYTES_MAX) {
      throw Errors.invalid("chunk %s: chunk size %s outside [%s, %s]", handle, chunkSizeBytes,
          GfsConfigKeys.CHECKSUM_BLOCK_BYTES, GfsConfigKeys.CHUNK_SIZE_BYTES_MAX);
    }
    List<ServerAddress> secondaries = secondaries(handle, request.getSecondaries());
    state.checkPrimary(handle, request.getVersion(), clock.getAsLong());
    if (RecordAppendDecision.decide(0, request.getLengthBytes(), chunkSizeBytes).kind()
        == RecordAppendDecision.Kind.TOO_LARGE) {
      throw new Refusal(RefusalCode.RECORD_TOO_LARGE, "a record of %s bytes is over a quarter of the %s-byte chunk",
          request.getLengthBytes(), chunkSizeBytes);
    }
    byte[] data = buffer.take(request.getDataId(), request.getLengthBytes(), clock.getAsLong());
    try (ChunkLocks.Guard guard = locks.lock(handle)) {
      state.checkPrimary(handle, request.getVersion(), clock.getAsLong());
      RecordAppendDecision decision =
          RecordAppendDecision.decide(store.lengthBytes(handle), request.getLengthBytes(), chunkSizeBytes);
      long serial = state.nextSerial(handle);
      if (decision.kind() == RecordAppendDecision.Kind.PAD) {
        padLocally(handle, request.getVersion(), serial, decision.offsetBytes(), request.isSync());
        state.markMutated(handle);
        buffer.release(request.getDataId()); // the client pushes the record again for the next chunk
        fanout.apply(mutation(handle, request.getVersion(), serial, MutationKind.PAD, decision.offsetBytes(),
            request.getDataId(), 0, request.isSync()).setAccessToken(request.bufferForAccessToken()), secondaries);
        throw new Refusal(RefusalCode.CHUNK_FULL, "chunk %s has no room for %s more bytes; padded to %s, retry on "
            + "the next chunk", handle, request.getLengthBytes(), decision.offsetBytes());
      }
      long offsetBytes = decision.offsetBytes();
      applyLocally(handle, request.getVersion(), serial, offsetBytes, data, request.isSync());
      state.markMutated(handle);
      buffer.release(request.getDataId());
      fanout.apply(mutation(handle, request.getVersion(), serial, MutationKind.RECORD_APPEND, offsetBytes,
          request.getDataId(), request.getLengthBytes(), request.isSync())
          .setAccessToken(request.bufferForAccessToken()), secondaries);
      return offsetBytes;
    }
  }

  /** A secondary applies what the primary ordered, once, in serial order [0102, 0108]. */
  @SuppressWarnings("try") // the guard only holds the chunk lock
  void applyMutation(Mutation mutation) throws GfsException, Refusal, IOException {
    long handle = mutation.getHandle();
    Validate.version(handle, mutation.getVersion());
    MutationKind kind = Validate.present(mutation.getKind(), "mutation kind");
    Validate.range(handle, mutation.getOffsetBytes(), mutation.getLengthBytes());
    if (kind != MutationKind.PAD) {
      Validate.dataLength(handle, mutation.getLengthBytes());
    }
    try (ChunkLocks.Guard guard = locks.lock(handle)) {
      if (state.checkSecondary(handle, mutation.getVersion(), mutation.getSerialNumber())
          == SerialCheck.ALREADY_APPLIED) {
        buffer.release(mutation.getDataId());
        return;
      }
      if (kind == MutationKind.PAD) {
        padLocally(handle, mutation.getVersion(), mutation.getSerialNumber(), mutation.getOffsetBytes(),
            mutation.isSync());
        return;
      }
      byte[] data = buffer.take(mutation.getDataId(), mutation.getLengthBytes(), clock.getAsLong());
      // A record append lands at the primary's offset whatever is here: a gap is zero-filled, old bytes overwritten.
      applyLocally(handle, mutation.getVersion(), mutation.getSerialNumber(), mutation.getOffsetBytes(), data,
          mutation.isSync());
      buffer.release(mutation.getDataId());
    }
  }

  /**
   * The secondaries as the client named them; never this server itself, which would wait for the chunk lock it holds.
   */
  private List<ServerAddress> secondaries(long handle, List<ServerAddress> secondaries) throws GfsException {
    Validate.present(secondaries, "secondaries");
    if (secondaries.size() > DataPipeline.CHAIN_LENGTH_MAX) {
      throw Errors.invalid("chunk %s: %s secondaries, over the max %s", handle, secondaries.size(),
          DataPipeline.CHAIN_LENGTH_MAX);
    }
    HostPort me = self.get();
    for (ServerAddress secondary : secondaries) {
      if (secondary == null || secondary.getHost() == null || secondary.getHost().isBlank()
          || secondary.getPort() <= 0 || secondary.getPort() > 65535) {
        throw Errors.invalid("chunk %s: bad secondary address %s", handle, secondary);
      }
      if (me != null && RpcErrors.fromThrift(secondary).equals(me)) {
        throw Errors.invalid("chunk %s: the primary %s is listed among its own secondaries", handle, me);
      }
    }
    return secondaries;
  }

  private void applyLocally(long handle, long version, long serial, long offsetBytes, byte[] data, boolean sync)
      throws IOException {
    try {
      store.write(handle, offsetBytes, data, 0, data.length, sync);
    } catch (ChecksumMismatchException e) {
      state.markCorrupt(handle);
      throw e;
    }
    state.applied(handle, version, serial, clock.getAsLong());
  }

  private void padLocally(long handle, long version, long serial, long lengthBytes, boolean sync)
      throws IOException {
    store.padTo(handle, lengthBytes, sync);
    state.applied(handle, version, serial, clock.getAsLong());
  }

  private static Mutation mutation(long handle, long version, long serial, MutationKind kind, long offsetBytes,
      long dataId, int lengthBytes, boolean sync) {
    return new Mutation(handle, version, serial, kind, offsetBytes, dataId, lengthBytes, sync);
  }
}
