package io.gfs.master.server;

import io.gfs.master.state.LogRecord;
import io.gfs.master.state.MasterState;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the chunk lengths the active master learned from reports, in CHUNK_LENGTHS records of up to
 * {@link LogRecord.ChunkLengths#ENTRIES_MAX} chunks, from its timers: no client waits for these records. A later
 * master (restarted, or a standby or shadow that followed the log) so knows a floor of each chunk's length even when
 * no replica of the chunk reports to it again: the file keeps its length, and reading the lost part fails instead of
 * the file looking shorter. A crash loses at most the lengths learned since the last flush, which the chunkservers
 * report again.
 */
final class ChunkLengthLog {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkLengthLog.class);
  /**
   * Records per flush: the first flush of a master that never logged lengths (a million chunks: about 245 records)
   * is spread over ticks, so the timers' other work (dead servers, leases, checkpoints) is not held up for long.
   */
  static final int RECORDS_PER_FLUSH_MAX = 16;

  private final MasterState state;
  private final Journal journal;

  /** Made by the active master's timers: from now on this master queues the lengths it learns, to log them. */
  ChunkLengthLog(MasterState state, Journal journal) {
    this.state = state;
    this.journal = journal;
    state.startLoggingChunkLengths();
  }

  /** Logs the lengths due, at most {@link #RECORDS_PER_FLUSH_MAX} records; returns how many chunks' were logged. */
  int flush() {
    int logged = 0;
    LogRecord.ChunkLengths record;
    for (int records = 0; records < RECORDS_PER_FLUSH_MAX
        && (record = state.takeChunkLengthsToLog(LogRecord.ChunkLengths.ENTRIES_MAX)) != null; records++) {
      try {
        journal.commit(record);
      } catch (IOException e) {
        // The journal is broken or this master was deposed: it stops serving; the next master learns these anew.
        LOG.warn("chunk lengths not logged: {}", e.toString());
        return logged;
      }
      logged += record.handles().length;
    }
    return logged;
  }
}
