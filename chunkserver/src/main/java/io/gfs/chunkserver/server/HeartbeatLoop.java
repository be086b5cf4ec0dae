package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.store.ChunkStore;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.HeartbeatReply;
import io.gfs.thrift.gen.HeartbeatRequest;
import io.gfs.thrift.gen.LeaseExtension;
import java.io.IOException;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunkserver's side of the master conversation [0048, 0076, 0093]: every heartbeat interval, the full chunk
 * report, capacity, lease extension requests and corrupt replicas; from the reply, chunks to delete, lease extensions
 * and the interval to use. The first heartbeat registers the server. When the master cannot be reached the loop keeps
 * trying with a bounded backoff, looking the master up again each time; it never gives up.
 */
final class HeartbeatLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatLoop.class);
  static final long INTERVAL_MILLIS_INITIAL = 1000;
  static final long INTERVAL_MILLIS_MIN = 100;
  static final long INTERVAL_MILLIS_MAX = 600_000;
  static final long RETRY_MILLIS_FIRST = 100;
  static final long RETRY_MILLIS_MAX = 2000;

  private final EpochFence fence;
  private final ChunkReports reports;
  /** Issue 4: reports to the shadow masters, on their own thread; null until {@link #reportToShadows}. */
  private volatile ShadowReporter shadowReporter;
  private Thread shadowThread;
  private final String serverId;
  private final HostPort advertised;
  private final String rack;
  private final ChunkServerState state;
  private final ChunkOperations operations;
  private final RpcClients rpc;
  private final MasterLocator locator;
  private final LongSupplier clock;
  private final Object wakeup = new Object();
  private volatile boolean stopped;
  private volatile long intervalMillis = INTERVAL_MILLIS_INITIAL;
  private volatile long heartbeatsSent;
  /** Issue 8: host:port of this server's status page, announced in every heartbeat; null when off. */
  private volatile String httpAddress;
  /** Where the access keys of each reply go (issue 7); null: tokens are not checked here. */
  private volatile io.gfs.common.security.TokenVerifier accessKeys;

  HeartbeatLoop(String serverId, HostPort advertised, String rack, long capacityBytesConfigured,
      ChunkServerState state, ChunkStore store, ChunkOperations operations, RpcClients rpc, MasterLocator locator,
      LongSupplier clock) {
    this(serverId, advertised, rack, capacityBytesConfigured, state, store, operations, rpc, locator, clock,
        EpochFence.inMemory());
  }

  HeartbeatLoop(String serverId, HostPort advertised, String rack, long capacityBytesConfigured,
      ChunkServerState state, ChunkStore store, ChunkOperations operations, RpcClients rpc, MasterLocator locator,
      LongSupplier clock, EpochFence fence) {
    this.fence = fence;
    this.reports = new ChunkReports(state, store, capacityBytesConfigured);
    this.serverId = serverId;
    this.advertised = advertised;
    this.rack = rack;
    this.state = state;
    this.operations = operations;
    this.rpc = rpc;
    this.locator = locator;
    this.clock = clock;
  }

  @Override
  public void run() {
    ShadowReporter shadows = shadowReporter;
    if (shadows != null) {
      synchronized (wakeup) {
        if (!stopped) {
          shadowThread = new Thread(shadows, Thread.currentThread().getName() + "-shadows");
          shadowThread.setDaemon(true);
          shadowThread.start();
        }
      }
    }
    int failures = 0;
    while (!stopped) {
      long pauseMillis;
      try {
        beat();
        if (failures > 0) {
          LOG.info("heartbeats to the master ({}) work again after {} failures", locator, failures);
        }
        failures = 0;
        pauseMillis = intervalMillis;
      } catch (Exception e) {
        if (stopped) {
          return;
        }
        failures++;
        // Log the first failure and then every 30th, so a long master outage does not flood the log.
        if (failures == 1 || failures % 30 == 0) {
          LOG.warn("heartbeat to the master ({}) failed ({} in a row): {}", locator, failures, e.toString());
        }
        locator.invalidate();
        pauseMillis = Math.min(RETRY_MILLIS_MAX, RETRY_MILLIS_FIRST << Math.min(failures - 1, 10));
      }
      pause(pauseMillis);
    }
  }

  /** Sends one heartbeat now and applies the reply; throws if the master could not be reached or refused it. */
  void beat() throws Exception {
    HostPort master = locator.master();
    List<Long> extensions = state.leaseExtensionRequests();
    HeartbeatRequest request = request(extensions);
    HeartbeatReply reply;
    try {
      reply = rpc.master(master, c -> c.heartbeat(request));
    } catch (org.apache.thrift.transport.TTransportException e) {
      rpc.forget(master);
      throw e;
    }
    heartbeatsSent++;
    state.leaseExtensionsRequested(extensions);
    apply(reply);
  }

  /** The heartbeat to send now. */
  HeartbeatRequest request(List<Long> leaseExtensionRequests) throws IOException {
    ChunkReports.Snapshot now = reports.snapshot();
    HeartbeatRequest request = new HeartbeatRequest(serverId, RpcErrors.toThrift(advertised), now.capacityBytes(),
        now.usedBytes(), now.chunks(), leaseExtensionRequests, now.corruptChunks());
    request.setRack(rack);
    String web = httpAddress;
    if (web != null) {
      request.setHttpAddress(web);
    }
    return request;
  }

  /** Issue 8 hook: announce the status page at host:port from the next heartbeat on. */
  void advertiseWeb(String hostPort) {
    this.httpAddress = hostPort;
  }

  /** Hands the access keys of every admitted reply to verifier, with the wall clock to judge their expiry. */
  void acceptKeysInto(io.gfs.common.security.TokenVerifier verifier) {
    this.accessKeys = verifier;
  }

  /** Carries out the master's instructions. */
  void apply(HeartbeatReply reply) {
    // A deposed master (lower epoch than one already obeyed) may still answer heartbeats sent to it before the alias
    // moved: its deletes and lease extensions are ignored (issue 4). Only the interval is harmless to adopt.
    if (!fence.tryAdmit(reply.isSetEpoch() ? reply.getEpoch() : 0, "heartbeat reply")) {
      locator.invalidate(); // look the active master up again
      return;
    }
    io.gfs.common.security.TokenVerifier verifier = accessKeys;
    if (verifier != null && reply.isSetAccessKeys()) {
      List<io.gfs.common.security.AccessKey> keys = new java.util.ArrayList<>();
      for (io.gfs.thrift.gen.AccessKey key : reply.getAccessKeys()) {
        try {
          keys.add(new io.gfs.common.security.AccessKey(key.getKeyId(), key.getSecret(), key.getExpiresMillis()));
        } catch (IllegalArgumentException e) {
          LOG.warn("ignored a malformed access key from the master: {}", e.getMessage());
        }
      }
      verifier.accept(keys, System.currentTimeMillis()); // key expiry is on the master's wall clock
    }
    if (reply.isSetDeleteChunks()) {
      for (long handle : reply.getDeleteChunks()) {
        try {
          operations.delete(handle);
          LOG.info("deleted chunk {} as the master asked", handle);
        } catch (Exception e) {
          LOG.warn("cannot delete chunk {}: {}", handle, e.toString());
        }
      }
    }
    if (reply.isSetLeaseExtensions()) {
      long now = clock.getAsLong();
      for (LeaseExtension extension : reply.getLeaseExtensions()) {
        if (!state.extendLease(extension.getHandle(), extension.getVersion(), extension.getLeaseDurationMillis(),
            now)) {
          LOG.debug("ignored a lease extension for chunk {} version {}", extension.getHandle(),
              extension.getVersion());
        }
      }
    }
    long interval = reply.getHeartbeatIntervalMillis();
    if (interval > 0) {
      intervalMillis = Math.max(INTERVAL_MILLIS_MIN, Math.min(INTERVAL_MILLIS_MAX, interval));
    }
  }

  private void pause(long millis) {
    synchronized (wakeup) {
      if (stopped) {
        return;
      }
      try {
        wakeup.wait(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
      }
    }
  }

  /** Heartbeats the master acknowledged so far; for tests and status. */
  long heartbeatsSent() {
    return heartbeatsSent;
  }

  long intervalMillis() {
    return intervalMillis;
  }

  void stop() {
    stopped = true;
    Thread shadows;
    synchronized (wakeup) {
      wakeup.notifyAll();
      shadows = shadowThread;
    }
    ShadowReporter reporter = shadowReporter;
    if (reporter != null) {
      reporter.stop();
    }
    if (shadows != null) {
      shadows.interrupt();
      try {
        shadows.join(2_000); // daemon: a report stuck on a paused shadow ends with its call timeout
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Issue 4: from the next start of this loop on, also report chunks to the cluster's shadow masters [0123] (at this
   * loop's interval, on a thread of their own); the READ keys their replies carry go to readKeys, which the server
   * consults for reads only.
   */
  void reportToShadows(io.gfs.common.security.TokenVerifier readKeys) {
    shadowReporter = new ShadowReporter(serverId, advertised, rack, reports, rpc, locator, this::intervalMillis,
        readKeys);
  }

  /** The shadow reporter, or null when shadows are not reported to; for tests. */
  ShadowReporter shadowReporter() {
    return shadowReporter;
  }
}
