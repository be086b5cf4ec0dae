package io.gfs.dist.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded random schedule of faults: the same seed, kinds and run length give the same faults at the same offsets,
 * so a failing run is replayed with -Dgfs.reliability.seed=SEED. Faults never overlap: each is healed, and the
 * cluster given a settle gap, before the next begins, so at most one server is down at a time and every failure the
 * checkers see is one the design promises to survive ([0006], [0117]: 3 replicas, one server lost at a time).
 */
final class FaultSchedule {
  private FaultSchedule() {}

  /** Bounds of the generated faults. */
  record Shape(long runMillis, long gapMillisMin, long gapMillisMax, long durationMillisMin, long durationMillisMax,
      int chunkServers) {
    Shape {
      if (runMillis <= 0 || gapMillisMin <= 0 || gapMillisMax < gapMillisMin || durationMillisMin <= 0
          || durationMillisMax < durationMillisMin || chunkServers < 1) {
        throw new IllegalArgumentException("bad schedule shape " + this);
      }
    }
  }

  static List<Fault> generate(long seed, Shape shape, List<FaultKind> kinds) {
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("no fault kinds to schedule");
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<Fault> faults = new ArrayList<>();
    long at = between(random, shape.gapMillisMin(), shape.gapMillisMax());
    while (true) {
      FaultKind kind = kinds.get(random.nextInt(kinds.size()));
      long duration = between(random, shape.durationMillisMin(), shape.durationMillisMax());
      if (at + duration > shape.runMillis()) {
        return List.copyOf(faults);
      }
      int target = switch (kind) {
        case KILL_CHUNKSERVER, PAUSE_CHUNKSERVER, CUT_CHUNKSERVER_CONNECTIONS, DELAY_CHUNKSERVER_CONNECTIONS ->
            random.nextInt(shape.chunkServers());
        default -> 0;
      };
      faults.add(new Fault(kind, target, at, duration));
      at += duration + between(random, shape.gapMillisMin(), shape.gapMillisMax());
    }
  }

  private static long between(SplittableRandom random, long min, long max) {
    return min == max ? min : random.nextLong(min, max + 1);
  }
}
