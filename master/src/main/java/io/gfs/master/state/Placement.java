package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Where new chunk replicas go [0064-0065]: distinct live chunkservers, preferring those with below-average disk
 * utilisation and those with few recent chunk creations (a creation predicts heavy write traffic). The two are combined
 * into one score rather than ranked strictly, so an empty new server is preferred but does not attract every new chunk
 * at once: each recent creation costs as much as {@value #ABOVE_AVERAGE_PENALTY}th of being above average.
 */
public final class Placement {
  /** How many recent creations weigh as much as being above the average utilisation. */
  static final int ABOVE_AVERAGE_PENALTY = 4;

  /** One chunkserver as placement sees it. */
  public record Candidate(String serverId, double utilization, int recentCreations) {
    public Candidate {
      Check.notNull(serverId, "serverId");
      Check.argument(recentCreations >= 0, "recentCreations %s < 0", recentCreations);
    }
  }

  private Placement() {}

  /**
   * Up to replication distinct servers, best first; fewer when fewer candidates exist. Equal candidates are ordered by
   * the random generator, so load spreads and a test can fix the outcome with a seed.
   */
  public static List<String> choose(List<Candidate> candidates, int replication, RandomGenerator random) {
    Check.argument(replication > 0, "replication %s <= 0", replication);
    if (candidates.isEmpty()) {
      return List.of();
    }
    double average = 0;
    for (Candidate c : candidates) {
      average += c.utilization();
    }
    average /= candidates.size();
    List<Candidate> shuffled = new ArrayList<>(candidates);
    Collections.shuffle(shuffled, asRandom(random));
    double mean = average;
    Comparator<Candidate> order = Comparator
        .comparingInt((Candidate c) -> score(c, mean))
        .thenComparingDouble(Candidate::utilization);
    shuffled.sort(order); // stable: ties keep the shuffled order
    List<String> chosen = new ArrayList<>();
    for (int i = 0; i < Math.min(replication, shuffled.size()); i++) {
      chosen.add(shuffled.get(i).serverId());
    }
    return List.copyOf(chosen);
  }

  static int score(Candidate candidate, double averageUtilization) {
    boolean aboveAverage = candidate.utilization() > averageUtilization + 1e-9;
    return candidate.recentCreations() + (aboveAverage ? ABOVE_AVERAGE_PENALTY : 0);
  }

  private static java.util.Random asRandom(RandomGenerator random) {
    // Collections.shuffle wants a java.util.Random; derive one deterministically from the injected generator.
    return new java.util.Random(random.nextLong());
  }
}
