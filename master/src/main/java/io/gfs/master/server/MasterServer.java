package io.gfs.master.server;

import io.gfs.common.GfsConfig;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.DiagnosticLog;
import io.gfs.common.rpc.RpcServer;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.Check;
import io.gfs.master.ha.ActiveElection;
import io.gfs.master.ha.LogReplica;
import io.gfs.master.ha.LogShipper;
import io.gfs.master.ha.ShadowDirectory;
import io.gfs.master.ha.ShadowService;
import io.gfs.master.ha.StandbyService;
import io.gfs.master.ha.MasterTerm;
import io.gfs.master.oplog.OpLog;
import io.gfs.master.oplog.Recovery;
import io.gfs.master.state.LogRecord;
import io.gfs.master.state.MasterState;
import io.gfs.master.web.MasterWeb;
import io.gfs.thrift.gen.MasterService;
import io.gfs.zk.CanonicalName;
import io.gfs.zk.ShadowRegistry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running master: recovered metadata, the op log, the RPC service, the canonical-name alias in ZooKeeper and the
 * timers. Holds no static state, so tests can run several (one after another, or side by side on different meta
 * directories) in one JVM.
 *
 * <p>Leases are not persisted. After a restart the master knows no lease, and every grant bumps the chunk version
 * first; a primary from before the restart may still think it holds a lease, but the secondaries that took the new
 * version refuse its forwarded mutations (STALE_VERSION), so safety rests on versions, not on remembered leases.
 */
