package io.gfs.client.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicaOrderTest {
  private static final List<HostPort> REPLICAS = List.of(new HostPort("10.0.0.1", 7710),
      new HostPort("10.0.0.2", 7710), new HostPort("10.0.0.3", 7710), new HostPort("10.0.0.4", 7710));

  @Test
  void aReplicaOnThisHostComesFirst() {
    ReplicaOrder order = new ReplicaOrder(Set.of("10.0.0.3"), 42);
    assertEquals(new HostPort("10.0.0.3", 7710), order.order(REPLICAS).get(0));
    assertTrue(order.isLocal(new HostPort("10.0.0.3", 1)));
  }

  @Test
  void theOrderIsStableForOneClientAndAPermutation() {
    ReplicaOrder order = new ReplicaOrder(Set.of(), 7);
    List<HostPort> first = order.order(REPLICAS);
    assertEquals(first, order.order(List.of(REPLICAS.get(3), REPLICAS.get(1), REPLICAS.get(0), REPLICAS.get(2))));
    assertEquals(new HashSet<>(REPLICAS), new HashSet<>(first));
  }

  @Test
  void clientsWithDifferentSeedsSpreadOverReplicas() {
    Set<HostPort> firstChoices = new HashSet<>();
    for (long seed = 0; seed < 64; seed++) {
      firstChoices.add(new ReplicaOrder(Set.of(), seed).order(REPLICAS).get(0));
    }
    assertTrue(firstChoices.size() > 1, "every seed picked " + firstChoices);
  }
}
