package io.gfs.master.state;

import io.gfs.common.Check;
import io.gfs.common.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The operator's side of the chunk state (issue 8): decommissioning (draining) chunkservers, the balancer switch, and
 * the health counts of the admin report. Every call runs under {@link ChunkCoordinator}'s monitor, like heartbeats
 * and re-replication scans, so its answers are consistent snapshots (the health count only copies under it).
 */
public final class ClusterOperations {
  private final Object monitor;
  private final ChunkTable chunks;
  private final ChunkServerRegistry servers;
  private final OperatorControls controls;
  private final ReplicationPlanner replication;
  private final BiFunction<Long, Long, List<String>> liveReplicas;
  /** Health samples taken ({@link #chunkHealth}); guarded by {@code monitor}. */
  private long healthSamples;

  ClusterOperations(Object monitor, ChunkTable chunks, ChunkServerRegistry servers, OperatorControls controls,
      ReplicationPlanner replication, BiFunction<Long, Long, List<String>> liveReplicas) {
    this.monitor = monitor;
    this.chunks = chunks;
    this.servers = servers;
    this.controls = controls;
    this.replication = replication;
    this.liveReplicas = liveReplicas;
  }

  /** A registered or draining chunkserver named by its server id or its address (host:port). */
  public Optional<String> findServer(String idOrAddress) {
    Check.notNull(idOrAddress, "idOrAddress");
    synchronized (monitor) {
      for (ChunkServerInfo info : servers.all()) {
        if (info.serverId().equals(idOrAddress) || info.address().toString().equals(idOrAddress)) {
          return Optional.of(info.serverId());
        }
      }
      for (Map.Entry<String, HostPort> d : controls.draining().entrySet()) {
        if (d.getKey().equals(idOrAddress) || d.getValue().toString().equals(idOrAddress)) {
          return Optional.of(d.getKey());
        }
      }
      return Optional.empty();
    }
  }

  /** Starts draining a registered server: no new replicas go there and its chunks are copied elsewhere. */
  public void startDrain(String serverId) {
    synchronized (monitor) {
      ChunkServerInfo info = servers.get(serverId);
      if (info == null) {
        throw StateException.of(StateError.NOT_FOUND, "no registered chunkserver %s", serverId);
      }
      controls.drain(serverId, info.address());
    }
  }

  /** Puts the server back in service; false when it was not draining. Extra replicas are then trimmed as usual. */
  public boolean stopDrain(String serverId) {
    synchronized (monitor) {
      return controls.stopDraining(serverId);
    }
  }

  public DrainProgress drainProgress(String serverId, long nowMillis) {
    synchronized (monitor) {
      ChunkServerInfo info = servers.get(serverId);
      HostPort address = info != null ? info.address() : controls.draining().get(serverId);
      if (address == null) {
        throw StateException.of(StateError.NOT_FOUND, "no registered or draining chunkserver %s", serverId);
      }
      int count = 0;
      int remaining = 0;
      for (long handle : chunks.handlesOn(serverId)) {
        ChunkInfo chunk = chunks.get(handle);
        if (chunk == null) {
          continue;
        }
        count++;
        List<String> others = controls.serving(liveReplicas.apply(handle, nowMillis));
        others.remove(serverId);
        if (others.size() < chunk.replicationTarget()) {
          remaining++;
        }
      }
      boolean draining = controls.isDraining(serverId);
      return new DrainProgress(serverId, address, draining, servers.isLive(serverId, nowMillis), count,
          remaining);
    }
  }

  /** Every draining server's progress, in server-id order. */
  public List<DrainProgress> drains(long nowMillis) {
    synchronized (monitor) {
      List<DrainProgress> out = new ArrayList<>();
      for (String serverId : controls.draining().keySet().stream().sorted().toList()) {
        out.add(drainProgress(serverId, nowMillis));
      }
      return out;
    }
  }

  public boolean isDraining(String serverId) {
    synchronized (monitor) {
      return controls.isDraining(serverId);
    }
  }

  public void setBalancerEnabled(boolean enabled) {
    synchronized (monitor) {
      controls.setBalancerEnabled(enabled);
    }
  }

  public BalanceReport balanceReport(long nowMillis) {
    synchronized (monitor) {
      double fullest = 0;
      double emptiest = 1;
      int counted = 0;
      for (ChunkServerInfo info : servers.live(nowMillis)) {
        if (!controls.isDraining(info.serverId())) {
          fullest = Math.max(fullest, info.utilization());
          emptiest = Math.min(emptiest, info.utilization());
          counted++;
        }
      }
      double spread = counted < 2 ? 0 : fullest - emptiest;
      return new BalanceReport(controls.balancerEnabled(), spread, Rebalancer.THRESHOLD, replication.movesInFlight());
    }
  }

  /**
   * The health counts. Only the copy of the table's columns is taken under the monitor; the count runs after it is let
   * go, so heartbeats, grants and metadata calls do not wait behind a walk of every chunk (issue 6). The counts are of
   * one consistent moment, as before.
   */
  public ChunkHealth chunkHealth(long nowMillis) {
    ChunkHealthSample sample;
    synchronized (monitor) {
      sample = chunks.healthSample(servers.liveIds(nowMillis));
      healthSamples++;
    }
    return sample.count();
  }

  /** How many health samples were taken, each a copy of the chunk table's columns; for tests that count them. */
  public long healthSamplesTaken() {
    synchronized (monitor) {
      return healthSamples;
    }
  }

  /**
   * The same counts by a walk of every chunk under the monitor, through the coordinator's own liveness and currency
   * rules: the reference {@link #chunkHealth} is checked against (ChunkHealthModelTest), not for serving.
   */
  ChunkHealth chunkHealthByWalk(long nowMillis) {
    synchronized (monitor) {
      int under = 0;
      int corrupt = 0;
      int missing = 0;
      for (ChunkInfo chunk : chunks.all()) {
        int live = liveReplicas.apply(chunk.handle, nowMillis).size();
        if (live < chunk.replicationTarget()) {
          under++;
        }
        if (live == 0) {
          missing++;
        }
        if (chunk.hasCorruptCopies() || chunk.replicas().values().stream().anyMatch(ChunkInfo.Replica::corrupt)) {
          corrupt++;
        }
      }
      return new ChunkHealth(under, corrupt, missing);
    }
  }
}
