package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * What the status pages list (issue 8): the chunks needing attention and the leases held now, each list capped so a
 * page stays small on a sick cluster of millions of chunks (the counts are always whole). Each answer is a consistent
 * snapshot taken under {@link ChunkCoordinator}'s monitor; the chunk list holds it only to copy the table's columns
 * and walks the copy after letting it go ({@link ChunkProblemSample}); no I/O.
 */
public final class StatusListing {
  /** A chunk below its target replication or with a replica reported corrupt [0069, 0127]. */
  public record ChunkProblem(long handle, long version, long lengthBytes, int liveReplicas, int replicationTarget,
      List<String> corruptOn) {
    public ChunkProblem {
      corruptOn = List.copyOf(corruptOn);
    }
  }

  /** The chunks needing attention: whole counts, and at most the asked number of each listed, in handle order. */
  public record Problems(int underReplicatedCount, List<ChunkProblem> underReplicated, int corruptCount,
      List<ChunkProblem> corrupt) {
    public Problems {
      underReplicated = List.copyOf(underReplicated);
      corrupt = List.copyOf(corrupt);
    }
  }

  /** A lease as the master holds it: the primary's server id and how long it has left [0092-0093]. */
  public record LeaseStatus(long handle, long version, String primaryId, long remainingMillis) {}

  private final Object monitor;
  private final ChunkTable chunks;
  private final ChunkServerRegistry servers;
  private final LeaseTable leases;
  private final BiFunction<Long, Long, List<String>> liveReplicas;

  StatusListing(Object monitor, ChunkTable chunks, ChunkServerRegistry servers, LeaseTable leases,
      BiFunction<Long, Long, List<String>> liveReplicas) {
    this.monitor = monitor;
    this.chunks = chunks;
    this.servers = servers;
    this.leases = leases;
    this.liveReplicas = liveReplicas;
  }

  /** The chunks needing attention; the monitor is held only to copy the table's columns (issue 6). */
  public Problems problems(long nowMillis, int listedMax) {
    Check.argument(listedMax >= 0, "listed max %s < 0", listedMax);
    ChunkProblemSample sample;
    synchronized (monitor) {
      sample = chunks.problemSample(servers.liveIds(nowMillis));
    }
    return sample.problems(listedMax);
  }

  /**
   * The same answer by a walk of every chunk under the monitor, through the coordinator's own liveness and currency
   * rules: the reference {@link #problems} is checked against (ChunkHealthModelTest), not for serving.
   */
  Problems problemsByWalk(long nowMillis, int listedMax) {
    Check.argument(listedMax >= 0, "listed max %s < 0", listedMax);
    synchronized (monitor) {
      int under = 0;
      int corrupt = 0;
      List<ChunkProblem> underListed = new ArrayList<>();
      List<ChunkProblem> corruptListed = new ArrayList<>();
      for (ChunkInfo chunk : chunks.all()) {
        int live = liveReplicas.apply(chunk.handle, nowMillis).size();
        List<String> corruptOn = new ArrayList<>(chunk.corruptOn());
        chunk.replicas().forEach((serverId, replica) -> {
          if (replica.corrupt() && !corruptOn.contains(serverId)) {
            corruptOn.add(serverId);
          }
        });
        boolean short_ = live < chunk.replicationTarget();
        if (!short_ && corruptOn.isEmpty()) {
          continue;
        }
        ChunkProblem problem = new ChunkProblem(chunk.handle, chunk.version(), chunk.knownLengthBytes(), live,
            chunk.replicationTarget(), corruptOn);
        if (short_ && under++ < listedMax) {
          underListed.add(problem);
        }
        if (!corruptOn.isEmpty() && corrupt++ < listedMax) {
          corruptListed.add(problem);
        }
      }
      underListed.sort((a, b) -> Long.compare(a.handle(), b.handle()));
      corruptListed.sort((a, b) -> Long.compare(a.handle(), b.handle()));
      return new Problems(under, underListed, corrupt, corruptListed);
    }
  }

  /** Unexpired leases, soonest to expire first, at most listedMax. */
  public List<LeaseStatus> leases(long nowMillis, int listedMax) {
    Check.argument(listedMax >= 0, "listed max %s < 0", listedMax);
    synchronized (monitor) {
      List<LeaseStatus> out = new ArrayList<>();
      for (Lease lease : leases.all()) {
        if (lease.unexpiredAt(nowMillis)) {
          out.add(new LeaseStatus(lease.handle(), lease.version(), lease.primaryId(),
              lease.expiryMillis() - nowMillis));
        }
      }
      out.sort((a, b) -> Long.compare(a.remainingMillis(), b.remainingMillis()));
      return out.size() > listedMax ? List.copyOf(out.subList(0, listedMax)) : out;
    }
  }
}
