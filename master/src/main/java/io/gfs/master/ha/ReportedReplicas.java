package io.gfs.master.ha;

import io.gfs.master.state.HeartbeatReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one chunkserver last told a shadow it holds (issue 4, [0123]): handle, version and length per chunk, in handle
 * order, in three primitive arrays (24 bytes a replica, no object per chunk). A delta report merges into it in one
 * pass; the whole set then goes to the shadow's state as the server's full report, so every entry is judged again
 * against the shadow's log each time (a chunk its log had not reached last time is placed once the log has).
 * Immutable.
 */
final class ReportedReplicas {
  static final ReportedReplicas EMPTY = new ReportedReplicas(new long[0], new long[0], new long[0]);

  private final long[] handles;
  private final long[] versions;
  private final long[] lengthsBytes;

  private ReportedReplicas(long[] handles, long[] versions, long[] lengthsBytes) {
    this.handles = handles;
    this.versions = versions;
    this.lengthsBytes = lengthsBytes;
  }

  /** A full report: the replicas listed (a repeated handle keeps its last entry). */
  static ReportedReplicas of(List<HeartbeatReport.Replica> replicas) {
    return EMPTY.merge(replicas, Set.of());
  }

  /** This set with the changed replicas put in (added or replaced) and the removed handles taken out. */
  ReportedReplicas merge(List<HeartbeatReport.Replica> changed, Set<Long> removed) {
    TreeMap<Long, HeartbeatReport.Replica> sorted = new TreeMap<>();
    for (HeartbeatReport.Replica replica : changed) {
      sorted.put(replica.handle(), replica);
    }
    int capacity = handles.length + sorted.size();
    long[] h = new long[capacity];
    long[] v = new long[capacity];
    long[] l = new long[capacity];
    int n = 0;
    int i = 0;
    for (Map.Entry<Long, HeartbeatReport.Replica> entry : sorted.entrySet()) {
      long handle = entry.getKey();
      for (; i < handles.length && handles[i] < handle; i++) {
        if (!removed.contains(handles[i])) {
          h[n] = handles[i];
          v[n] = versions[i];
          l[n++] = lengthsBytes[i];
        }
      }
      if (i < handles.length && handles[i] == handle) {
        i++; // replaced by the changed entry
      }
      if (!removed.contains(handle)) {
        h[n] = handle;
        v[n] = entry.getValue().version();
        l[n++] = entry.getValue().lengthBytes();
      }
    }
    for (; i < handles.length; i++) {
      if (!removed.contains(handles[i])) {
        h[n] = handles[i];
        v[n] = versions[i];
        l[n++] = lengthsBytes[i];
      }
    }
    return new ReportedReplicas(Arrays.copyOf(h, n), Arrays.copyOf(v, n), Arrays.copyOf(l, n));
  }

  int size() {
    return handles.length;
  }

  /** As the state's full-report form. */
  List<HeartbeatReport.Replica> replicas() {
    List<HeartbeatReport.Replica> out = new ArrayList<>(handles.length);
    for (int i = 0; i < handles.length; i++) {
      out.add(new HeartbeatReport.Replica(handles[i], versions[i], lengthsBytes[i]));
    }
    return out;
  }
}
