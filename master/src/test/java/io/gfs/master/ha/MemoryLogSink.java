package io.gfs.master.ha;

import io.gfs.master.oplog.EpochTable;
import io.gfs.master.oplog.LogEntry;
import io.gfs.master.state.LogRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica's log in memory, as a standby's journal would hold it, with its epoch table derived from its NEW_TERM
 * records as the op log keeps it, and cuts counted.
 */
final class MemoryLogSink implements LogReplica.Sink {
  final List<LogEntry> log = new ArrayList<>();
  int cuts;

  @Override
  public long lastSequence() {
    return log.size();
  }

  @Override
  public void commit(List<LogEntry> entries) {
    log.addAll(entries);
  }

  @Override
  public List<LogEntry> logged(long fromSequence, int max) {
    return new ArrayList<>(log.subList((int) fromSequence - 1, (int) Math.min(log.size(), fromSequence - 1 + max)));
  }

  @Override
  public List<EpochTable.Start> epochs() {
    List<EpochTable.Start> starts = new ArrayList<>();
    for (LogEntry e : log) {
      if (e.record() instanceof LogRecord.NewTerm t) {
        starts.add(new EpochTable.Start(t.epoch(), e.sequence()));
      }
    }
    return starts;
  }

  @Override
  public void truncateAfter(long lastKeptSequence) {
    cuts++;
    log.subList((int) lastKeptSequence, log.size()).clear();
  }
}
