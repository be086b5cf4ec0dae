package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * A copy of the chunk table's columns that a health count reads (see {@link ChunkIndex#healthSample}), taken under the
 * chunk monitor and counted after it is let go: the status sampling of getClusterStatus, the admin report and the
 * metrics no longer hold heartbeats, grants and metadata calls behind a walk of every chunk (issue 6: at a million
 * chunks, the timers waited up to 5.6 s and getContentSummary 3.9 s for that monitor). Owns its arrays; the replica
 * sets it refers to are immutable once built, so counting needs no lock. Same definitions as the coordinator's:
 * a replica counts when its server is live, its version is the chunk's and it is not corrupt.
 */
final class ChunkHealthSample {
  /** Pages of handles; in a health sample, null pages when no chunk has corrupt copies (nothing to look up then). */
  private final long[][] handles;
  private final long[][] versions;
  private final byte[][] targets;
  private final byte[][] flags;
  private final ReplicaSet[][] replicas;
  /** Sorted handles of chunks on whose servers a copy reported corrupt still waits for deletion [0127]. */
  private final long[] corruptHandles;
  private final Set<String> liveServerIds;
  /** The table's chunk count when copied: the count's cross-check. */
  private final int size;

  ChunkHealthSample(long[][] handles, long[][] versions, byte[][] targets, byte[][] flags, ReplicaSet[][] replicas,
      long[] corruptHandles, Set<String> liveServerIds, int size) {
    this.handles = handles;
    this.versions = versions;
    this.targets = targets;
    this.flags = flags;
    this.replicas = replicas;
    this.corruptHandles = corruptHandles;
    this.liveServerIds = liveServerIds;
    this.size = size;
  }

  /** Chunks below target, with a corrupt copy, and with no live current replica; one pass over the copy. */
  ChunkHealth count() {
    int[] counts = new int[3]; // under, corrupt, missing
    forEachChunk("health", (p, r) -> {
      int live = liveAt(p, r);
      if (live < targets[p][r]) {
        counts[0]++;
      }
      if (live == 0) {
        counts[2]++;
      }
      if (corruptCopyAt(p, r)
          || (corruptHandles.length > 0 && Arrays.binarySearch(corruptHandles, handles[p][r]) >= 0)) {
        counts[1]++;
      }
    });
    return new ChunkHealth(counts[0], counts[1], counts[2]);
  }

  /**
   * The handles, ascending, of the chunks whose count of replicas on the sampled servers (for a replication scan:
   * live, not draining; current, not corrupt) is not their target: the only chunks a scan at that moment would
   * clone or trim ({@link ReplicationPlanner#plan}). Needs a sample with every handle ({@link ChunkIndex#targetSample}).
   */
  long[] offTarget() {
    LongStream.Builder out = LongStream.builder();
    forEachChunk("target", (p, r) -> {
      if (liveAt(p, r) != targets[p][r]) {
        out.add(handles[p][r]); // rows are in handle order
      }
    });
    return out.build().toArray();
  }

  /**
   * For each of serverIds, the handles, ascending, of the chunks with a replica on it (any version, corrupt or not):
   * what {@link ChunkTable#handlesOn} gave at the copy, for a rebalancing pass ({@link Rebalancer#plan}), which
   * re-checks every chunk it picks under the monitor. Needs a sample with every handle.
   */
  Map<String, long[]> handlesOn(Set<String> serverIds) {
    Map<String, LongStream.Builder> found = new HashMap<>();
    serverIds.forEach(id -> found.put(id, LongStream.builder()));
    forEachChunk("handles", (p, r) -> {
      ReplicaSet set = replicas[p][r] == null ? ReplicaSet.EMPTY : replicas[p][r];
      for (String id : set.ids()) {
        LongStream.Builder handlesOfServer = found.get(id);
        if (handlesOfServer != null) {
          handlesOfServer.add(handles[p][r]); // rows are in handle order
        }
      }
    });
    Map<String, long[]> out = new HashMap<>();
    found.forEach((id, builder) -> out.put(id, builder.build().toArray()));
    return out;
  }

  /** Row r of page p of the copy. */
  private interface RowVisitor {
    void visit(int p, int r);
  }

  /** Visits every chunk's row in handle order (removed chunks' holes skipped): exactly as many as the table held. */
  private void forEachChunk(String sample, RowVisitor visitor) {
    int present = 0;
    for (int p = 0; p < flags.length; p++) {
      byte[] flagPage = flags[p];
      for (int r = 0; r < flagPage.length; r++) {
        if ((flagPage[r] & ChunkIndex.PRESENT) != 0) {
          present++;
          visitor.visit(p, r);
        }
      }
    }
    Check.state(present == size, "%s sample: %s present rows, the table held %s chunks", sample, present, size);
  }

  /** Replicas of row r of page p on a sampled server, at the chunk's version, not corrupt. */
  private int liveAt(int p, int r) {
    ReplicaSet set = replicas[p][r] == null ? ReplicaSet.EMPTY : replicas[p][r];
    String[] ids = set.ids();
    ChunkInfo.Replica[] states = set.states();
    long version = versions[p][r];
    int live = 0;
    for (int i = 0; i < ids.length; i++) {
      if (!states[i].corrupt() && states[i].version() == version && liveServerIds.contains(ids[i])) {
        live++;
      }
    }
    return live;
  }

  private boolean corruptCopyAt(int p, int r) {
    ReplicaSet set = replicas[p][r] == null ? ReplicaSet.EMPTY : replicas[p][r];
    for (ChunkInfo.Replica state : set.states()) {
      if (state.corrupt()) {
        return true;
      }
    }
    return false;
  }
}
