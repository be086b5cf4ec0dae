package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.state.PushBuffer;
import io.gfs.chunkserver.state.PushedData;
import io.gfs.chunkserver.state.RecordAppendDecision;
import io.gfs.chunkserver.state.RecordAppendGroup;
import io.gfs.chunkserver.state.Refusal;
import io.gfs.chunkserver.state.RefusalCode;
import io.gfs.chunkserver.state.SerialCheck;
import io.gfs.chunkserver.store.ChunkStore;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.Mutation;
import io.gfs.thrift.gen.MutationGroupOutcome;
import io.gfs.thrift.gen.MutationKind;
import io.gfs.thrift.gen.RecordAppendReply;
import io.gfs.thrift.gen.RecordAppendRequest;
import io.gfs.thrift.gen.ServerAddress;
import io.gfs.thrift.gen.WriteRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes and record appends as the primary orders them, and mutations as a secondary applies them [0101-0111]. The
 * primary holds the chunk's lock from numbering a mutation until every secondary answered, which keeps the order
 * simple and certain: secondaries see serial numbers in order, one write or one group of record appends at a time per
 * chunk ({@link AppendGroupCommit}).
 */
final class Mutations {
  private static final Logger LOG = LoggerFactory.getLogger(Mutations.class);

  private final ChunkServerState state;
  private final ChunkStore store;
  private final PushBuffer buffer;
  private final ChunkLocks locks;
  private final SecondaryFanout fanout;
  private final LongSupplier clock;
  private final Supplier<HostPort> self;
  private final LocalMutations local;
  private final PendingAppends pending = new PendingAppends();
  private final AppendGroupCommit groups;

  Mutations(ChunkServerState state, ChunkStore store, PushBuffer buffer, ChunkLocks locks, SecondaryFanout fanout,
      LongSupplier clock, Supplier<HostPort> self) {
    this(state, store, buffer, locks, fanout, clock, self, LengthReporter.NONE);
  }

  Mutations(ChunkServerState state, ChunkStore store, PushBuffer buffer, ChunkLocks locks, SecondaryFanout fanout,
      LongSupplier clock, Supplier<HostPort> self, LengthReporter lengths) {
    this.state = state;
    this.store = store;
    this.buffer = buffer;
    this.locks = locks;
    this.fanout = fanout;
    this.clock = clock;
    this.self = self;
    this.local = new LocalMutations(state, store, clock);
    this.groups = new AppendGroupCommit(state, store, buffer, local, fanout, clock, lengths);
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
    PushedData data = buffer.take(request.getDataId(), request.getLengthBytes(), clock.getAsLong());
    try (data; ChunkLocks.Guard guard = locks.lock(handle)) { // data closed last: its array is reused after
      state.checkPrimary(handle, request.getVersion(), clock.getAsLong()); // the lease may have run out meanwhile
      long serial = state.nextSerial(handle);
      // The secondaries apply the numbered mutation while this replica writes its own copy [0102]: the order is the
      // serial number's, fixed under the lock, and the reply still waits for every replica, so a write costs the
      // slower of the two instead of both in turn (an fsync'ing write waited for the primary's fsync, then theirs).
      SecondaryFanout.Started remote = fanout.start(mutation(handle, request.getVersion(), serial, MutationKind.WRITE,
          request.getOffsetBytes(), request.getDataId(), request.getLengthBytes(), request.isSync())
          .setAccessToken(request.bufferForAccessToken()), secondaries); // secondaries check the client's token too
      try {
        local.write(handle, request.getVersion(), serial, request.getOffsetBytes(), data, request.isSync());
      } catch (IOException | RuntimeException e) {
        // The number went out to the secondaries: never hand it out again, or a later write that got it would be
        // taken by them for this one, already applied, and skipped while acknowledged.
        try {
          local.consumeSerial(handle, request.getVersion(), serial);
        } finally {
          remote.awaitQuietly(); // the lock is held until they answered: the next number must not overtake this one
        }
        throw e;
      }
      state.markMutated(handle);
      buffer.release(request.getDataId());
      remote.await();
    }
  }

  /**
   * The primary's record append: returns the offset it chose, or CHUNK_FULL after padding [0104-0108]. The request
   * waits in {@link PendingAppends}; one request's thread at a time leads the chunk's appends ({@link #lead}) and
   * applies every waiting one as one group, so concurrent appenders to one chunk share the lock's turn and the fan-out
   * ({@link AppendGroupCommit}).
   */
  long recordAppend(RecordAppendRequest request) throws GfsException, Refusal, IOException {
    return recordAppend(request, false).await();
  }

  /**
   * appendRecord (issue 6): recordAppend, and whether the primary told the master the chunk's length covering the
   * record along with its group ({@link AppendGroupCommit}), so the client need not.
   */
  RecordAppendReply appendRecord(RecordAppendRequest request) throws GfsException, Refusal, IOException {
    PendingAppends.Pending decided = recordAppend(request, true);
    long offsetInChunkBytes = decided.await();
    RecordAppendReply reply = new RecordAppendReply(offsetInChunkBytes);
    return decided.lengthReported() ? reply.setLengthReported(true) : reply;
  }

