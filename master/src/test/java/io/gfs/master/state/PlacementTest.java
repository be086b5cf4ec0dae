package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PlacementTest {
  private static Placement.Candidate c(String id, double utilization, int recent) {
    return new Placement.Candidate(id, utilization, recent);
  }

  @Test
  void prefersBelowAverageUtilisation() {
    List<Placement.Candidate> servers = List.of(c("full1", 0.9, 0), c("empty1", 0.1, 0), c("full2", 0.8, 0),
        c("empty2", 0.2, 0));
    for (long seed = 0; seed < 20; seed++) {
      assertEquals(new HashSet<>(List.of("empty1", "empty2")),
          new HashSet<>(Placement.choose(servers, 2, new SplittableRandom(seed))));
    }
  }

  @Test
  void spreadsRecentCreations() {
    List<Placement.Candidate> servers = List.of(c("busy", 0.5, 10), c("a", 0.5, 0), c("b", 0.5, 1));
    assertEquals(List.of("a", "b"), Placement.choose(servers, 2, new SplittableRandom(1)));
  }

  @Test
  void anEmptyNewServerDoesNotTakeEveryChunk() {
    // Below average but already many recent creations: an above-average idle server wins.
    List<Placement.Candidate> servers = List.of(c("new", 0.0, Placement.ABOVE_AVERAGE_PENALTY + 1), c("old", 0.6, 0),
        c("old2", 0.6, 0));
    for (long seed = 0; seed < 20; seed++) {
      assertTrue(Placement.choose(servers, 1, new SplittableRandom(seed)).get(0).startsWith("old"));
    }
  }

  @Test
  void distinctServersAndFewerWhenFewerExist() {
    List<Placement.Candidate> servers = List.of(c("a", 0.5, 0), c("b", 0.5, 0));
    List<String> chosen = Placement.choose(servers, 3, new SplittableRandom(7));
    assertEquals(2, chosen.size());
    assertEquals(2, new HashSet<>(chosen).size());
    assertEquals(List.of(), Placement.choose(List.of(), 3, new SplittableRandom(7)));
  }

  @Test
  void tiesAreBrokenByTheInjectedRandomness() {
    List<Placement.Candidate> servers = List.of(c("a", 0.5, 0), c("b", 0.5, 0), c("c", 0.5, 0), c("d", 0.5, 0));
    assertEquals(Placement.choose(servers, 1, new SplittableRandom(5)),
        Placement.choose(servers, 1, new SplittableRandom(5)), "same seed, same choice");
    HashSet<String> firsts = new HashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      firsts.add(Placement.choose(servers, 1, new SplittableRandom(seed)).get(0));
    }
    assertTrue(firsts.size() > 1, "ties must not always go to the same server: " + firsts);
  }

  @Test
  void replicasSpreadOverRacksBeforeDoublingUpInOne() {
    // Rack r1's servers all score better, yet the second replica goes to r2 [0066-0068].
    List<Placement.Candidate> servers = List.of(new Placement.Candidate("a1", 0.1, 0, "/r1"),
        new Placement.Candidate("a2", 0.1, 0, "/r1"), new Placement.Candidate("a3", 0.1, 0, "/r1"),
        new Placement.Candidate("b1", 0.9, 0, "/r2"), new Placement.Candidate("b2", 0.9, 0, "/r2"));
    for (long seed = 0; seed < 20; seed++) {
      List<String> chosen = Placement.choose(servers, 3, new SplittableRandom(seed));
      assertEquals(3, chosen.size());
      assertEquals(1, chosen.stream().filter(id -> id.startsWith("b")).count(), chosen.toString());
    }
  }

  @Test
  void aCloneGoesToARackTheChunkDoesNotUseYet() {
    List<Placement.Candidate> servers = List.of(new Placement.Candidate("a2", 0.0, 0, "/r1"),
        new Placement.Candidate("b1", 0.9, 0, "/r2"));
    for (long seed = 0; seed < 20; seed++) {
      assertEquals(List.of("b1"), Placement.choose(servers, 1, new SplittableRandom(seed), java.util.Set.of("/r1")));
    }
  }
}
