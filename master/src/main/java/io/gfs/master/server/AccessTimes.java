package io.gfs.master.server;

import io.gfs.master.state.Decision;
import io.gfs.master.state.FileStatus;
import io.gfs.master.state.LockTable;
import io.gfs.master.state.LogRecord;
import io.gfs.master.state.MasterState;
import io.gfs.master.state.StateException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access times from reads, cheaply: a read (findChunks) only notes the path and time in memory; {@link #flush}, run
 * by the timers, logs one SET_TIMES per file whose noted read is at least the precision past its stored access time
 * (HDFS's dfs.namenode.accesstime.precision). So a file read a thousand times an hour costs at most one record an hour,
 * and no read ever waits for the log. A crash loses at most the reads noted since the last flush.
 */
final class AccessTimes {
  private static final Logger LOG = LoggerFactory.getLogger(AccessTimes.class);
  /** Paths noted between flushes at most; later reads are not noted until the next flush (memory stays bounded). */
  static final int PENDING_MAX = 100_000;

  private final MasterState state;
  private final Journal journal;
  private final long precisionMillis;
  private final Map<String, Long> pending = new ConcurrentHashMap<>();

  AccessTimes(MasterState state, Journal journal, long precisionMillis) {
    this.state = state;
    this.journal = journal;
    this.precisionMillis = precisionMillis;
  }

  long precisionMillis() {
    return precisionMillis;
  }

  /** A read of the file at path (precision 0: access times are not kept). */
  void read(String path, long nowMillis) {
    if (precisionMillis > 0 && (pending.size() < PENDING_MAX || pending.containsKey(path))) {
      pending.merge(path, nowMillis, Math::max);
    }
  }

  /** Logs the access times due; returns how many files were updated. */
  int flush() {
    int updated = 0;
    for (String path : List.copyOf(pending.keySet())) {
      Long readMillis = pending.remove(path);
      if (readMillis != null && update(path, readMillis)) {
        updated++;
      }
    }
    return updated;
  }

  private boolean update(String path, long readMillis) {
    try (LockTable.Held locks = state.lockWrite(path)) {
      FileStatus status = state.fileStatusOrNull(path); // no length read: not refused while lengths are unreported
      if (status == null || status.directory() || readMillis < status.accessTimeMillis() + precisionMillis) {
        return false;
      }
      Decision decision = state.decideSetTimes(path, LogRecord.SetTimes.UNCHANGED, readMillis);
      if (decision.rejected() || decision.record().isEmpty()) {
        return false;
      }
      journal.commit(decision.record().get());
      return true;
    } catch (StateException e) {
      return false; // deleted, renamed or inside a snapshot since the read: nothing to update
    } catch (IOException e) {
      LOG.warn("access time of {} not logged: {}", path, e.toString());
      return false;
    }
  }
}
