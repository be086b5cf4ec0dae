package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WarnOnceTest {
  @Test
  void eachServerAndHandlePairIsReportedOnce() {
    WarnOnce once = new WarnOnce(100);
    assertEquals(List.of(7L, 8L), once.firstTime("a", List.of(7L, 8L)));
    assertEquals(List.of(), once.firstTime("a", List.of(7L, 8L)), "the next heartbeat repeats nothing");
    assertEquals(List.of(9L), once.firstTime("a", List.of(8L, 9L)));
    assertEquals(List.of(7L), once.firstTime("b", List.of(7L)), "another server's copy is its own warning");
  }

  @Test
  void memoryIsBounded() {
    WarnOnce once = new WarnOnce(3);
    once.firstTime("a", List.of(1L, 2L, 3L, 4L));
    assertEquals(3, once.size());
    assertEquals(List.of(1L), once.firstTime("a", List.of(1L)), "the oldest pair was forgotten");
  }
}
