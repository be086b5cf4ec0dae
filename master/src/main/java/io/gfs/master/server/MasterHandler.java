package io.gfs.master.server;

import io.gfs.common.GfsConfigKeys;
import io.gfs.master.state.Decision;
import io.gfs.master.state.HeartbeatOutcome;
import io.gfs.master.state.Lease;
import io.gfs.master.state.LockTable;
import io.gfs.master.state.LogRecord;
import io.gfs.master.state.MasterState;
import io.gfs.master.state.Policy;
import io.gfs.master.state.RetryCache;
import io.gfs.master.state.ServerStatus;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.ChunkLocations;
import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.DirectoryPolicy;
import io.gfs.thrift.gen.FileInfo;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.HeartbeatReply;
import io.gfs.thrift.gen.HeartbeatRequest;
import io.gfs.thrift.gen.LeaseExtension;
import io.gfs.thrift.gen.ListingPage;
import io.gfs.thrift.gen.MasterService;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's Thrift service: translates the wire to state calls. Every mutation runs the same way: take the path
 * locks, decide, make the record durable, apply, release, reply; {@link HandlerGuard} turns every failure into a typed
 * GfsException.
 */
final class MasterHandler extends AdminRpcs { // issue 8 hook: the operator RPCs live in AdminRpcs
  private static final Logger LOG = LoggerFactory.getLogger(MasterHandler.class);
  /** (chunkserver, handle) pairs remembered as already warned about. */
  private static final int FUTURE_CHUNK_WARNINGS_MAX = 100_000;

  private final MasterState state;
  private final Journal journal;
  private final LeaseGranter leases;
  private final InstantSource clock;
  private final MasterConfig config;
  private final WarnOnce futureChunkWarnings = new WarnOnce(FUTURE_CHUNK_WARNINGS_MAX);
  private final AccessTimes accessTimes;
  private volatile MasterSecurity security;
  /** HA hook (issue 4): the log replica of this master, which refuses every batch once this master leads. */
  private volatile io.gfs.master.ha.LogReplica logReplica;
  /** Issue 8 hook: where this master's and each chunkserver's status pages are, for getClusterStatus. */
  private final io.gfs.master.web.WebAddresses webAddresses = new io.gfs.master.web.WebAddresses();

  MasterHandler(MasterState state, Journal journal, LeaseGranter leases, InstantSource clock, MasterConfig config) {
    this.state = state;
    this.journal = journal;
    this.leases = leases;
    this.clock = clock;
    this.config = config;
    this.accessTimes = new AccessTimes(state, journal, config.accessTimePrecisionMillis());
  }

  /** Issue 8 hook: the status pages' addresses that heartbeats announce and getClusterStatus reports. */
  io.gfs.master.web.WebAddresses webAddresses() {
    return webAddresses;
  }

  /**
   * Issue 6: the lookups the RPC server runs on its selector thread instead of a worker (no thread hand-off). They
   * answer from memory; the only wait they may meet is a path's write lock, which a mutation holds until its record
   * is on disk, so they go to workers while any write lock is held or awaited (a writer taking one just after the
   * check makes at most that one lookup wait for its fsync). listStatus (the whole directory in one reply) is not one.
   */
  io.gfs.common.rpc.SelectorMethods selectorMethods() {
    // reportChunkLength too: like getFileInfo a path's read lock and the chunk coordinator's monitor, nothing else;
    // every record append ends with one, and a worker hand-off cost it two more thread switches (issue 6).
    // reportReplicaLength (a primary's, once per group of record appends) takes only that monitor.
    // A listing page with locations reads its chunks' replicas under that monitor, which a heartbeat's full report
    // holds long: such a page goes to a worker, as every call did before issue 6.
    return new io.gfs.common.rpc.SelectorMethods(java.util.Set.of("getFileInfo", "listStatusPage",
        "reportChunkLength", "reportReplicaLength"), () -> !state.writeLocked(),
        java.util.Map.of("listStatusPage", io.gfs.thrift.gen.MasterService.listStatusPage_args._Fields.WITH_LOCATIONS
            .getThriftFieldId()));
  }

