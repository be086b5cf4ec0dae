package io.gfs.master.server;

import io.gfs.common.GfsConfig;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.DiagnosticLog;
import io.gfs.common.rpc.RpcServer;
import io.gfs.master.oplog.OpLog;
import io.gfs.master.oplog.Recovery;
import io.gfs.master.state.MasterState;
import io.gfs.thrift.gen.MasterService;
import io.gfs.zk.CanonicalName;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
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

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private MasterState state;
  private Journal journal;
  private RpcServer rpcServer;
  private HostPort address;
  private MasterConfig config;

  private MasterServer() {}

  /** Recovers from gfs.master.meta.dir, serves on gfs.master.host:gfs.master.port, registers the alias. */
  public static MasterServer start(GfsConfig config) throws IOException {
    return start(config, InstantSource.system());
  }

  public static MasterServer start(GfsConfig config, InstantSource clock) throws IOException {
    MasterServer server = new MasterServer();
    try {
      server.startUp(MasterConfig.from(config), clock, DiagnosticLog.Settings.from(config));
      return server;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void startUp(MasterConfig config, InstantSource clock, DiagnosticLog.Settings diagnostics)
      throws IOException {
    this.config = config;
    Files.createDirectories(config.metaDir());
    lockMetaDir(config.metaDir());
    state = new MasterState(config.stateSettings(), new SplittableRandom());
    Recovery.Result recovered;
    try {
      recovered = Recovery.recover(config.metaDir(), state::restore, entry -> state.apply(entry.record()));
    } catch (IllegalStateException e) {
      throw new IOException("cannot recover the master's metadata in " + config.metaDir() + ": " + e.getMessage(), e);
    }
    OpLog log = OpLog.open(config.metaDir(), recovered.lastSequence(), OpLog.SyncHook.NONE);
    journal = new Journal(state, log, config.metaDir(), config.checkpointRecords(), config.checkpointsKept(),
        recovered.checkpointSequence(), recovered.replayedRecords());
    resources.push(journal);
    // A grant holds the file's lock while it calls chunkservers: do not wait a full call timeout on a dead one.
    RpcClients rpc = new RpcClients(config.rpcLimits().withCallTimeoutMillis(
        Math.min(config.rpcLimits().callTimeoutMillis(), GRANT_CALL_TIMEOUT_MILLIS_MAX)));
    resources.push(rpc);
    ExecutorService rpcPool = Executors.newFixedThreadPool(GRANT_RPC_THREADS, daemonThreads("gfs-master-grant"));
    resources.push(rpcPool::shutdownNow);
    LeaseGranter granter = new LeaseGranter(state, journal, rpc, rpcPool, clock, config.leaseDurationMillis());
    MasterHandler handler = new MasterHandler(state, journal, granter, clock, config);
    rpcServer = RpcServer.start("master", config.bind(), new MasterService.Processor<>(handler), config.rpcLimits(),
        diagnostics);
    resources.push(rpcServer);
    address = new HostPort(config.bind().host(), rpcServer.port());
    // Clones last about chunk size / clone rate: their calls get the full RPC timeout, not the grant's cap.
    RpcClients cloneRpc = new RpcClients(config.rpcLimits());
    resources.push(cloneRpc);
    ExecutorService clonePool = Executors.newFixedThreadPool(config.replicationClonesMax(),
        daemonThreads("gfs-master-clone"));
    resources.push(clonePool::shutdownNow);
    Replicator replicator = new Replicator(state, cloneRpc, clonePool, clock, config.replicationClonesMax(),
        config.replicationClonesPerServerMax(), config.chunkServerDeadAfterMillis());
    MasterTimers timers = new MasterTimers(state, journal, clock, config, new GarbageCollector(state, journal, clock),
        replicator);
    resources.push(timers);
    registerAlias(config);
    LOG.info("master of cluster '{}' serving on {} (recovered to sequence {}, {} files)", config.clusterName(),
        address, recovered.lastSequence(), state.fileCount());
  }

  private void lockMetaDir(Path dir) throws IOException {
    FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("metadata directory " + dir + " is in use by another master");
    }
    resources.push(channel); // closing the channel releases the lock
  }

  private void registerAlias(MasterConfig config) throws IOException {
    if (config.zookeeperConnect().isEmpty()) {
      return;
    }
    CuratorFramework zk = CanonicalName.connect(config.zookeeperConnect(), config.zookeeperSessionTimeoutMillis());
    resources.push(zk);
    CanonicalName alias = CanonicalName.register(zk, config.zookeeperRoot(), config.clusterName(), address);
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
  public void close() {
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
