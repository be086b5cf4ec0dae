package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.state.PushBuffer;
import io.gfs.chunkserver.state.ScrubSchedule;
import io.gfs.chunkserver.state.Throttle;
import io.gfs.chunkserver.store.ChunkStore;
import io.gfs.chunkserver.store.FileChunkStore;
import io.gfs.chunkserver.store.ServerIdFile;
import io.gfs.chunkserver.store.StoredChunk;
import io.gfs.common.GfsConfig;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.DiagnosticLog;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcServer;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.HeartbeatRequest;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running chunkserver: its chunk store, its state, the RPC service and the heartbeat thread, wired together. Holds
 * no static state, so tests start several in one JVM.
 */
public final class ChunkServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkServer.class);
  /** Threads forwarding pushed pieces, and threads sending mutations to secondaries; idle ones exit. */
  static final int FORWARD_THREADS_MAX = 64;
  static final int FANOUT_THREADS_MAX = 64;
  /** A forwarder or fan-out thread idle this long ends. */
  private static final long POOL_IDLE_MILLIS = 30_000;

  private final String serverId;
  private final ChunkStore store;
  /** Issue 8: the store with meters on it (bytes, checksum failures, errors); every component gets this one. */
  private final io.gfs.chunkserver.web.MeteredChunkStore meteredStore;
  private final ChunkServerSettings settings;
  private io.gfs.chunkserver.web.ChunkServerWeb web;
  private final ChunkServerState state;
  private final PushBuffer pushBuffer;
  private final DataPipeline pipeline;
  private final RpcClients rpc;
  private final RecentFirstPool forwarders;
  private final RecentFirstPool fanoutThreads;
  private final ScheduledExecutorService housekeeping;
  private final MasterLocator locator;
  /** Record-append groups' length reports, on connections of their own with a short call timeout (issue 6). */
  private MasterLengthReports lengthReports;
  /** Refuses instructions from deposed masters (issue 4); persisted beside server-id for a file store. */
  private EpochFence fence = EpochFence.inMemory();
  private RpcServer server;
  private volatile HostPort address;
  private HeartbeatLoop heartbeats;
  private Thread heartbeatThread;
  private Scrubber scrubber;
  private Thread scrubberThread;
  private boolean closed;

  private ChunkServer(ChunkServerSettings settings, ChunkStore store, String serverId, LongSupplier clock) {
    this.serverId = serverId;
    this.meteredStore = new io.gfs.chunkserver.web.MeteredChunkStore(store); // issue 8 hook
    this.store = meteredStore;
    this.settings = settings;
    this.state = new ChunkServerState();
    this.pushBuffer = new PushBuffer(settings.pushBufferBytesMax(), settings.pushBufferTtlMillis());
    this.rpc = new RpcClients(settings.rpcLimits());
    this.forwarders = new RecentFirstPool(serverId + "-forward", FORWARD_THREADS_MAX, POOL_IDLE_MILLIS);
    this.fanoutThreads = new RecentFirstPool(serverId + "-fanout", FANOUT_THREADS_MAX, POOL_IDLE_MILLIS);
    this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, serverId + "-housekeeping"));
    this.pipeline = new DataPipeline(pushBuffer, rpc, forwarders, clock, settings.rpcLimits().callTimeoutMillis());
    this.locator = MasterLocator.of(settings);
  }

  /**
   * Opens the data directories, loads the chunks there, serves RPC on gfs.chunkserver.host:port (port 0 picks a free
   * one) and starts heartbeating to the master.
   */
  public static ChunkServer start(GfsConfig config) throws IOException {
    ChunkServerSettings settings = ChunkServerSettings.from(config);
    FileChunkStore store = new FileChunkStore(settings.dataDirs());
    String serverId = ServerIdFile.loadOrCreate(settings.dataDirs().get(0), new SecureRandom().nextLong());
    ChunkServer cs = start(settings, store, serverId, ChunkServer::monotonicMillis);
    try {
      cs.startWeb(config); // issue 8 hook: status page and /metrics
    } catch (IOException | RuntimeException e) {
      cs.close();
      throw e;
    }
    return cs;
  }

  /** Issue 8 hook: the status page and /metrics on gfs.chunkserver.http.address, announced in heartbeats. */
  private synchronized void startWeb(GfsConfig config) throws IOException {
    web = io.gfs.chunkserver.web.ChunkServerWeb.start(config, serverId, this::vitals, meteredStore,
        server.diagnostics());
    if (web != null) {
      heartbeats.advertiseWeb(web.advertisedAddress(address.host()));
    }
  }

  /** This server's numbers for its status page and /metrics. */
  private io.gfs.chunkserver.web.ChunkServerVitals vitals() {
    int corrupt = 0;
    int leases = 0;
    long now = monotonicMillis();
    java.util.List<io.gfs.chunkserver.state.ReplicaView> replicas = state.replicas();
    for (io.gfs.chunkserver.state.ReplicaView replica : replicas) {
      corrupt += replica.corrupt() ? 1 : 0;
      leases += state.leaseExpiryMillis(replica.handle()).orElse(Long.MIN_VALUE) > now ? 1 : 0;
    }
    long used = store.usedBytes();
    long capacity = settings.capacityBytes();
    if (capacity <= 0) {
      try {
        capacity = store.availableBytes() + used;
      } catch (IOException e) {
        capacity = used;
      }
    }
    Scrubber s = scrubber;
    return new io.gfs.chunkserver.web.ChunkServerVitals(serverId, String.valueOf(address), settings.rack(), capacity,
        used, replicas.size(), corrupt, leases, heartbeatsSent(), s != null, s == null ? 0 : s.chunksVerified(),
        s == null ? 0 : s.bytesVerified(), s == null ? 0 : s.corruptFound(), pushBuffer.reservedBytes());
  }

  /** Where the status page and /metrics are (the real port when 0 was configured); null when they are off. */
  public synchronized HostPort httpAddress() {
    return web == null ? null : web.address();
  }

  /** Starts on a given store and clock; for tests with an in-memory store. */
  static ChunkServer start(ChunkServerSettings settings, ChunkStore store, String serverId, LongSupplier clock)
      throws IOException {
    return start(settings, store, serverId, clock, Sleeper.REAL);
  }

  /** Starts on a given store, clock and way of waiting (for throttled clones and scrubbing); for tests. */
  static ChunkServer start(ChunkServerSettings settings, ChunkStore store, String serverId, LongSupplier clock,
      Sleeper sleeper) throws IOException {
    ChunkServer cs = new ChunkServer(settings, store, serverId, clock);
    try {
      cs.open(settings, clock, sleeper);
      return cs;
    } catch (IOException | RuntimeException e) {
      cs.close();
      throw e;
    }
  }

  private void open(ChunkServerSettings settings, LongSupplier clock, Sleeper sleeper) throws IOException {
    // The store on disk (under its metering wrapper) keeps the fence's epoch beside it, so a restart still refuses
    // a deposed master.
    if (meteredStore.unmetered() instanceof FileChunkStore) {
      fence = EpochFence.open(settings.dataDirs().get(0));
    }
    int corrupt = 0;
    for (StoredChunk chunk : store.load()) {
      if (chunk.corrupt()) {
        state.loadedCorrupt(chunk.handle());
        corrupt++;
      } else {
        state.loaded(chunk.handle(), chunk.version());
      }
    }
    LOG.info("chunkserver {}: {} chunks loaded from {}, {} of them corrupt", serverId, state.replicas().size(),
        settings.dataDirs(), corrupt);
    ChunkLocks locks = new ChunkLocks(settings.rpcLimits().callTimeoutMillis());
    SecondaryFanout fanout = new SecondaryFanout(rpc, fanoutThreads);
    lengthReports = new MasterLengthReports(serverId, settings.rpcLimits(), locator, clock);
    Mutations mutations = new Mutations(state, store, pushBuffer, locks, fanout, clock, this::advertisedAddress,
        lengthReports); // issue 6: one length report per append group
    ChunkOperations operations = new ChunkOperations(state, store, locks, clock);
    ChunkCopies copies = new ChunkCopies(state, store, locks, rpc, clock, sleeper, this::advertisedAddress,
        settings.cloneBytesPerSecond(), settings.clonesMax());
    // Token expiry is on the master's wall clock, not on the monotonic lease clock (issue 7).
    TokenCheck tokens = new TokenCheck(new io.gfs.common.security.TokenVerifier(settings.accessTokensEnabled()),
        System::currentTimeMillis);
    ChunkServiceHandler handler = new ChunkServiceHandler(pipeline, mutations, operations, copies, fence, tokens);
    server = RpcServer.start("chunkserver-" + serverId, settings.bind(), new ChunkServerService.Processor<>(handler),
        settings.rpcLimits(), settings.diagnostics());
    address = new HostPort(settings.bind().host(), server.port());
    long sweepMillis = Math.max(100, Math.min(1000, settings.pushBufferTtlMillis() / 4));
    housekeeping.scheduleWithFixedDelay(() -> sweep(clock), sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    heartbeats = new HeartbeatLoop(serverId, advertisedAddress(), settings.rack(), settings.capacityBytes(), state,
        store, operations, rpc, locator, clock, fence);
    heartbeats.acceptKeysInto(tokens.verifier());
    heartbeats.reportToShadows(tokens.shadowReadKeys()); // issue 4: shadows learn locations [0123]
    heartbeatThread = daemon(heartbeats, serverId + "-heartbeat");
    heartbeatThread.start();
    if (settings.scrubBytesPerSecond() > 0) {
      scrubber = new Scrubber(state, store, new ScrubSchedule(settings.scrubIdleMillis(),
          settings.scrubPeriodMillis()), new Throttle(settings.scrubBytesPerSecond()), clock, sleeper);
      scrubberThread = daemon(scrubber, serverId + "-scrubber");
      scrubberThread.setPriority(Thread.MIN_PRIORITY);
      scrubberThread.start();
    }
  }

  private void sweep(LongSupplier clock) {
    try {
      int dropped = pushBuffer.expire(clock.getAsLong()).size();
      if (dropped > 0) {
        LOG.debug("dropped {} pushed data entries unused for their TTL", dropped);
      }
      pipeline.expireStreams();
    } catch (RuntimeException e) {
      LOG.error("push buffer sweep failed", e);
    }
  }

  /** The address the chunkserver serves on (the bound port when 0 was configured). */
  public HostPort address() {
    return address;
  }

  /**
   * The address the master, clients and other chunkservers know this server by: gfs.chunkserver.advertised.address
   * when set (reached through NAT, a forwarded port or a proxy), else the bound address. Secondaries and clone
   * sources arrive in that form, so "is this me?" compares with it.
   */
  public HostPort advertisedAddress() {
    HostPort advertised = settings.advertisedAddress();
    return advertised != null ? advertised : address;
  }

  /** The stable id persisted in the first data directory. */
  public String serverId() {
    return serverId;
  }

  ChunkServerState state() {
    return state;
  }

  ChunkStore store() {
    return meteredStore.unmetered(); // the store itself: tests reach its files
  }

  PushBuffer pushBuffer() {
    return pushBuffer;
  }

  /** The heartbeat this server would send now; for tests, whose master address leads nowhere. */
  HeartbeatRequest nextHeartbeat() throws IOException {
    return heartbeats.request(state.leaseExtensionRequests());
  }

  /** Every RPC this server handled, the latest in memory [0132-0134]. */
  DiagnosticLog diagnostics() {
    return server.diagnostics();
  }

  /** The scrubber, or null when gfs.chunkserver.scrub.bytes.per.second is 0. */
  Scrubber scrubber() {
    return scrubber;
  }

  long heartbeatsSent() {
    return heartbeats == null ? 0 : heartbeats.heartbeatsSent();
  }

  int openConnections() {
    return server == null ? 0 : server.openConnections();
  }

  /** Stops serving and heartbeating; the chunk files stay where they are. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (web != null) {
      web.close();
    }
    if (heartbeats != null) {
      heartbeats.stop();
      heartbeatThread.interrupt();
      join(heartbeatThread);
    }
    if (scrubber != null) {
      scrubber.stop();
      scrubberThread.interrupt();
      join(scrubberThread);
    }
    if (server != null) {
      server.close();
    }
    housekeeping.shutdownNow();
    forwarders.shutdownNow();
    fanoutThreads.shutdownNow();
    rpc.close();
    if (lengthReports != null) {
      lengthReports.close();
    }
    locator.close();
    store.close();
    LOG.info("chunkserver {} stopped", serverId);
  }

  private static void join(Thread thread) {
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Leases run on this clock: monotonic, so a wall-clock step can neither stretch nor cut a lease. */
  private static long monotonicMillis() {
    return System.nanoTime() / 1_000_000L;
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
