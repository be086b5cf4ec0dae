package io.gfs.master.server;

import io.gfs.master.state.Decision;
import io.gfs.master.state.LockTable;
import io.gfs.master.state.MasterState;
import java.io.IOException;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespace scan's purge [0076]: finds deleted (hidden) entries past the retention and purges each with a DELETE
 * record, decided again under the entry's own write lock (it may have been undeleted since the walk). Their chunks
 * leave the chunk table, and the chunkservers holding them are told to delete them in their next heartbeat reply.
 */
final class GarbageCollector {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
  /** Purges per scan at most, so one scan cannot hold the timer thread for long; the rest wait for the next. */
  static final int PURGES_PER_SCAN_MAX = 10_000;

  private final MasterState state;
  private final Journal journal;
  private final InstantSource clock;

  GarbageCollector(MasterState state, Journal journal, InstantSource clock) {
    this.state = state;
    this.journal = journal;
    this.clock = clock;
  }

  /** One scan; returns how many entries it purged. A failed purge is logged and retried by the next scan. */
  int scan() {
    int purged = 0;
    for (String path : state.expiredDeleted(clock.millis(), PURGES_PER_SCAN_MAX)) {
      try (LockTable.Held locks = state.lockWrite(path)) {
        Decision decision = state.decidePurge(path, clock.millis());
        if (decision.record().isPresent()) {
          journal.commit(decision.record().get());
          purged++;
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("purging deleted {} failed (retried next scan): {}", path, e.toString());
        if (journal.failure() != null) {
          break; // the log is broken: nothing more can be purged
        }
      }
    }
    if (purged > 0) {
      LOG.info("garbage collection purged {} deleted entries past their retention", purged);
    }
    return purged;
  }
}
