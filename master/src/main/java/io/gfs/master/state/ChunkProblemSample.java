package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A copy of the chunk table's columns that the status pages' list of chunks needing attention reads (see
 * {@link ChunkIndex#problemSample}), taken under the chunk monitor and walked after it is let go, as
 * {@link ChunkHealthSample} does for the counts: a walk of every chunk under that monitor held heartbeats, lease grants
 * and metadata calls behind each status page or /api call (issue 6). Owns its arrays and map; the replica sets and
 * corrupt-copy id arrays it refers to are replaced, never written, once built, so the walk needs no lock. Same rules as
 * the walk under the monitor ({@link StatusListing#problemsByWalk}): a replica counts when its server is live, its
 * version is the chunk's and it is not corrupt; a chunk's corrupt copies are the servers reported corrupt (id order)
 * then those whose replica is marked corrupt (replica order).
 */
final class ChunkProblemSample {
  private final long[][] handles;
  private final long[][] versions;
  private final int[][] lengths;
  private final byte[][] targets;
  private final byte[][] flags;
  private final ReplicaSet[][] replicas;
  private final Map<Long, String[]> corruptOn;
  private final Set<String> liveServerIds;
  /** The table's chunk count when copied: the walk's cross-check. */
  private final int size;

  ChunkProblemSample(long[][] handles, long[][] versions, int[][] lengths, byte[][] targets, byte[][] flags,
      ReplicaSet[][] replicas, Map<Long, String[]> corruptOn, Set<String> liveServerIds, int size) {
    this.handles = handles;
    this.versions = versions;
    this.lengths = lengths;
    this.targets = targets;
    this.flags = flags;
    this.replicas = replicas;
    this.corruptOn = corruptOn;
    this.liveServerIds = liveServerIds;
    this.size = size;
  }

  /** The whole counts and at most {@code listedMax} of each list, the first ones in row order, sorted by handle. */
  StatusListing.Problems problems(int listedMax) {
    int present = 0;
    int under = 0;
    int corrupt = 0;
    List<StatusListing.ChunkProblem> underListed = new ArrayList<>();
    List<StatusListing.ChunkProblem> corruptListed = new ArrayList<>();
    for (int p = 0; p < flags.length; p++) {
      for (int r = 0; r < flags[p].length; r++) {
        if ((flags[p][r] & ChunkIndex.PRESENT) == 0) {
          continue; // a removed chunk's hole
        }
        present++;
        ReplicaSet set = replicas[p][r] == null ? ReplicaSet.EMPTY : replicas[p][r];
        int live = liveCurrent(set, versions[p][r]);
        List<String> corruptCopies = corruptCopies(handles[p][r], set);
        boolean short_ = live < targets[p][r];
        if (!short_ && corruptCopies.isEmpty()) {
          continue;
        }
        StatusListing.ChunkProblem problem = new StatusListing.ChunkProblem(handles[p][r], versions[p][r],
            lengths[p][r], live, targets[p][r], corruptCopies);
        if (short_ && under++ < listedMax) {
          underListed.add(problem);
        }
        if (!corruptCopies.isEmpty() && corrupt++ < listedMax) {
          corruptListed.add(problem);
        }
      }
    }
    Check.state(present == size, "problem sample: %s present rows, the table held %s chunks", present, size);
    underListed.sort((a, b) -> Long.compare(a.handle(), b.handle()));
    corruptListed.sort((a, b) -> Long.compare(a.handle(), b.handle()));
    return new StatusListing.Problems(under, underListed, corrupt, corruptListed);
  }

  private int liveCurrent(ReplicaSet set, long version) {
    String[] ids = set.ids();
    ChunkInfo.Replica[] states = set.states();
    int live = 0;
    for (int i = 0; i < ids.length; i++) {
      if (states[i].version() == version && !states[i].corrupt() && liveServerIds.contains(ids[i])) {
        live++;
      }
    }
    return live;
  }

  private List<String> corruptCopies(long handle, ReplicaSet set) {
    String[] reported = corruptOn.getOrDefault(handle, ReplicaArrays.NO_IDS);
    String[] ids = set.ids();
    ChunkInfo.Replica[] states = set.states();
    if (reported.length == 0 && !anyCorrupt(states)) {
      return List.of(); // a healthy chunk: no list made
    }
    List<String> out = new ArrayList<>(List.of(reported));
    for (int i = 0; i < ids.length; i++) {
      if (states[i].corrupt() && !out.contains(ids[i])) {
        out.add(ids[i]);
      }
    }
    return out;
  }

  private static boolean anyCorrupt(ChunkInfo.Replica[] states) {
    for (ChunkInfo.Replica state : states) {
      if (state.corrupt()) {
        return true;
      }
    }
    return false;
  }
}
