package io.gfs.master.state;

import io.gfs.common.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an operator switched on the chunk side (issue 8): chunkservers being drained (decommissioned) and whether the
 * balancer moves replicas. Placement, re-replication and rebalancing consult it; a draining server takes no new
 * replica, and its replicas do not count toward a chunk's target, so re-replication copies them elsewhere while the
 * server still serves reads. Not persisted: a restarted master starts with nothing draining and the balancer on.
 * Guarded by {@link ChunkCoordinator}'s monitor.
 */
final class OperatorControls {
  /** Draining server id to its address when the drain began (it stays listed after the server stops). */
  private final Map<String, HostPort> draining = new TreeMap<>();
  private boolean balancerEnabled = true;

  boolean isDraining(String serverId) {
    return draining.containsKey(serverId);
  }

  /** The servers of ids that are not draining, in the same order. */
  List<String> serving(List<String> serverIds) {
    if (draining.isEmpty()) {
      return serverIds;
    }
    List<String> out = new ArrayList<>(serverIds.size());
    for (String id : serverIds) {
      if (!draining.containsKey(id)) {
        out.add(id);
      }
    }
    return out;
  }

  /** True when the set changed. */
  boolean drain(String serverId, HostPort address) {
    return draining.putIfAbsent(serverId, address) == null;
  }

  /** True when the server was draining. */
  boolean stopDraining(String serverId) {
    return draining.remove(serverId) != null;
  }

  Map<String, HostPort> draining() {
    return Map.copyOf(draining);
  }

  boolean balancerEnabled() {
    return balancerEnabled;
  }

  void setBalancerEnabled(boolean enabled) {
    balancerEnabled = enabled;
  }
}
