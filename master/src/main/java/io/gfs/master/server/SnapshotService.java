package io.gfs.master.server;

import io.gfs.common.GfsPaths;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.master.state.Decision;
import io.gfs.master.state.LeasePlan;
import io.gfs.master.state.LockTable;
import io.gfs.master.state.LogRecord;
import io.gfs.master.state.MasterState;
import io.gfs.master.state.RetryCache;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots on the wire [0113-0116]. Taking one: under a write lock covering the path's tree (no lease can be granted
 * below it meanwhile), revoke every lease on its chunks and make each primary stop: told with assignVersion(lease 0),
 * or, when it cannot be reached, waited out until the lease has expired; then log the SNAPSHOT record, which copies the
 * metadata. The first lease on a shared chunk afterwards goes through {@link #copyOnWrite}: every current replica copies
 * it locally (copyChunkLocal, no network), the COPY_ON_WRITE record points the file at the copy, and the usual grant
 * follows on the copy.
 */
final class SnapshotService {
  /** Issue 7: signs the MASTER tokens of this class's orders (none until the server sets it). */
  private volatile MasterSecurity security = MasterSecurity.NONE;
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotService.class);

  private final MasterState state;
  private final Journal journal;
  private final RpcClients rpc;
  private final ExecutorService rpcPool;
  private final InstantSource clock;

  SnapshotService(MasterState state, Journal journal, RpcClients rpc, ExecutorService rpcPool, InstantSource clock) {
    this.state = state;
    this.journal = journal;
    this.rpc = rpc;
    this.rpcPool = rpcPool;
    this.clock = clock;
  }

  /**
   * A snapshot name becomes a path component: refuse what no path may hold (a NUL, a '/', "." or "..", over 255
   * bytes) before anything is logged. A logged record that cannot be applied stops every later mutation and recovery
   * (MasterServiceFuzzTest found a name of two NULs doing that).
   */
  private static void checkName(String name) {
    if (name == null || !GfsPaths.components("/" + name).equals(List.of(name))) {
      throw new GfsPaths.InvalidPathException(String.valueOf(name), "not a valid snapshot name");
    }
  }

  /**
   * request: the call's retry-cache key (null: none). Issue 4: a retry of a snapshot call that was already applied
   * (its reply lost, or the master failed over after logging it) answers as the original did, instead of
   * ALREADY_EXISTS or NOT_FOUND, and changes nothing again.
   */
  void create(String path, String name, RetryCache.Key request) throws IOException, InterruptedException {
    checkName(name);
    try (LockTable.Held locks = state.lockSnapshots(path)) {
      if (retried(request)) {
        return;
      }
      state.decideCreateSnapshot(path, name, clock.millis()).orThrow(); // refuse before disturbing any writer
      stopPrimaries(state.revokeLeasesUnder(path, clock.millis()));
      commit(state.decideCreateSnapshot(path, name, clock.millis()), request);
    }
  }

  /**
   * Rename [0093]: the master disables modifications to what is renamed by revoking the leases below the source and
   * telling their primaries (caller holds the rename locks and the rename was decided). Best effort: an unreachable
   * primary's lease simply runs out; the writer's next acquireLease names the old path and fails.
   */
  void revokeForRename(String source) {
    List<LeasePlan.Revoked> revoked = state.revokeLeasesUnder(source, clock.millis());
    List<CompletableFuture<Boolean>> calls = new ArrayList<>();
    for (LeasePlan.Revoked lease : revoked) {
      calls.add(CompletableFuture.supplyAsync(() -> dropLease(lease), rpcPool));
    }
    calls.forEach(CompletableFuture::join);
  }

  void delete(String path, String name, RetryCache.Key request) throws IOException {
    try (LockTable.Held locks = state.lockSnapshots(path)) {
      if (!retried(request)) {
        commit(state.decideDeleteSnapshot(path, name), request);
      }
    }
  }

  void rename(String path, String oldName, String newName, RetryCache.Key request) throws IOException {
    checkName(newName);
    try (LockTable.Held locks = state.lockSnapshots(path)) {
      if (!retried(request)) {
        commit(state.decideRenameSnapshot(path, oldName, newName, clock.millis()), request);
      }
    }
  }

  private boolean retried(RetryCache.Key request) {
    return request != null && state.retried(request, clock.millis()).isPresent();
  }

  List<String> list(String path) {
    try (LockTable.Held locks = state.lockRead(path)) {
      return state.listSnapshots(path);
    }
  }

  /**
   * The copy-on-write step of acquireLease (caller holds the file's write lock): local copies on every target, then
   * the record. Nobody copied → NO_CHUNKSERVERS, nothing logged (a copy made somewhere is an orphan the heartbeats
   * delete once later handles pass it).
   */
  void copyOnWrite(LeasePlan.CopyOnWrite plan) throws IOException, GfsException {
    List<CompletableFuture<Boolean>> calls = new ArrayList<>();
    for (LeasePlan.Target target : plan.targets()) {
      calls.add(CompletableFuture.supplyAsync(() -> copyLocal(plan, target), rpcPool));
    }
    List<String> copied = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).join()) {
        copied.add(plan.targets().get(i).serverId());
      }
    }
    if (copied.isEmpty()) {
      throw RpcErrors.error(ErrorCode.NO_CHUNKSERVERS, "no chunkserver copied chunk %s (handle %s) for copy-on-write;"
          + " tried %s", plan.chunkIndex(), plan.sourceHandle(), plan.targets());
    }
    journal.commit(plan.record());
    state.completeCopy(plan, copied, clock.millis());
    LOG.info("copy-on-write of chunk {} made chunk {} on {}", plan.sourceHandle(), plan.newHandle(), copied);
  }

  private boolean copyLocal(LeasePlan.CopyOnWrite plan, LeasePlan.Target target) {
    try {
      rpc.chunkServer(target.address(), c -> {
        // HA fencing (issue 4): the term's epoch, refused by chunkservers that obeyed a newer master.
        c.copyChunkLocal(plan.sourceHandle(), plan.newHandle(), plan.version(), journal.term().epoch(),
            security.masterToken(plan.newHandle(), plan.sourceHandle()));
        return null;
      });
      return true;
    } catch (GfsException e) {
      LOG.warn("copyChunkLocal({} -> {}) refused by {}: {} {}", plan.sourceHandle(), plan.newHandle(),
          target.address(), e.getCode(), e.getMessage());
      return false;
    } catch (TException | RuntimeException e) {
      LOG.warn("copyChunkLocal({} -> {}) on {} failed: {}", plan.sourceHandle(), plan.newHandle(), target.address(),
          e.toString());
      rpc.forget(target.address());
      return false;
    }
  }

  /** Tells every revoked primary to drop its lease; waits out the leases of those that could not be told [0114]. */
  private void stopPrimaries(List<LeasePlan.Revoked> revoked) throws InterruptedException {
    List<CompletableFuture<Boolean>> calls = new ArrayList<>();
    for (LeasePlan.Revoked lease : revoked) {
      calls.add(CompletableFuture.supplyAsync(() -> dropLease(lease), rpcPool));
    }
    long waitUntilMillis = 0;
    for (int i = 0; i < calls.size(); i++) {
      if (!calls.get(i).join()) {
        waitUntilMillis = Math.max(waitUntilMillis, revoked.get(i).expiryMillis());
      }
    }
    for (long now = clock.millis(); now < waitUntilMillis; now = clock.millis()) {
      Thread.sleep(Math.min(waitUntilMillis - now, 1_000)); // bounded by one lease duration
    }
  }

  private boolean dropLease(LeasePlan.Revoked lease) {
    try {
      rpc.chunkServer(lease.primary(), c -> {
        // HA: fenced by epoch; the access token is the issue 7 hook
        c.assignVersion(lease.handle(), lease.version(), false, 0, journal.term().epoch(),
            security.masterToken(lease.handle()));
        return null;
      });
      return true;
    } catch (TException | RuntimeException e) {
      LOG.warn("could not revoke the lease on chunk {} at {} before a snapshot ({}); waiting for it to expire",
          lease.handle(), lease.primary(), e.toString());
      return false;
    }
  }

  private void commit(Decision decision, RetryCache.Key request) throws IOException {
    decision.orThrow();
    if (decision.record().isPresent()) {
      LogRecord record = decision.record().get();
      journal.commit(request == null ? record : new LogRecord.Requested(request, clock.millis(), record));
    }
  }

  /** Issue 7 hook: the master's orders carry a MASTER access token signed by the current key. */
  void secure(MasterSecurity security) {
    this.security = security;
  }

}
