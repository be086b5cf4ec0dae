package io.gfs.master.state;

import java.util.List;

/**
 * The master's answer to a heartbeat: chunks to delete (unknown or stale [0076, 0079]), leases extended [0093], version
 * adoptions to log (the server reported a newer version than the master's), and, for a warning, chunks left alone
 * because their handles are at or past the master's counter.
 */
public record HeartbeatOutcome(List<Long> deleteChunks, List<Lease> extensions, List<LogRecord.SetVersion> adoptions,
    List<Long> unknownFutureChunks, List<String> replacedServers) {
  public HeartbeatOutcome {
    deleteChunks = List.copyOf(deleteChunks);
    extensions = List.copyOf(extensions);
    adoptions = List.copyOf(adoptions);
    unknownFutureChunks = List.copyOf(unknownFutureChunks);
    replacedServers = List.copyOf(replacedServers);
  }
}