  private PendingAppends.Pending recordAppend(RecordAppendRequest request, boolean lengthReportWanted)
      throws GfsException, Refusal, IOException {
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
    ByteBuffer data;
    if (request.isSetData()) {
      data = InlineRecords.checked(handle, request.getDataId(), InlineRecords.of(request, request::getData),
          request.getLengthBytes(), request.isSetCrc32c(), request.getCrc32c());
      if (data.remaining() >= InlineRecords.RELAY_BYTES_MIN && (locks.inUse(handle) || pending.isLed(handle))) {
        // A big record while others hold or wait for the chunk: send it on now, not with the group while the lock is
        // held (see SecondaryFanout.relay). Smaller ones ride the group's mutations: one call per secondary per group.
        fanout.relay(request.getDataId(), data, request.getCrc32c(), request.bufferForAccessToken(), secondaries)
            .await();
        request.unsetData(); // the secondaries hold it under its data id: the mutation names it, as for pushed data
      }
    } else {
      try (PushedData pushed = buffer.take(request.getDataId(), request.getLengthBytes(), clock.getAsLong())) {
        data = ByteBuffer.wrap(pushed.toArray());
      }
    }
    PendingAppends.Pending mine = new PendingAppends.Pending(request, secondaries, data, lengthReportWanted);
    if (pending.add(handle, mine) || mine.awaitTurnOrOutcome()) {
      lead(handle, mine);
    }
    return mine;
  }

  /**
   * Applies the chunk's waiting appends, group after group, until this request is decided, then hands the turn on
   * ({@link PendingAppends}). If the chunk's lock stays taken too long (a write stuck on a slow secondary), every
   * waiting request fails with BUSY: they all wait for the same lock.
   */
  @SuppressWarnings("try") // the guard only holds the chunk lock
  private void lead(long handle, PendingAppends.Pending mine) {
    try (ChunkLocks.Guard guard = locks.lock(handle)) {
      // A leader heads its chunk's queue (it came to an empty one, or was handed the turn as the oldest waiter), so
      // its first group decides it; the loop only guards that, and an empty take would fail the group's check.
      while (!mine.isDone()) {
        groups.apply(handle, pending.take(handle, RecordAppendGroup.MUTATIONS_MAX, InlineRecords.GROUP_BYTES_MAX));
      }
    } catch (GfsException busy) { // only the lock wait throws: the group code decides every request it took
      for (PendingAppends.Pending waiting : pending.takeAll(handle)) {
        waiting.failed(busy);
      }
    } finally {
      pending.handOver(handle);
    }
  }

  /** A secondary applies what the primary ordered, once, in serial order [0102, 0108]. */
  @SuppressWarnings("try") // the guard only holds the chunk lock
  void applyMutation(Mutation mutation) throws GfsException, Refusal, IOException {
    check(mutation);
    try (ChunkLocks.Guard guard = locks.lock(mutation.getHandle())) {
      applyHeld(mutation);
    }
  }

  /**
   * A secondary applies a group the primary ordered together (record appends [0111]): one by one in serial order under
   * one turn of the chunk's lock, each exactly as {@link #applyMutation} would, stopping at the first that fails.
   */
  @SuppressWarnings("try") // the guard only holds the chunk lock
  MutationGroupOutcome applyMutations(List<Mutation> mutations) throws GfsException {
    long handle = checkGroup(mutations);
    try (ChunkLocks.Guard guard = locks.lock(handle)) {
      for (int i = 0; i < mutations.size(); ) {
        try {
          i += applyHeldFrom(mutations, i);
        } catch (GfsException e) {
          return new MutationGroupOutcome(i).setFailure(e);
        } catch (Refusal e) {
          return new MutationGroupOutcome(i).setFailure(Errors.of(e));
        } catch (IOException e) {
          LOG.warn("applyMutations: mutation {} of chunk {}: {}", mutations.get(i).getSerialNumber(), handle,
              e.toString());
          return new MutationGroupOutcome(i).setFailure(Errors.of(e));
        }
      }
    }
    return new MutationGroupOutcome(mutations.size());
  }

  /**
   * Applies mutation {@code from} of a group, or, when it and the next ones are records carried inline one right after
   * another at consecutive serial numbers, all of that run as one write ({@link LocalMutations#writeRecords}); returns
   * how many it applied. A mutation that does not pass its checks ends the run before it, and fails on its own turn.
   */
  private int applyHeldFrom(List<Mutation> mutations, int from) throws GfsException, Refusal, IOException {
    Mutation first = mutations.get(from);
    check(first);
    List<ByteBuffer> records = new ArrayList<>();
    boolean sync = false;
    if (first.getKind() == MutationKind.RECORD_APPEND && first.isSetData() && state.checkSecondary(first.getHandle(),
        first.getVersion(), first.getSerialNumber()) == SerialCheck.APPLY) {
      for (int j = from; j < mutations.size(); j++) {
        ByteBuffer record = inlineRecordOfRun(mutations, from, j);
        if (record == null) {
          break;
        }
        records.add(record);
        sync |= mutations.get(j).isSync();
      }
    }
    if (records.isEmpty()) {
      applyHeld(first);
      return 1;
    }
    int[] recordCrcs = new int[records.size()]; // each checked against its record by inlineRecordOfRun
    for (int k = 0; k < recordCrcs.length; k++) {
      recordCrcs[k] = mutations.get(from + k).getCrc32c();
    }
    local.writeRecords(first.getHandle(), first.getVersion(), first.getSerialNumber(), first.getOffsetBytes(), records,
        recordCrcs, sync);
    for (int j = from; j < from + records.size(); j++) {
      buffer.release(mutations.get(j).getDataId());
    }
    return records.size();
  }

