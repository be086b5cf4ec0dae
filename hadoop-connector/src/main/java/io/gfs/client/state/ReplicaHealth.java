package io.gfs.client.state;

import io.gfs.common.Check;
import io.gfs.common.HostPort;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replicas that failed a call recently, so readers try them last for a while: a paused or dying chunkserver would
 * otherwise cost a call timeout on every piece, since the location cache still lists it. A success clears the mark.
 * Thread-safe; time comes in as nowMillis.
 */
public final class ReplicaHealth {
  /** Servers remembered; the oldest marks go first. */
  public static final int ENTRIES_MAX = 10_000;

  private final long suspectMillis;
  private final Map<HostPort, Long> failedAtMillis = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<HostPort, Long> eldest) {
      return size() > ENTRIES_MAX;
    }
  };

  public ReplicaHealth(long suspectMillis) {
    Check.argument(suspectMillis >= 0, "suspect period %s ms < 0", suspectMillis);
    this.suspectMillis = suspectMillis;
  }

  public synchronized void failed(HostPort replica, long nowMillis) {
    failedAtMillis.remove(replica);
    failedAtMillis.put(replica, nowMillis);
  }

  public synchronized void succeeded(HostPort replica) {
    failedAtMillis.remove(replica);
  }

  /** The replicas among these that failed less than the suspect period ago. */
  public synchronized Set<HostPort> suspects(List<HostPort> replicas, long nowMillis) {
    Set<HostPort> out = new HashSet<>();
    for (HostPort replica : replicas) {
      Long failedAt = failedAtMillis.get(replica);
      if (failedAt != null && nowMillis - failedAt < suspectMillis) {
        out.add(replica);
      }
    }
    return out;
  }
}