  /** Issue 7 hook: permission checks, the caller and access tokens; the server sets it before serving. */
  void secure(MasterSecurity security) {
    this.security = security;
  }

  /** Runs a permission check for the caller of this call (none until the server set the security). */
  private void check(java.util.function.BiConsumer<io.gfs.master.state.NamespaceAccess,
      io.gfs.common.security.Caller> check) {
    MasterSecurity s = security;
    if (s != null) {
      check.accept(s.access(), s.caller());
    }
  }

  @Override
  void checkOperator(String operation) {
    check((access, caller) -> access.operator(caller, operation));
  }

  private MasterSecurity tokens() {
    MasterSecurity s = security;
    return s == null ? MasterSecurity.NONE : s;
  }

  /** Reads noted here are logged by the timers ({@link AccessTimes#flush}). */
  AccessTimes accessTimes() {
    return accessTimes;
  }

  /** HA hook: answer replicateLog through this replica (null: not part of a replicated group, NOT_MASTER). */
  void serveLogReplication(io.gfs.master.ha.LogReplica replica) {
    this.logReplica = replica;
  }

  @Override
  public io.gfs.thrift.gen.LogAck replicateLog(io.gfs.thrift.gen.LogBatch batch) throws GfsException {
    return HandlerGuard.call("replicateLog", () -> {
      if (batch == null) {
        throw new IllegalArgumentException("replicateLog without a batch"); // MasterServiceFuzzTest
      }
      io.gfs.master.ha.LogReplica replica = logReplica;
      if (replica == null) {
        throw RpcErrors.error(io.gfs.thrift.gen.ErrorCode.NOT_MASTER,
            "replicateLog: this master keeps no log replica");
      }
      return replica.accept(batch, clock.millis()); // refused with STALE_EPOCH: this master leads a newer term
    });
  }

  /** HA hook (issue 4): chunk reports go to shadows only; this master learns locations from heartbeats. */
  @Override
  public io.gfs.thrift.gen.ShadowReportReply reportToShadow(io.gfs.thrift.gen.ShadowReport report)
      throws GfsException {
    throw RpcErrors.error(io.gfs.thrift.gen.ErrorCode.NOT_MASTER, "reportToShadow: this is not a shadow master");
  }

  @Override
  public ClusterStatus getClusterStatus() throws GfsException {
    return HandlerGuard.call("getClusterStatus", () -> {
      long now = clock.millis();
      List<ChunkServerStatus> servers = new ArrayList<>();
      for (ServerStatus s : state.chunkServers(now)) {
        servers.add(new ChunkServerStatus(s.info().serverId(), RpcErrors.toThrift(s.info().address()),
            s.info().rack(), s.info().capacityBytes(), s.info().usedBytes(), s.chunkCount(),
            Math.max(0, now - s.info().lastHeartbeatMillis())));
      }
      ClusterStatus status = new ClusterStatus(config.clusterName(), servers, state.fileCount(),
          state.directoryCount(), state.chunkCount(), journal.lastSequence());
      setChunkHealth(status, state.operations().chunkHealth(now)); // one health sample per call (issue 6)
      status.setClonesInFlight(state.clonesInFlight());
      status.setRole("active"); // HA hook (issue 4): a shadow's ShadowService overwrites it with "shadow"
      webAddresses.decorate(status); // issue 8 hook: links to the status pages
      return status;
    });
  }

  @Override
  public FileInfo getFileInfo(String path) throws GfsException {
    return HandlerGuard.call("getFileInfo", () -> {
      try (LockTable.Held locks = state.lockRead(path)) {
        check((a, c) -> a.lookup(c, path)); // issue 7
        return ThriftMapping.fileInfo(state.fileStatus(path), config.chunkSizeBytes());
      }
    });
  }