  /**
   * The checked inline record of mutation {@code j} if it continues the run of inline records that starts at
   * {@code from} (same version, the next serial number, right after the previous record); else null.
   */
  private static ByteBuffer inlineRecordOfRun(List<Mutation> mutations, int from, int j) {
    Mutation first = mutations.get(from);
    Mutation m = mutations.get(j);
    try {
      if (j > from) {
        Mutation before = mutations.get(j - 1);
        if (m.getKind() != MutationKind.RECORD_APPEND || !m.isSetData() || m.getVersion() != first.getVersion()
            || m.getSerialNumber() != first.getSerialNumber() + (j - from)
            || m.getOffsetBytes() != before.getOffsetBytes() + before.getLengthBytes()) {
          return null;
        }
        check(m);
      }
      return InlineRecords.checked(m.getHandle(), m.getDataId(), InlineRecords.of(m, m::getData), m.getLengthBytes(),
          m.isSetCrc32c(), m.getCrc32c());
    } catch (GfsException e) {
      return null; // it fails on its own turn, after the run before it is applied
    }
  }

  /** A group is 1..max mutations of one chunk with rising serial numbers; returns the chunk. */
  private static long checkGroup(List<Mutation> mutations) throws GfsException {
    Validate.present(mutations, "mutations");
    if (mutations.isEmpty() || mutations.size() > RecordAppendGroup.MUTATIONS_MAX) {
      throw Errors.invalid("%s mutations in a group, not 1..%s", mutations.size(), RecordAppendGroup.MUTATIONS_MAX);
    }
    Mutation first = Validate.present(mutations.get(0), "mutation 0");
    for (int i = 1; i < mutations.size(); i++) {
      Mutation m = Validate.present(mutations.get(i), "mutation " + i);
      Mutation before = mutations.get(i - 1);
      if (m.getHandle() != first.getHandle() || m.getSerialNumber() <= before.getSerialNumber()) {
        throw Errors.invalid("mutation %s (chunk %s, serial %s) does not follow chunk %s serial %s in its group", i,
            m.getHandle(), m.getSerialNumber(), first.getHandle(), before.getSerialNumber());
      }
    }
    return first.getHandle();
  }

  private static void check(Mutation mutation) throws GfsException {
    long handle = mutation.getHandle();
    Validate.version(handle, mutation.getVersion());
    MutationKind kind = Validate.present(mutation.getKind(), "mutation kind");
    Validate.range(handle, mutation.getOffsetBytes(), mutation.getLengthBytes());
    if (kind != MutationKind.PAD) {
      Validate.dataLength(handle, mutation.getLengthBytes());
    }
  }

  /** Applies a checked mutation as a secondary; the caller holds the chunk's lock. */
  private void applyHeld(Mutation mutation) throws GfsException, Refusal, IOException {
    long handle = mutation.getHandle();
    if (state.checkSecondary(handle, mutation.getVersion(), mutation.getSerialNumber())
        == SerialCheck.ALREADY_APPLIED) {
      buffer.release(mutation.getDataId());
      return;
    }
    if (mutation.getKind() == MutationKind.PAD) {
      local.pad(handle, mutation.getVersion(), mutation.getSerialNumber(), mutation.getOffsetBytes(),
          mutation.isSync());
      return;
    }
    // A record append lands at the primary's offset whatever is here: a gap is zero-filled, old bytes overwritten.
    if (mutation.isSetData()) {
      ByteBuffer data = InlineRecords.checked(handle, mutation.getDataId(), InlineRecords.of(mutation,
          mutation::getData), mutation.getLengthBytes(), mutation.isSetCrc32c(), mutation.getCrc32c());
      local.write(handle, mutation.getVersion(), mutation.getSerialNumber(), mutation.getOffsetBytes(), data,
          mutation.isSync());
    } else {
      try (PushedData data = buffer.take(mutation.getDataId(), mutation.getLengthBytes(), clock.getAsLong())) {
        local.write(handle, mutation.getVersion(), mutation.getSerialNumber(), mutation.getOffsetBytes(), data,
            mutation.isSync());
      }
    }
    buffer.release(mutation.getDataId());
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

  static Mutation mutation(long handle, long version, long serial, MutationKind kind, long offsetBytes,
      long dataId, int lengthBytes, boolean sync) {
    return new Mutation(handle, version, serial, kind, offsetBytes, dataId, lengthBytes, sync);
  }
}
