package io.gfs.master.oplog;

import io.gfs.common.Check;
import io.gfs.master.state.LogRecord;

/** A record with the sequence number the log gave it; sequence numbers start at 1 and have no gaps. */
public record LogEntry(long sequence, LogRecord record) {
  public LogEntry {
    Check.argument(sequence > 0, "sequence %s <= 0", sequence);
    Check.notNull(record, "record");
  }
}