  @Override
  public List<FileInfo> listStatus(String path) throws GfsException {
    return HandlerGuard.call("listStatus", () -> {
      try (LockTable.Held locks = state.lockRead(path)) {
        check((a, c) -> a.list(c, path)); // issue 7
        return ThriftMapping.fileInfos(state.listStatus(path), config.chunkSizeBytes());
      }
    });
  }

  @Override
  public boolean mkdirs(String path, String owner, String group, short permission) throws GfsException {
    return HandlerGuard.call("mkdirs", () -> {
      try (LockTable.Held locks = state.lockWrite(path)) {
        check((a, c) -> a.create(c, path, false, owner, group)); // issue 7
        return commit(state.decideMkdirs(path, tokens().ownerOr(owner), group, permission, clock.millis()));
      }
    });
  }

  @Override
  public FileInfo create(String path, boolean overwrite, boolean createParent, int replication, String owner,
      String group, short permission) throws GfsException {
    return HandlerGuard.call("create", () -> {
      RetryCache.Key request = requestKey();
      try (LockTable.Held locks = state.lockWrite(path)) {
        check((a, c) -> a.create(c, path, overwrite, owner, group)); // issue 7
        var done = state.retried(request, clock.millis()); // issue 4: a retry of a create already applied
        if (done.isPresent() && done.get().created() != null) {
          return ThriftMapping.fileInfo(done.get().created(), config.chunkSizeBytes());
        }
        commit(state.decideCreate(path, overwrite, createParent, replication, tokens().ownerOr(owner), group,
            permission,
            clock.millis()), request);
        return ThriftMapping.fileInfo(state.fileStatus(path), config.chunkSizeBytes());
      }
    });
  }

  @Override
  public boolean remove(String path, boolean recursive) throws GfsException {
    return HandlerGuard.call("remove", () -> {
      RetryCache.Key request = requestKey();
      try (LockTable.Held locks = state.lockWrite(path)) {
        check((a, c) -> a.delete(c, path)); // issue 7
        if (state.retried(request, clock.millis()).isPresent()) {
          return true; // issue 4: this call removed it; the retry must not answer "did not exist"
        }
        return commit(state.decideRemove(path, recursive, clock.millis()), request);
      }
    });
  }

  @Override
  public boolean undelete(String path) throws GfsException {
    return HandlerGuard.call("undelete", () -> {
      RetryCache.Key request = requestKey();
      try (LockTable.Held locks = state.lockUndelete(path)) {
        check((a, c) -> a.undelete(c, path)); // issue 7
        if (state.retried(request, clock.millis()).isPresent()) {
          return true; // issue 4: already brought back by this very call
        }
        return commit(state.decideUndelete(path, clock.millis()), request);
      }
    });
  }

  @Override
  public List<FileInfo> listDeleted(String directory) throws GfsException {
    return HandlerGuard.call("listDeleted", () -> {
      try (LockTable.Held locks = state.lockRead(directory)) {
        check((a, c) -> a.list(c, directory)); // issue 7
        return ThriftMapping.fileInfos(state.listDeleted(directory), config.chunkSizeBytes());
      }
    });
  }

  @Override
  public void rename(String source, String destination) throws GfsException {
    HandlerGuard.call("rename", () -> {
      RetryCache.Key request = requestKey();
      try (LockTable.Held locks = state.lockRename(source, destination)) {
        check((a, c) -> a.rename(c, source, destination)); // issue 7
        if (state.retried(request, clock.millis()).isPresent()) {
          return true; // issue 4: renamed by this very call; the source is gone because of it
        }
        Decision decision = state.decideRename(source, destination, clock.millis()).orThrow();
        if (decision.record().isPresent()) {
          leases.snapshots().revokeForRename(source); // [0093]: no more writes to what is renamed
        }
        return commit(decision, request);
      }
    });
  }

