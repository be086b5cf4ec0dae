package io.gfs.master.state;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The chunkservers that heartbeat, and the chunks recently created on each (placement spreads those [0065]). A server
 * silent for deadAfterMillis is not live; {@link #removeDead} forgets it. Not thread-safe.
 */
public final class ChunkServerRegistry {
  private final long deadAfterMillis;
  private final long recentCreationWindowMillis;
  private final Map<String, ChunkServerInfo> servers = new TreeMap<>();
  private final Map<String, Deque<Long>> creationTimes = new HashMap<>();

  public ChunkServerRegistry(long deadAfterMillis, long recentCreationWindowMillis) {
    this.deadAfterMillis = deadAfterMillis;
    this.recentCreationWindowMillis = recentCreationWindowMillis;
  }

  /**
   * Records a heartbeat. Returns the ids of other servers that claimed the same address: a chunkserver restarted with a
   * fresh id (a wiped disk), so the old entry's replicas are gone.
   */
  public List<String> heartbeat(ChunkServerInfo info) {
    List<String> replaced = new ArrayList<>();
    for (ChunkServerInfo other : servers.values()) {
      if (!other.serverId().equals(info.serverId()) && other.address().equals(info.address())) {
        replaced.add(other.serverId());
      }
    }
    replaced.forEach(this::remove);
    servers.put(info.serverId(), info);
    return replaced;
  }

  public boolean isRegistered(String serverId) {
    return servers.containsKey(serverId);
  }

  public boolean isLive(String serverId, long nowMillis) {
    ChunkServerInfo info = servers.get(serverId);
    return info != null && nowMillis - info.lastHeartbeatMillis() < deadAfterMillis;
  }

  public ChunkServerInfo get(String serverId) {
    return servers.get(serverId);
  }

  public List<ChunkServerInfo> live(long nowMillis) {
    List<ChunkServerInfo> out = new ArrayList<>();
    for (ChunkServerInfo info : servers.values()) {
      if (nowMillis - info.lastHeartbeatMillis() < deadAfterMillis) {
        out.add(info);
      }
    }
    return out;
  }

  /** The ids of the live servers, a fresh set the caller owns (the chunk samples keep it past the monitor). */
  public Set<String> liveIds(long nowMillis) {
    Set<String> ids = new HashSet<>();
    for (ChunkServerInfo info : live(nowMillis)) {
      ids.add(info.serverId());
    }
    return ids;
  }

  public List<ChunkServerInfo> all() {
    return List.copyOf(servers.values());
  }

  /** Removes servers silent for too long and returns their ids. */
  public List<String> removeDead(long nowMillis) {
    List<String> dead = new ArrayList<>();
    for (ChunkServerInfo info : servers.values()) {
      if (nowMillis - info.lastHeartbeatMillis() >= deadAfterMillis) {
        dead.add(info.serverId());
      }
    }
    dead.forEach(this::remove);
    return dead;
  }

  public void noteCreation(String serverId, long nowMillis) {
    creationTimes.computeIfAbsent(serverId, s -> new ArrayDeque<>()).addLast(nowMillis);
  }

  public int recentCreations(String serverId, long nowMillis) {
    Deque<Long> times = creationTimes.get(serverId);
    if (times == null) {
      return 0;
    }
    while (!times.isEmpty() && nowMillis - times.peekFirst() >= recentCreationWindowMillis) {
      times.pollFirst();
    }
    return times.size();
  }

  private void remove(String serverId) {
    servers.remove(serverId);
    creationTimes.remove(serverId);
  }
}
