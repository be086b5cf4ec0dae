package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.ChunkServerState;
import io.gfs.chunkserver.store.ChunkStore;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.security.AccessKey;
import io.gfs.common.security.TokenVerifier;
import io.gfs.thrift.gen.ChunkReport;
import io.gfs.thrift.gen.ShadowReport;
import io.gfs.thrift.gen.ShadowReportReply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the cluster's shadow masters which chunks this server holds [0123], so that a shadow can locate data while
 * the active master is down. Per shadow: a full report on first contact and whenever the shadow's incarnation changes
 * or it refuses a delta; otherwise only the chunks added or changed (version or length) and the handles gone since
 * the report it acknowledged. Runs on its own thread at the heartbeat interval, so a slow or dead shadow never delays
 * the master's heartbeats. A shadow's reply is bookkeeping: nothing in it is an order, and the only thing taken from it
 * are its READ keys, which go to a verifier the chunkserver consults for reads only.
 */
final class ShadowReporter implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ShadowReporter.class);
  /** How many rounds a shadow list is used before ZooKeeper is asked again. */
  static final int SHADOW_LIST_ROUNDS = 5;

  private final String serverId;
  private final HostPort advertised;
  private final String rack;
  private final ChunkReports chunkSource;
  private final RpcClients rpc;
  private final MasterLocator locator;
  private final LongSupplier intervalMillis;
  private final TokenVerifier readKeys;
  private final Map<HostPort, Stream> streams = new HashMap<>();
  private final Object wakeup = new Object();
  private volatile boolean stopped;
  private volatile long reportsSent;
  private volatile long fullReportsSent;

  /** What one shadow acknowledged: its incarnation, the sequence to base the next delta on, and what it holds. */
  private static final class Stream {
    long incarnation;
    long sequence = -1; // -1: the next report is full
    Map<Long, ChunkReport> acknowledged = new HashMap<>();
  }

  ShadowReporter(String serverId, HostPort advertised, String rack, ChunkReports chunkSource,
      RpcClients rpc, MasterLocator locator, LongSupplier intervalMillis, TokenVerifier readKeys) {
    this.serverId = serverId;
    this.advertised = advertised;
    this.rack = rack;
    this.chunkSource = chunkSource;
    this.rpc = rpc;
    this.locator = locator;
    this.intervalMillis = intervalMillis;
    this.readKeys = readKeys;
  }

  @Override
  public void run() {
    List<HostPort> shadows = List.of();
    for (long round = 0; !stopped; round++) {
      if (round % SHADOW_LIST_ROUNDS == 0) {
        try {
          shadows = locator.shadows();
          streams.keySet().retainAll(shadows); // a shadow that left starts over with a full report if it returns
        } catch (Exception e) {
          LOG.debug("cannot list the shadow masters: {}", e.toString());
        }
      }
      for (HostPort shadow : shadows) {
        if (stopped) {
          return;
        }
        reportTo(shadow);
      }
      pause(intervalMillis.getAsLong());
    }
  }

  /** One report to one shadow; failures are logged once per streak and answered with a full report next time. */
  void reportTo(HostPort shadow) {
    Stream stream = streams.computeIfAbsent(shadow, s -> new Stream());
    try {
      ChunkReports.Snapshot now = chunkSource.snapshot();
      Map<Long, ChunkReport> current = new HashMap<>();
      for (ChunkReport chunk : now.chunks()) {
        current.put(chunk.getHandle(), chunk);
      }
      boolean full = stream.sequence < 0;
      List<ChunkReport> changed = new ArrayList<>();
      List<Long> removed = new ArrayList<>();
      if (full) {
        changed.addAll(current.values());
      } else {
        current.forEach((handle, chunk) -> {
          if (!chunk.equals(stream.acknowledged.get(handle))) {
            changed.add(chunk);
          }
        });
        stream.acknowledged.keySet().forEach(handle -> {
          if (!current.containsKey(handle)) {
            removed.add(handle);
          }
        });
      }
      ShadowReport report = new ShadowReport(serverId, RpcErrors.toThrift(advertised), now.capacityBytes(),
          now.usedBytes(), full, full ? 0 : stream.incarnation, full ? 0 : stream.sequence, changed, removed);
      report.setRack(rack);
      ShadowReportReply reply;
      try {
        reply = rpc.master(shadow, c -> c.reportToShadow(report));
      } catch (org.apache.thrift.transport.TTransportException e) {
        rpc.forget(shadow);
        throw e;
      }
      reportsSent++;
      if (full) {
        fullReportsSent++;
      }
      accepted(stream, reply, current);
    } catch (Exception e) {
      if (stream.sequence >= 0 || stream.incarnation != 0) {
        LOG.info("report to shadow master {} failed ({}); the next one is full", shadow, e.toString());
      }
      stream.sequence = -1;
      stream.incarnation = 0;
      stream.acknowledged = new HashMap<>();
    }
  }

  private void accepted(Stream stream, ShadowReportReply reply, Map<Long, ChunkReport> sent) {
    if (reply.getSequence() < 0) {
      stream.sequence = -1; // the shadow restarted or missed a delta: everything again next time
      stream.acknowledged = new HashMap<>();
    } else {
      stream.incarnation = reply.getShadowIncarnation();
      stream.sequence = reply.getSequence();
      stream.acknowledged = sent;
      if (reply.isSetUnplacedChunks()) {
        reply.getUnplacedChunks().forEach(stream.acknowledged::remove); // sent again in the next delta
      }
    }
    if (readKeys != null && reply.isSetReadKeys()) {
      List<AccessKey> keys = new ArrayList<>();
      for (io.gfs.thrift.gen.AccessKey key : reply.getReadKeys()) {
        try {
          keys.add(new AccessKey(key.getKeyId(), key.getSecret(), key.getExpiresMillis()));
        } catch (IllegalArgumentException e) {
          LOG.warn("ignored a malformed read key from a shadow master: {}", e.getMessage());
        }
      }
      readKeys.accept(keys, System.currentTimeMillis()); // key expiry is on the shadow's wall clock
    }
  }

  /** Reports sent and acknowledged, and how many of them were full; for tests and status. */
  long reportsSent() {
    return reportsSent;
  }

  long fullReportsSent() {
    return fullReportsSent;
  }

  private void pause(long millis) {
    synchronized (wakeup) {
      if (stopped) {
        return;
      }
      try {
        wakeup.wait(Math.max(1, millis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
      }
    }
  }

  void stop() {
    stopped = true;
    synchronized (wakeup) {
      wakeup.notifyAll();
    }
  }
}