  /** Issue 6: Hadoop's rename rules in one call (see {@link HadoopRename}); the client used to ask four. */
  @Override
  public boolean renameHadoop(String source, String destination) throws GfsException {
    return HandlerGuard.call("renameHadoop", () -> {
      RetryCache.Key request = requestKey();
      try (LockTable.Held locks = state.lockRename(source, destination)) {
        if (state.retried(request, clock.millis()).isPresent()) {
          return true; // issue 4: renamed by this very call; the source is gone because of it
        }
        HadoopRename.Plan plan = HadoopRename.plan(source, destination, path -> {
          check((a, c) -> a.lookup(c, path)); // issue 7: what the client's getFileStatus calls checked
          return state.fileStatusOrNull(path); // null: nothing there (no exception per missing path, issue 6)
        });
        if (plan instanceof HadoopRename.Answer answer) {
          return answer.renamed();
        }
        String target = ((HadoopRename.Move) plan).target();
        check((a, c) -> a.rename(c, source, target)); // issue 7
        Decision decision = state.decideRename(source, target, clock.millis());
        if (decision.rejected() && HadoopRename.ANSWERED_FALSE.contains(decision.error())) {
          return false;
        }
        decision.orThrow();
        if (decision.record().isPresent()) {
          leases.snapshots().revokeForRename(source); // [0093]: no more writes to what is renamed
        }
        commit(decision, request);
        return true;
      }
    });
  }

  @Override
  public ChunkLocations findChunks(String path, long firstChunkIndex, int chunkCountMax) throws GfsException {
    return HandlerGuard.call("findChunks", () -> {
      try (LockTable.Held locks = state.lockRead(path)) {
        check((a, c) -> a.read(c, path)); // issue 7
        ChunkLocations found = ThriftMapping.chunkLocations(state.findChunks(path, firstChunkIndex, chunkCountMax,
            clock.millis()), config.chunkSizeBytes());
        accessTimes.read(path, clock.millis()); // logged later, batched
        return tokens().withReadTokens(found); // issue 7: a READ token per chunk
      }
    });
  }

  @Override
  public ChunkLease acquireLease(String path, long chunkIndex) throws GfsException {
    return HandlerGuard.call("acquireLease", () -> {
      check((a, c) -> a.writeData(c, path)); // issue 7 (before the granter takes the file's write lock)
      return tokens().withWriteToken(ThriftMapping.chunkLease(leases.acquire(path, chunkIndex),
          config.chunkSizeBytes()));
    });
  }

  @Override
  public void reportChunkLength(String path, long chunkIndex, long handle, long lengthBytes) throws GfsException {
    HandlerGuard.call("reportChunkLength", () -> {
      try (LockTable.Held locks = state.lockRead(path)) {
        check((a, c) -> a.writeData(c, path)); // issue 7
        state.reportChunkLength(path, chunkIndex, handle, lengthBytes);
        return null;
      }
    });
  }

  /**
   * Issue 6: a primary's length report for a group of record appends. Trusted as a heartbeat is (the server id it
   * claims; TLS client certificates keep others off the port), and only about a chunk that server holds a current
   * replica of (the chunk table decides).
   */
  @Override
  public void reportReplicaLength(String serverId, long handle, long version, long lengthBytes)
      throws GfsException {
    HandlerGuard.call("reportReplicaLength", () -> {
      journal.term().checkActive(); // HA hook: a deposed master's lengths reach no reader; the appenders report
      state.reportReplicaLength(serverId, handle, version, lengthBytes);
      return null;
    });
  }

