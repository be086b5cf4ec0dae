package io.gfs.client.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gfs.common.HostPort;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicaHealthTest {
  private static final HostPort A = new HostPort("a", 1);
  private static final HostPort B = new HostPort("b", 1);
  private static final HostPort C = new HostPort("c", 1);

  @Test
  void aFailedReplicaIsSuspectForAWhileAndClearedBySuccess() {
    ReplicaHealth health = new ReplicaHealth(1000);
    health.failed(A, 5000);
    health.failed(B, 5500);
    assertEquals(Set.of(A, B), health.suspects(List.of(A, B, C), 5999));
    assertEquals(Set.of(B), health.suspects(List.of(A, B, C), 6000));
    health.succeeded(B);
    assertEquals(Set.of(), health.suspects(List.of(A, B, C), 6000));
  }

  @Test
  void suspectsGoLastKeepingTheNearestFirstOrderOtherwise() {
    ReplicaOrder order = new ReplicaOrder(Set.of("b"), 3);
    List<HostPort> plain = order.order(List.of(A, B, C));
    assertEquals(B, plain.get(0));
    List<HostPort> withSuspect = order.order(List.of(A, B, C), Set.of(B));
    assertEquals(B, withSuspect.get(2));
    assertEquals(plain.subList(1, 3), withSuspect.subList(0, 2));
  }
}
