package io.gfs.client.state;

import io.gfs.common.Check;
import io.gfs.common.HostPort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Orders replicas nearest first [0090, 0098-0099]: a chunkserver on the client's own host before any other, then a
 * shuffled order that is stable for this client (a hash of the address mixed with a per-client seed), so one client
 * keeps reading from the same replica while different clients spread over all of them.
 */
public final class ReplicaOrder {
  private final Set<String> localHosts;
  private final long seed;

  public ReplicaOrder(Set<String> localHosts, long seed) {
    this.localHosts = Set.copyOf(Check.notNull(localHosts, "localHosts"));
    this.seed = seed;
  }

  public List<HostPort> order(List<HostPort> replicas) {
    List<HostPort> ordered = new ArrayList<>(replicas);
    ordered.sort(Comparator.comparingInt((HostPort r) -> isLocal(r) ? 0 : 1)
        .thenComparingLong(this::rank)
        .thenComparing(Comparator.naturalOrder()));
    return List.copyOf(ordered);
  }

  /** As {@link #order(List)}, with the suspects (recently failed replicas) moved to the end, in the same order. */
  public List<HostPort> order(List<HostPort> replicas, Set<HostPort> suspects) {
    List<HostPort> ordered = new ArrayList<>(order(replicas));
    ordered.sort(Comparator.comparingInt((HostPort r) -> suspects.contains(r) ? 1 : 0)); // stable sort
    return List.copyOf(ordered);
  }

  public boolean isLocal(HostPort replica) {
    return localHosts.contains(replica.host());
  }

  private long rank(HostPort replica) {
    return mix(seed ^ mix(replica.host().hashCode() * 31L + replica.port()));
  }

  /** SplitMix64's finaliser: spreads nearby inputs over the whole range. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