  @Override
  public HeartbeatReply heartbeat(HeartbeatRequest request) throws GfsException {
    return HandlerGuard.call("heartbeat", () -> {
      if (request == null) {
        throw new IllegalArgumentException("heartbeat without a request"); // MasterServiceFuzzTest
      }
      // HA hook (issue 4): a deposed master gives no orders (NOT_MASTER sends the chunkserver to the alias again).
      journal.term().checkActive();
      webAddresses.heartbeat(request.getServerId(), request.getHttpAddress()); // issue 8 hook: status page links
      HeartbeatOutcome outcome = state.heartbeat(config.racks().resolve(
          ThriftMapping.heartbeatReport(request, GfsConfigKeys.ChunkServer.RACK.defaultValue())), clock.millis());
      for (String replaced : outcome.replacedServers()) {
        LOG.info("chunkserver {} at {} replaces {}", request.getServerId(), request.getAddress(), replaced);
      }
      for (LogRecord.SetVersion adoption : outcome.adoptions()) {
        LOG.warn("chunkserver {} reports chunk {} at version {}, newer than the master's: adopting it",
            request.getServerId(), adoption.handle(), adoption.version());
        journal.commit(adoption);
      }
      List<Long> unwarned = futureChunkWarnings.firstTime(request.getServerId(), outcome.unknownFutureChunks());
      if (!unwarned.isEmpty()) {
        // Every heartbeat repeats the full report: warn once per server and handle, not once per heartbeat.
        LOG.warn("chunkserver {} holds chunks {} with handles the master never issued (a lost log?): left alone",
            request.getServerId(), unwarned);
      }
      List<LeaseExtension> extensions = new ArrayList<>();
      for (Lease lease : outcome.extensions()) {
        extensions.add(new LeaseExtension(lease.handle(), lease.version(), config.leaseDurationMillis()));
      }
      HeartbeatReply reply = new HeartbeatReply(outcome.deleteChunks(), extensions, config.heartbeatIntervalMillis());
      reply.setAccessKeys(tokens().publishedKeys()); // issue 7: current, next and still valid retired keys
      return reply.setEpoch(journal.term().epoch()); // HA hook: chunkservers ignore replies of an older term
    });
  }

  @Override
  public void setPermission(String path, short permission) throws GfsException {
    HandlerGuard.call("setPermission", () -> {
      try (LockTable.Held locks = state.lockWrite(path)) {
        check((a, c) -> a.owner(c, path)); // issue 7
        return commit(state.decideSetPermission(path, permission));
      }
    });
  }

  @Override
  public void setOwner(String path, String owner, String group) throws GfsException {
    HandlerGuard.call("setOwner", () -> {
      try (LockTable.Held locks = state.lockWrite(path)) {
        check((a, c) -> a.setOwner(c, path, owner, group)); // issue 7
        return commit(state.decideSetOwner(path, owner, group));
      }
    });
  }

  @Override
  public void setTimes(String path, long modificationTimeMillis, long accessTimeMillis) throws GfsException {
    HandlerGuard.call("setTimes", () -> {
      try (LockTable.Held locks = state.lockWrite(path)) {
        check((a, c) -> a.write(c, path)); // issue 7
        return commit(state.decideSetTimes(path, modificationTimeMillis, accessTimeMillis));
      }
    });
  }

  @Override
  public boolean setReplication(String path, int replication) throws GfsException {
    return HandlerGuard.call("setReplication", () -> {
      try (LockTable.Held locks = state.lockWrite(path)) {
        check((a, c) -> a.write(c, path)); // issue 7
        return commit(state.decideSetReplication(path, replication));
      }
    });
  }

  @Override
  public io.gfs.thrift.gen.ContentSummary getContentSummary(String path) throws GfsException {
    return HandlerGuard.call("getContentSummary", () -> {
      try (LockTable.Held locks = state.lockRead(path)) {
        check((a, c) -> a.contentSummary(c, path)); // issue 7
        return ThriftMapping.contentSummary(state.contentSummary(path));
      }
    });
  }

  @Override
  public ListingPage listStatusPage(String path, String startAfter, int entriesMax, boolean withLocations)
      throws GfsException {
    return HandlerGuard.call("listStatusPage", () -> {
      try (LockTable.Held locks = state.lockRead(path)) {
        check((a, c) -> a.list(c, path)); // issue 7
        return tokens().withReadTokens(ThriftMapping.listingPage(
            state.listPage(path, startAfter, entriesMax, withLocations, clock.millis()),
            config.chunkSizeBytes()));
      }
    });
  }

