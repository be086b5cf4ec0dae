package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.state.PushBuffer;
import io.gfs.chunkserver.state.RecordAppendDecision;
import io.gfs.chunkserver.state.RecordAppendGroup;
import io.gfs.chunkserver.state.Refusal;
import io.gfs.chunkserver.store.ChunkStore;
import io.gfs.common.Check;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.ThriftBinary;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.Mutation;
import io.gfs.thrift.gen.MutationKind;
import io.gfs.thrift.gen.ServerAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The primary applies a group of record appends that waited for one chunk [0104-0111], holding the chunk's lock
 * throughout: places them one after another ({@link RecordAppendGroup}), numbers them with consecutive serial numbers,
 * applies them locally in that order, sends the whole group to each secondary in one call, and then decides each
 * request: its offset if its mutation is on every replica it went to, CHUNK_FULL if it shared a padding that is,
 * otherwise the failure naming the replica, so that client retries [0109]. One fan-out per group rather than per
 * record is what lets many appenders into one file go faster than one.
 */
final class AppendGroupCommit {
  private final ChunkServerState state;
  private final ChunkStore store;
  private final PushBuffer buffer;
  private final LocalMutations local;
  private final SecondaryFanout fanout;
  private final LongSupplier clock;
  private final LengthReporter lengths;

  AppendGroupCommit(ChunkServerState state, ChunkStore store, PushBuffer buffer, LocalMutations local,
      SecondaryFanout fanout, LongSupplier clock, LengthReporter lengths) {
    this.lengths = lengths;
    this.state = state;
    this.store = store;
    this.buffer = buffer;
    this.local = local;
    this.fanout = fanout;
    this.clock = clock;
  }

  /** Applies the group and decides every request in it; the caller holds the chunk's lock. Throws nothing checked. */
  void apply(long handle, List<PendingAppends.Pending> group) {
    Check.state(!group.isEmpty(), "chunk %s: an empty group of record appends", handle);
    try {
      List<PendingAppends.Pending> admitted = admit(handle, group);
      if (!admitted.isEmpty()) {
        applyAdmitted(handle, admitted);
      }
    } catch (IOException e) {
      fail(group, Errors.of(e));
    } catch (RuntimeException | Error e) {
      fail(group, RpcErrors.error(ErrorCode.INTERNAL, "record append to chunk %s failed inside the primary: %s",
          handle, e.toString()));
      throw e;
    }
  }

  /** The requests this replica may still order as primary; the others are told why not (the lease may have ended). */
  private List<PendingAppends.Pending> admit(long handle, List<PendingAppends.Pending> group) {
    long nowMillis = clock.getAsLong();
    List<PendingAppends.Pending> admitted = new ArrayList<>(group.size());
    for (PendingAppends.Pending p : group) {
      try {
        state.checkPrimary(handle, p.request.getVersion(), nowMillis);
        admitted.add(p);
      } catch (Refusal e) {
        p.failed(Errors.of(e));
      }
    }
    return admitted;
  }

  private void applyAdmitted(long handle, List<PendingAppends.Pending> admitted) throws IOException {
    List<RecordAppendGroup.Request> requests = new ArrayList<>(admitted.size());
    for (PendingAppends.Pending p : admitted) {
      requests.add(new RecordAppendGroup.Request(p.request.getLengthBytes(), p.request.getChunkSizeBytes()));
    }
    RecordAppendGroup plan = RecordAppendGroup.place(store.lengthBytes(handle), requests);
    long version = admitted.get(0).request.getVersion(); // each passed checkPrimary: the chunk's one version
    long firstSerial = state.nextSerial(handle);
    List<Mutation> mutations = new ArrayList<>(plan.mutations().size());
    List<List<ServerAddress>> targets = new ArrayList<>(plan.mutations().size());
    Applied here = applyHere(handle, version, firstSerial, plan, admitted);
    // A local failure: that mutation and every later one of the group are not applied anywhere.
    GfsException localFailure = here.failure() == null ? null : Errors.of(here.failure());
    for (int k = 0; k < here.count(); k++) {
      RecordAppendGroup.Planned planned = plan.mutations().get(k);
      PendingAppends.Pending owner = admitted.get(planned.requestIndex());
      long serial = firstSerial + k;
      boolean sync = owner.request.isSync();
      MutationKind kind = planned.kind() == RecordAppendDecision.Kind.FITS ? MutationKind.RECORD_APPEND
          : MutationKind.PAD;
      Mutation mutation = Mutations.mutation(handle, version, serial, kind, planned.offsetBytes(),
          owner.request.getDataId(), planned.lengthBytes(), sync).setAccessToken(owner.request.bufferForAccessToken());
      if (kind == MutationKind.RECORD_APPEND && owner.request.isSetData()) {
        // The record goes on with its order, its own bytes (the generated setter would copy them once more).
        if (!ThriftBinary.set(mutation, "data", owner.data.duplicate())) {
          mutation.setData(owner.data.duplicate());
        }
        mutation.setCrc32c(owner.request.getCrc32c());
      }
      mutations.add(mutation);
      targets.add(targets(plan, admitted, k));
    }
    if (!mutations.isEmpty()) {
      state.markMutated(handle);
    }
    for (int i = 0; i < admitted.size(); i++) {
      if (plan.mutationOfRequest().get(i) < mutations.size()) {
        buffer.release(admitted.get(i).request.getDataId()); // applied here, or padded: pushed again for the next chunk
      }
    }
    List<GfsException> failures = fanout.applyGroup(mutations, targets);
    boolean reported = reportLength(handle, version, plan, admitted, failures);
    decide(handle, plan, admitted, failures, localFailure, reported);
  }

