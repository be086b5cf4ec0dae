package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.Arrays;
import java.util.Set;

/**
 * A copy of the chunk table's columns that a health count reads (see {@link ChunkIndex#healthSample}), taken under the
 * chunk monitor and counted after it is let go: the status sampling of getClusterStatus, the admin report and the
 * metrics no longer hold heartbeats, grants and metadata calls behind a walk of every chunk (issue 6: at a million
 * chunks, the timers waited up to 5.6 s and getContentSummary 3.9 s for that monitor). Owns its arrays; the replica
 * sets it refers to are immutable once built, so counting needs no lock. Same definitions as the coordinator's:
 * a replica counts when its server is live, its version is the chunk's and it is not corrupt.
 */
final class ChunkHealthSample {
  /** Pages of handles; null pages when no chunk has corrupt copies (nothing to look up then). */
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
    int present = 0;
    int under = 0;
    int corrupt = 0;
    int missing = 0;
    for (int p = 0; p < flags.length; p++) {
      byte[] flagPage = flags[p];
      for (int r = 0; r < flagPage.length; r++) {
        if ((flagPage[r] & ChunkIndex.PRESENT) == 0) {
          continue; // a removed chunk's hole
        }
        present++;
        ReplicaSet set = replicas[p][r] == null ? ReplicaSet.EMPTY : replicas[p][r];
        String[] ids = set.ids();
        ChunkInfo.Replica[] states = set.states();
        long version = versions[p][r];
        int live = 0;
        boolean corruptCopy = false;
        for (int i = 0; i < ids.length; i++) {
          if (states[i].corrupt()) {
            corruptCopy = true;
          } else if (states[i].version() == version && liveServerIds.contains(ids[i])) {
            live++;
          }
        }
        if (live < targets[p][r]) {
          under++;
        }
        if (live == 0) {
          missing++;
        }
        if (corruptCopy || (corruptHandles.length > 0 && Arrays.binarySearch(corruptHandles, handles[p][r]) >= 0)) {
          corrupt++;
        }
      }
    }
    Check.state(present == size, "health sample: %s present rows, the table held %s chunks", present, size);
    return new ChunkHealth(under, corrupt, missing);
  }
}