  @Override
  public void concat(String target, List<String> sources) throws GfsException {
    HandlerGuard.call("concat", () -> {
      if (sources == null) {
        throw new IllegalArgumentException("concat without a source list");
      }
      List<String> paths = new ArrayList<>();
      paths.add(target);
      paths.addAll(sources);
      RetryCache.Key request = requestKey();
      try (LockTable.Held locks = state.lockWriteAll(paths)) {
        check((a, c) -> a.concat(c, target, sources)); // issue 7
        if (state.retried(request, clock.millis()).isPresent()) {
          return true; // issue 4: concatenated by this very call; the sources are gone because of it
        }
        return commit(state.decideConcat(target, sources, clock.millis()), request);
      }
    });
  }

  @Override
  public void createSnapshot(String path, String snapshotName) throws GfsException {
    HandlerGuard.call("createSnapshot", () -> {
      check((a, c) -> a.owner(c, path)); // issue 7 (before the service takes its locks)
      leases.snapshots().create(path, snapshotName, requestKey()); // issue 4: retry cache
      return null;
    });
  }

  @Override
  public void deleteSnapshot(String path, String snapshotName) throws GfsException {
    HandlerGuard.call("deleteSnapshot", () -> {
      check((a, c) -> a.owner(c, path)); // issue 7 (before the service takes its locks)
      leases.snapshots().delete(path, snapshotName, requestKey()); // issue 4: retry cache
      return null;
    });
  }

  @Override
  public void renameSnapshot(String path, String oldName, String newName) throws GfsException {
    HandlerGuard.call("renameSnapshot", () -> {
      check((a, c) -> a.owner(c, path)); // issue 7 (before the service takes its locks)
      leases.snapshots().rename(path, oldName, newName, requestKey()); // issue 4: retry cache
      return null;
    });
  }

  @Override
  public List<String> listSnapshots(String path) throws GfsException {
    return HandlerGuard.call("listSnapshots", () -> {
      check((a, c) -> a.list(c, path)); // issue 7
      return leases.snapshots().list(path);
    });
  }

  @Override
  public void setPolicy(String path, int replication, long gcRetentionMillis) throws GfsException {
    HandlerGuard.call("setPolicy", () -> {
      RetryCache.Key request = requestKey();
      try (LockTable.Held locks = state.lockWrite(path)) {
        check((a, c) -> a.write(c, path)); // issue 7
        if (state.retried(request, clock.millis()).isPresent()) {
          return true; // issue 4: set by this very call (its reply was lost); not logged twice
        }
        return commit(state.decideSetPolicy(path, replication, gcRetentionMillis), request);
      }
    });
  }

  @Override
  public DirectoryPolicy getPolicy(String path) throws GfsException {
    return HandlerGuard.call("getPolicy", () -> {
      try (LockTable.Held locks = state.lockRead(path)) {
        check((a, c) -> a.lookup(c, path)); // issue 7
        Policy p = state.policy(path);
        return new DirectoryPolicy(p.path(), p.replication(), p.gcRetentionMillis(), p.effectiveReplication(),
            p.effectiveGcRetentionMillis());
      }
    });
  }

  /** Logs and applies a decided record; returns the command's answer. */
  private boolean commit(Decision decision) throws IOException {
    return commit(decision, null);
  }

  /**
   * Issue 4: the record goes into the log together with the call's request id (when the client sent one), so the
   * retry cache learns the call in the same apply that makes its change, here and on every replica.
   */
  private boolean commit(Decision decision, RetryCache.Key request) throws IOException {
    decision.orThrow();
    if (decision.record().isPresent()) {
      LogRecord record = decision.record().get();
      journal.commit(request == null ? record : new LogRecord.Requested(request, clock.millis(), record));
    }
    return decision.answer();
  }

  /** Issue 4: the request id the client sent with the call being served (null: none), as a retry cache key. */
  private static RetryCache.Key requestKey() {
    io.gfs.ha.RequestId id = io.gfs.ha.RequestIdProcessor.current();
    return id == null ? null : new RetryCache.Key(id.clientIdHigh(), id.clientIdLow(), id.callId());
  }
}