  /**
   * Applies the group's mutations here in serial order, up to the first that fails. A run of records one right after
   * another (as the group places them) goes to the store as one write: one opening of the chunk's files and one update
   * of its checksums and length for the run instead of one per record (a 64 KiB record paid two opens, two closes and
   * two metadata writes of its own on every replica).
   */
  private Applied applyHere(long handle, long version, long firstSerial, RecordAppendGroup plan,
      List<PendingAppends.Pending> admitted) {
    List<RecordAppendGroup.Planned> planned = plan.mutations();
    int k = 0;
    try {
      while (k < planned.size()) {
        PendingAppends.Pending owner = admitted.get(planned.get(k).requestIndex());
        if (planned.get(k).kind() != RecordAppendDecision.Kind.FITS) {
          local.pad(handle, version, firstSerial + k, planned.get(k).offsetBytes(), owner.request.isSync());
          k++;
          continue;
        }
        List<ByteBuffer> records = new ArrayList<>();
        List<Integer> checkedCrcs = new ArrayList<>();
        boolean sync = false;
        int end = k;
        do {
          PendingAppends.Pending p = admitted.get(planned.get(end).requestIndex());
          records.add(p.data);
          if (p.crcChecked()) {
            checkedCrcs.add(p.request.getCrc32c());
          }
          sync |= p.request.isSync();
          end++;
        } while (end < planned.size() && planned.get(end).kind() == RecordAppendDecision.Kind.FITS
            && planned.get(end).offsetBytes() == planned.get(end - 1).offsetBytes()
                + planned.get(end - 1).lengthBytes());
        int[] recordCrcs = checkedCrcs.size() == records.size()
            ? checkedCrcs.stream().mapToInt(Integer::intValue).toArray() : null;
        local.writeRecords(handle, version, firstSerial + k, planned.get(k).offsetBytes(), records, recordCrcs, sync);
        k = end;
      }
      return new Applied(k, null);
    } catch (IOException e) {
      return new Applied(k, e);
    }
  }

  /** The group's first {@code count} mutations are applied here; failure: why the next one is not (or null). */
  private record Applied(int count, IOException failure) {}

  /**
   * Tells the master the chunk's length past the group's last record that is on every replica, once for the whole
   * group and before any reply (issue 6), so a reader that opens the file after an append returned sees the record;
   * only when an appender asked (appendRecord), since older clients report their own. True if the master took it.
   */
  private boolean reportLength(long handle, long version, RecordAppendGroup plan,
      List<PendingAppends.Pending> admitted, List<GfsException> failures) {
    long endBytes = -1;
    boolean wanted = false;
    for (int i = 0; i < admitted.size(); i++) {
      int k = plan.mutationOfRequest().get(i);
      if (k < failures.size() && failures.get(k) == null
          && plan.mutations().get(k).kind() == RecordAppendDecision.Kind.FITS) {
        endBytes = Math.max(endBytes, plan.mutations().get(k).offsetBytes() + plan.mutations().get(k).lengthBytes());
        wanted |= admitted.get(i).lengthReportWanted;
      }
    }
    return wanted && lengths.report(handle, version, endBytes);
  }

  /** The secondaries a mutation goes to: those its request named; for a shared padding, those any of them named. */
  private static List<ServerAddress> targets(RecordAppendGroup plan, List<PendingAppends.Pending> admitted,
      int mutation) {
    Set<ServerAddress> out = new LinkedHashSet<>();
    for (int i = 0; i < admitted.size(); i++) {
      if (plan.mutationOfRequest().get(i) == mutation) {
        out.addAll(admitted.get(i).secondaries);
      }
    }
    return List.copyOf(out);
  }

  private static void decide(long handle, RecordAppendGroup plan, List<PendingAppends.Pending> admitted,
      List<GfsException> failures, GfsException localFailure, boolean lengthReported) {
    for (int i = 0; i < admitted.size(); i++) {
      PendingAppends.Pending p = admitted.get(i);
      int k = plan.mutationOfRequest().get(i);
      if (k >= failures.size()) {
        p.failed(localFailure);
      } else if (failures.get(k) != null) {
        p.failed(failures.get(k));
      } else if (plan.mutations().get(k).kind() == RecordAppendDecision.Kind.FITS) {
        p.succeeded(plan.mutations().get(k).offsetBytes(), lengthReported);
      } else {
        p.failed(RpcErrors.error(ErrorCode.CHUNK_FULL, "chunk %s has no room for %s more bytes; padded to %s, retry on"
            + " the next chunk", handle, p.request.getLengthBytes(), plan.mutations().get(k).offsetBytes()));
      }
    }
  }

  private static void fail(List<PendingAppends.Pending> group, GfsException failure) {
    for (PendingAppends.Pending p : group) {
      p.failed(failure);
    }
  }
}