public final class MasterServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterServer.class);
  private static final String LOCK_FILE = "master.lock";
  /** Parallel assignVersion calls in flight for lease grants. */
  private static final int GRANT_RPC_THREADS = 16;
  /** Longest wait for one chunkserver's answer to assignVersion. */
  private static final int GRANT_CALL_TIMEOUT_MILLIS_MAX = 15_000;
  /** How often an elected master retries the meta dir lock its predecessor still holds. */
  private static final long META_LOCK_POLL_MILLIS = 100;

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private MasterState state;
  private Journal journal;
  private RpcServer rpcServer;
  private HostPort address;
  private MasterConfig config;
  private GfsConfig securityConfig;
  // HA hooks (issue 4): the ZooKeeper client (shared by election and alias), the term, and the step-down signal.
  private CuratorFramework zk;
  private MasterTerm term = MasterTerm.unelected();
  private OpLog opLog;
  private LogReplica logReplica;
  private final CompletableFuture<String> steppedDown = new CompletableFuture<>();
  /** HA hooks (issue 4): the ACL of the znodes this master creates, and the retry cache's bounds. */
  private io.gfs.zk.ZooKeeperAcl zkAcl = io.gfs.zk.ZooKeeperAcl.OPEN;
  private int retryCacheEntriesMax;
  private long retryCacheExpiryMillis;
  private boolean closed;
  /** Issue 8: the status pages and /metrics (null when gfs.master.http.address is empty). */
  private MasterWeb web;

  private MasterServer() {}

  /** Recovers from gfs.master.meta.dir, serves on gfs.master.host:gfs.master.port, registers the alias. */
  public static MasterServer start(GfsConfig config) throws IOException {
    return start(config, InstantSource.system());
  }

  public static MasterServer start(GfsConfig config, InstantSource clock) throws IOException {
    MasterServer server = new MasterServer();
    try {
      MasterConfig masterConfig = MasterConfig.from(config);
      server.securityConfig = config; // issue 7 hook: permissions and access tokens are read from it at start-up
      server.zkAcl = io.gfs.zk.ZooKeeperAcl.parse(config.getString(GfsConfigKeys.Cluster.ZOOKEEPER_ACL),
          config.getString(GfsConfigKeys.Cluster.ZOOKEEPER_AUTH));
      server.retryCacheEntriesMax = config.getInt(GfsConfigKeys.Master.RETRY_CACHE_ENTRIES_MAX, 1, 100_000_000);
      server.retryCacheExpiryMillis = config.getMillis(GfsConfigKeys.Master.RETRY_CACHE_EXPIRY_MS, 1, 86_400_000);
      server.startWeb(config); // issue 8 hook: up first, so a standby or recovering master shows too
      boolean ha = config.getBoolean(GfsConfigKeys.Master.HA_ENABLED) && !masterConfig.zookeeperConnect().isEmpty();
      List<HostPort> logReplicas = new ArrayList<>();
      config.getList(GfsConfigKeys.Master.LOG_REPLICAS).forEach(r -> logReplicas.add(HostPort.parse(r.trim())));
      LogShipper.Acks acks = LogShipper.Acks.parse(config.getString(GfsConfigKeys.Master.LOG_ACKS_REQUIRED));
      // HA hooks (issue 4). Replicated log: recover and follow the active master's log as a standby until elected.
      // Shared meta dir (no replicas): wait for the election first; the meta dir is locked only by the active master.
      if (config.getBoolean(GfsConfigKeys.Master.SHADOW)) {
        synchronized (server) {
          server.recover(masterConfig);
          server.serveAsShadow(masterConfig, clock); // never elected: follows the log and serves reads
        }
        return server;
      }
      if (ha && !logReplicas.isEmpty()) {
        synchronized (server) {
          server.recover(masterConfig);
        }
        server.followUntilElected(masterConfig, clock); // blocks outside the monitor
      } else {
        if (ha) {
          server.awaitTerm(masterConfig);
        }
        synchronized (server) {
          server.recover(masterConfig);
        }
      }
      synchronized (server) {
        server.startUp(masterConfig, clock, DiagnosticLog.Settings.from(config), logReplicas, acks);
      }
      return server;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void recover(MasterConfig config) throws IOException {
    this.config = config;
    Files.createDirectories(config.metaDir());
    lockMetaDir(config.metaDir());
    term.checkActive(); // HA: do not even recover for a term that already ended
    loadFromDisk(config);
  }

  /** The state from the newest good checkpoint and the log after it; a new journal appending after its last record. */
  private void loadFromDisk(MasterConfig config) throws IOException {
    freshState(config);
    Recovery.Result recovered;
    try {
      // The checkpoint streams into the state (issue 6); one that fails half-way gets a fresh state for the next.
      recovered = Recovery.recoverInto(config.metaDir(), () -> freshState(config).restorer(),
          entry -> state.apply(entry.record()));
    } catch (IllegalStateException e) {
      throw new IOException("cannot recover the master's metadata in " + config.metaDir() + ": " + e.getMessage(), e);
    }
    opLog = OpLog.open(config.metaDir(), recovered.lastSequence(), OpLog.SyncHook.NONE);
    if (web != null) { // issue 8 hook: fsync latency for /metrics; namespace counts for the page
      opLog.onSynced(web::opLogSynced);
      web.recovered(state, "starting");
    }
    journal = new Journal(state, opLog, config.metaDir(), config.checkpointRecords(), config.checkpointsKept(),
        recovered.checkpointSequence(), recovered.replayedRecords());
    resources.push(journal);
    journal.onBroken(e -> stepDown("the metadata journal failed (" + e.getMessage() + "): a master without a working"
        + " log steps down so a standby can take over"));
    LOG.info("recovered {} to sequence {} ({} files)", config.metaDir(), recovered.lastSequence(), state.fileCount());
  }

  private MasterState freshState(MasterConfig config) {
    state = new MasterState(config.stateSettings(), new SplittableRandom());
    state.configureRetryCache(retryCacheEntriesMax, retryCacheExpiryMillis); // HA hook: before replay fills it
    return state;
  }

  /**
   * HA hook (issue 4), replicated log: serves replicateLog as a standby (every other call NOT_MASTER) until elected,
   * then stops the standby service; the active service starts on the same address.
   */
  private void followUntilElected(MasterConfig config, InstantSource clock) throws IOException {
    Check.argument(config.bind().port() != 0, "with gfs.master.log.replicas every master needs a fixed gfs.master.port"
        + " (the others ship their log to it)");
    logReplica = new LogReplica(replicaSink());
    RpcServer standby = StandbyService.start(config.bind(), config.rpcLimits(), logReplica, clock);
    if (web != null) {
      web.recovered(state, "standby"); // issue 8 hook
    }
    try {
      awaitTerm(config);
    } finally {
      standby.close();
    }
    logReplica.becomeActive(term.epoch());
  }

  private LogReplica.Sink replicaSink() {
    return new LogReplica.Sink() {
      @Override
      public long lastSequence() {
        return journal.lastSequence();
      }

      @Override
      public void commit(List<io.gfs.master.oplog.LogEntry> entries) throws IOException {
        journal.commitReplicated(entries);
      }

      @Override
      public List<io.gfs.master.oplog.LogEntry> logged(long fromSequence, int max) throws IOException {
        return io.gfs.master.oplog.LogTail.read(config.metaDir(), fromSequence, max);
      }

      @Override
      public List<io.gfs.master.oplog.EpochTable.Start> epochs() {
        return opLog.epochs().starts();
      }

      @Override
      public void truncateAfter(long lastKeptSequence) throws IOException {
        cutLogBackTo(lastKeptSequence);
      }
    };
  }

  /**
   * HA hook (issue 4): this replica's log holds a suffix the active master's log proves unacknowledged (LogReplica
   * decided); cut it and rebuild the state from disk as a restart would. Only a standby reloads in place: a shadow or an
   * active master serves from its state, so it cuts the log and steps down (a restart then recovers the cut log).
   */
  private synchronized void cutLogBackTo(long lastKeptSequence) throws IOException {
    if (closed) {
      throw new IOException("the master is closing");
    }
    Journal old = journal;
    resources.remove(old);
    old.close();
    long dropped;
    try {
      dropped = io.gfs.master.oplog.LogTruncation.truncateAfter(config.metaDir(), lastKeptSequence);
    } catch (IOException refused) { // a checkpoint covers the suffix: nothing was cut; serve on from the log as it is
      loadFromDisk(config);
      throw refused;
    }
    LOG.warn("op log cut back to sequence {}: {} unacknowledged records dropped", lastKeptSequence, dropped);
    if (rpcServer != null) {
      stepDown("the op log was cut back to sequence " + lastKeptSequence + " (a diverged, unacknowledged suffix): "
          + "restart to recover from it");
      throw new IOException("the op log was cut back; this master restarts");
    }
    loadFromDisk(config);
    if (web != null) {
      web.recovered(state, "standby");
    }
  }

  /**
   * HA hook (issue 4), shadow master [0123-0124]: applies the active master's log stream (not counted for acks) and
   * serves read-only metadata from it; registers under the cluster's shadows znode so the active master feeds it and
   * clients find it.
   */
  private void serveAsShadow(MasterConfig config, InstantSource clock) throws IOException {
    Check.argument(!config.zookeeperConnect().isEmpty(), "a shadow master needs ZooKeeper (gfs.zookeeper.connect)");
    logReplica = new LogReplica(replicaSink());
    RpcClients rpc = new RpcClients(config.rpcLimits());
    resources.push(rpc);
    ExecutorService pool = Executors.newFixedThreadPool(1, daemonThreads("gfs-shadow-unused"));
    resources.push(pool::shutdownNow);
    // The full handler answers the reads; ShadowService lets nothing else through, so it never grants or commits.
    MasterHandler reads = new MasterHandler(state, journal,
        new LeaseGranter(state, journal, rpc, pool, clock, config.leaseDurationMillis()), clock, config);
    // Issue 7 on a shadow: the caller's permissions are checked as on the active master, and chunk locations carry
    // READ tokens signed with this shadow's own keys, which chunkservers learn from its report replies and accept for
    // reads only. Chunkservers' reports give the shadow its locations [0123].
    MasterSecurity security = MasterSecurity.from(securityConfig, state, clock);
    reads.secure(security);
    io.gfs.master.ha.ShadowReports reports = new io.gfs.master.ha.ShadowReports(
        (report, nowMillis) -> state.heartbeat(config.racks().resolve(report), nowMillis), security::publishedKeys,
        GfsConfigKeys.ChunkServer.RACK.defaultValue(), new java.security.SecureRandom());
    rpcServer = ShadowService.start(config.bind(), config.rpcLimits(), logReplica, reads, reports, clock);
    resources.push(rpcServer);
    address = new HostPort(config.bind().host(), rpcServer.port());
    if (web != null) { // issue 8 hook: a shadow's pages show its role and lag as its getClusterStatus does
      reads.webAddresses().master(web.address().toString());
      web.serving("shadow", 0, address, () -> shadowStatus(reads), rpcServer.diagnostics());
    }
    zk = CanonicalName.connect(config.zookeeperConnect(), config.zookeeperSessionTimeoutMillis(), zkAcl);
    resources.push(zk);
    resources.push(ShadowRegistry.register(zk, config.zookeeperRoot(), config.clusterName(), address));
    LOG.info("shadow master of cluster '{}' serving reads on {} (log at sequence {})", config.clusterName(), address,
        journal.lastSequence());
  }

  private void startUp(MasterConfig config, InstantSource clock, DiagnosticLog.Settings diagnostics,
      List<HostPort> logReplicas, LogShipper.Acks acks) throws IOException {
    journal.serveIn(term); // HA hook: commits fail once the term is revoked; grants carry its epoch
    if (!logReplicas.isEmpty() || zk != null) {
      // HA hook: a mutation counts only once the replicas the rule requires flushed it too [0121]; shadows registered
      // in ZooKeeper get the same stream without being waited for [0123].
      RpcClients shipRpc = new RpcClients(config.rpcLimits());
      resources.push(shipRpc);
      LogShipper shipper = new LogShipper(logReplicas, acks, term::epoch, shipRpc,
          config.metaDir(), config.rpcLimits().callTimeoutMillis());
      resources.push(shipper);
      if (zk != null) {
        ShadowDirectory shadows = new ShadowDirectory(zk, config.zookeeperRoot(), config.clusterName());
        resources.push(shadows);
        shipper.feedShadows(shadows);
      }
      shipper.trackEpochs(opLog.epochs()); // batches carry epochs, the probe compares (last epoch, last sequence)
      if (acks == LogShipper.Acks.MAJORITY) {
        shipper.checkNoReplicaAhead(journal.lastSequence()); // else another replica holds records we lack
      }
      opLog.replicateWith(shipper);
    }
    if (term.epoch() > 0) {
      journal.commit(new LogRecord.NewTerm(term.epoch(), clock.millis())); // HA hook: the term starts in the log
    }
    // A grant holds the file's lock while it calls chunkservers: do not wait a full call timeout on a dead one.
    RpcClients rpc = new RpcClients(config.rpcLimits().withCallTimeoutMillis(
        Math.min(config.rpcLimits().callTimeoutMillis(), GRANT_CALL_TIMEOUT_MILLIS_MAX)));
    resources.push(rpc);
    ExecutorService rpcPool = Executors.newFixedThreadPool(GRANT_RPC_THREADS, daemonThreads("gfs-master-grant"));
    resources.push(rpcPool::shutdownNow);
    LeaseGranter granter = new LeaseGranter(state, journal, rpc, rpcPool, clock, config.leaseDurationMillis());
    MasterHandler handler = new MasterHandler(state, journal, granter, clock, config);
    MasterSecurity security = MasterSecurity.from(securityConfig, state, clock); // issue 7 hook
    handler.secure(security);
    granter.secure(security);
    SafeMode safeMode = new SafeMode(); // issue 8 hook: AdminFilter refuses mutations while it is on
    handler.serveLogReplication(logReplica); // HA hook: a deposed master's batches meet STALE_EPOCH here
    // HA hook (issue 4): request ids ride on the message name; the wrapper strips them and shows them to the handler.
    // Issue 7 hook: each call's caller identity rides as an extra argument field; the handler checks permissions for it.
    rpcServer = RpcServer.start("master", config.bind(), io.gfs.common.security.CallerEnvelope.serve(
        new io.gfs.ha.RequestIdProcessor(new MasterService.Processor<>(AdminFilter.wrap(handler, safeMode)))),
        config.rpcLimits(), diagnostics, handler.selectorMethods()); // issue 6: lookups on the selector thread
    resources.push(rpcServer);
    address = new HostPort(config.bind().host(), rpcServer.port());
    if (web != null) { // issue 8 hook: the pages read the same getClusterStatus answer as operators (admin view too)
      handler.webAddresses().master(web.address().toString());
      MasterService.Iface filtered = AdminFilter.wrap(handler, safeMode);
      web.serving("active", term.epoch(), address, () -> status(filtered), rpcServer.diagnostics());
    }
    // Clones last about chunk size / clone rate: their calls get the full RPC timeout, not the grant's cap.
    RpcClients cloneRpc = new RpcClients(config.rpcLimits());
    resources.push(cloneRpc);
    ExecutorService clonePool = Executors.newFixedThreadPool(config.replicationClonesMax(),
        daemonThreads("gfs-master-clone"));
    resources.push(clonePool::shutdownNow);
    Replicator replicator = new Replicator(state, cloneRpc, clonePool, clock, config.replicationClonesMax(),
        config.replicationClonesPerServerMax(), config.chunkServerDeadAfterMillis());
    replicator.serveInEpoch(term.epoch()); // HA hook: clone orders carry the epoch
    replicator.secure(security); // issue 7 hook: and a MASTER access token
    handler.serveAdmin(new MasterAdmin(state, safeMode, replicator, clock)); // issue 8 hook: operator RPCs
    MasterTimers timers = new MasterTimers(state, journal, clock, config, new GarbageCollector(state, journal, clock),
        replicator, handler.accessTimes());
    resources.push(timers);
    registerAlias(config);
    LOG.info("master of cluster '{}' serving on {} in epoch {} (log at sequence {}, {} files)",
        config.clusterName(), address, term.epoch(), journal.lastSequence(), state.fileCount());
  }

  private void lockMetaDir(Path dir) throws IOException {
    FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock = tryLock(channel);
    // HA: a meta dir shared with the previous active master is released when that process dies or steps down; wait
    // for it while this term lasts (a SIGSTOPped holder steps down on SIGCONT, see docs/operations.md).
    while (lock == null && term.epoch() > 0 && term.active()) {
      try {
        Thread.sleep(META_LOCK_POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      lock = tryLock(channel);
    }
    if (lock == null) {
      channel.close();
      throw new IOException("metadata directory " + dir + " is in use by another master");
    }
    resources.push(channel); // closing the channel releases the lock
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  /** HA hook (issue 4): joins the election and blocks until this master leads; its term then fences everything. */
  private void awaitTerm(MasterConfig config) throws IOException {
    zk = CanonicalName.connect(config.zookeeperConnect(), config.zookeeperSessionTimeoutMillis(), zkAcl);
    resources.push(zk);
    String participant = config.bind() + "/pid-" + ProcessHandle.current().pid() + "/" + config.metaDir();
    ActiveElection election = ActiveElection.await(zk, config.zookeeperRoot(), config.clusterName(), participant,
        this::stepDown);
    resources.push(election);
    term = election.term();
  }

  /** The term ended (already revoked, so nothing commits any more): close everything off the ZooKeeper thread. */
  private void stepDown(String reason) {
    LOG.error("master steps down: {}", reason);
    steppedDown.complete(reason);
    Thread closer = new Thread(this::close, "gfs-master-step-down");
    closer.setDaemon(true);
    closer.start();
  }

  /** Completes with the reason when this master lost the election and closed itself (MasterMain then exits). */
  public CompletableFuture<String> steppedDown() {
    return steppedDown;
  }

  /** The ZooKeeper client (null without ZooKeeper); tests expire its session. */
  CuratorFramework zookeeper() {
    return zk;
  }

  /** This master's fencing epoch (0 without election). */
  public long epoch() {
    return term.epoch();
  }

  private void registerAlias(MasterConfig config) throws IOException {
    if (config.zookeeperConnect().isEmpty()) {
      return;
    }
    if (zk == null) {
      zk = CanonicalName.connect(config.zookeeperConnect(), config.zookeeperSessionTimeoutMillis(), zkAcl);
      resources.push(zk);
    }
    // An elected master's alias lives and dies with its term's session: re-created in a later session it would name
    // a deposed master beside the next term's epoch. Without an election it is re-created after a session loss.
    CanonicalName alias = term.epoch() > 0
        ? CanonicalName.registerForTerm(zk, config.zookeeperRoot(), config.clusterName(), address)
        : CanonicalName.register(zk, config.zookeeperRoot(), config.clusterName(), address);
    resources.push(alias);
    LOG.info("registered {} as {} in ZooKeeper {}", address, alias.path(), config.zookeeperConnect());
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Issue 8 hook: starts the status pages and /metrics on gfs.master.http.address (none when it is empty). */
  private void startWeb(GfsConfig config) throws IOException {
    web = MasterWeb.start(config);
    if (web != null) {
      resources.push(web);
    }
  }

  private static io.gfs.thrift.gen.ClusterStatus status(MasterService.Iface service) {
    try {
      return service.getClusterStatus();
    } catch (org.apache.thrift.TException e) {
      throw new IllegalStateException("getClusterStatus: " + e.getMessage(), e);
    }
  }

  private io.gfs.thrift.gen.ClusterStatus shadowStatus(MasterHandler reads) {
    io.gfs.thrift.gen.ClusterStatus status = status(reads);
    status.setRole("shadow");
    status.setLogLagMillis(logReplica.lagMillis());
    return status;
  }

  /** Where the status pages and /metrics are (the real port when 0 was configured); null when they are off. */
  public HostPort httpAddress() {
    return web == null ? null : web.address();
  }

  /** The address clients reach the master at, with the real port when 0 was configured. */
  public HostPort address() {
    return address;
  }

  /** Sequence number of the last logged record. */
  public long lastLogSequence() {
    return journal.lastSequence();
  }

  MasterState state() {
    return state;
  }

  Journal journal() {
    return journal;
  }

  /** Stops in reverse start order: alias first (clients stop finding us), timers, RPC, then the log. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    term.revoke("the master is closing"); // HA: no commit slips in while the services close
    while (!resources.isEmpty()) {
      AutoCloseable resource = resources.pop();
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("closing {}: {}", resource.getClass().getSimpleName(), e.toString());
      }
    }
    if (address != null) {
      LOG.info("master {} stopped", address);
    }
  }
}
