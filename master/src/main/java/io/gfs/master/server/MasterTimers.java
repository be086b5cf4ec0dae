package io.gfs.master.server;

import io.gfs.master.state.MasterState;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's periodic work: forget chunkservers that stopped heartbeating (their replicas leave the locations, their
 * leases end), drop expired leases, log the chunk lengths learned from reports, start a checkpoint when enough records
 * accumulated, run the namespace scan that purges deleted entries past their retention, and start re-replication
 * clones. State methods take the time; this class reads the clock.
 */
final class MasterTimers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterTimers.class);
  /** How long close waits for a running task (a commit waits for one fsync, or replicas' acks) before interrupting. */
  static final long CLOSE_WAIT_MILLIS = 5_000;

  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gfs-master-timers");
    t.setDaemon(true);
    return t;
  });

  MasterTimers(MasterState state, Journal journal, InstantSource clock, MasterConfig config,
      GarbageCollector garbage, Replicator replicator, AccessTimes accessTimes) {
    ChunkLengthLog lengths = new ChunkLengthLog(state, journal);
    long periodMillis = Math.max(50, Math.min(1000, config.chunkServerDeadAfterMillis() / 4));
    executor.scheduleWithFixedDelay(() -> {
      try {
        List<String> dead = state.tick(clock.millis());
        if (!dead.isEmpty()) {
          LOG.warn("chunkservers {} silent for {} ms: taken as down", dead, config.chunkServerDeadAfterMillis());
          replicator.scan(); // their chunks are under-replicated now: start cloning without waiting for the scan
        }
        lengths.flush();
        journal.checkpointIfDue();
      } catch (RuntimeException e) {
        LOG.error("master timer task failed", e); // keep the timer alive: a thrown task would cancel it
      }
    }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    executor.scheduleWithFixedDelay(() -> {
      try {
        garbage.scan();
      } catch (RuntimeException e) {
        LOG.error("garbage collection scan failed", e);
      }
    }, config.gcScanIntervalMillis(), config.gcScanIntervalMillis(), TimeUnit.MILLISECONDS);
    executor.scheduleWithFixedDelay(() -> {
      try {
        replicator.scan();
      } catch (RuntimeException e) {
        LOG.error("re-replication scan failed", e);
      }
    }, config.replicationScanIntervalMillis(), config.replicationScanIntervalMillis(), TimeUnit.MILLISECONDS);
    if (accessTimes.precisionMillis() > 0) {
      long flushMillis = Math.max(100, Math.min(60_000, accessTimes.precisionMillis()));
      executor.scheduleWithFixedDelay(() -> {
        try {
          accessTimes.flush();
        } catch (RuntimeException e) {
          LOG.error("access time flush failed", e);
        }
      }, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Lets a running task end first: interrupting one in the middle of a journal commit (chunk lengths, a purge, access
   * times) would fail the commit and break the journal, which reads as a metadata failure at every clean shutdown.
   */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
