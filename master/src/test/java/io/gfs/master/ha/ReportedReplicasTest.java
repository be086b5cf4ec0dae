package io.gfs.master.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gfs.master.state.HeartbeatReport.Replica;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportedReplicasTest {
  @Test
  void aFullReportIsSortedAndKeepsTheLastOfRepeatedHandles() {
    ReportedReplicas set = ReportedReplicas.of(List.of(new Replica(9, 1, 10), new Replica(3, 1, 5),
        new Replica(9, 2, 20)));
    assertEquals(List.of(new Replica(3, 1, 5), new Replica(9, 2, 20)), set.replicas());
  }

  @Test
  void aDeltaAddsReplacesAndRemoves() {
    ReportedReplicas set = ReportedReplicas.of(List.of(new Replica(1, 1, 0), new Replica(4, 1, 0),
        new Replica(7, 1, 0)));
    ReportedReplicas next = set.merge(List.of(new Replica(4, 2, 64), new Replica(5, 1, 1), new Replica(9, 1, 2)),
        Set.of(1L, 7L, 100L));
    assertEquals(List.of(new Replica(4, 2, 64), new Replica(5, 1, 1), new Replica(9, 1, 2)), next.replicas());
    assertEquals(3, set.size(), "the old set is unchanged");
  }

  @Test
  void aHandleBothChangedAndRemovedIsGone() {
    ReportedReplicas set = ReportedReplicas.of(List.of(new Replica(2, 1, 0)));
    assertEquals(List.of(), set.merge(List.of(new Replica(2, 3, 0)), Set.of(2L)).replicas());
  }
}
