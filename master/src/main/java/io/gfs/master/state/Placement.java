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
 *
 * <p>Racks [0066-0068]: replicas spread over as many racks as there are (a rack not yet holding a replica of the chunk
 * goes first, best score first within that), so a whole rack lost leaves a copy elsewhere; only then does a rack get a
 * second replica.
 */
public final class Placement {
  /** How many recent creations weigh as much as being above the average utilisation. */
  static final int ABOVE_AVERAGE_PENALTY = 4;

  /** One chunkserver as placement sees it. */
  public record Candidate(String serverId, double utilization, int recentCreations, String rack) {
    public Candidate {
      Check.notNull(serverId, "serverId");
      Check.notNull(rack, "rack");
      Check.argument(recentCreations >= 0, "recentCreations %s < 0", recentCreations);
    }

    /** All in one (unnamed) rack. */
    public Candidate(String serverId, double utilization, int recentCreations) {
      this(serverId, utilization, recentCreations, "");
    }
  }

  private Placement() {}

  /**
   * Up to replication distinct servers, best first; fewer when fewer candidates exist. Equal candidates are ordered by
   * the random generator, so load spreads and a test can fix the outcome with a seed.
   */
  public static List<String> choose(List<Candidate> candidates, int replication, RandomGenerator random) {
    return choose(candidates, replication, random, java.util.Set.of());
  }

  /**
   * As {@link #choose(List, int, RandomGenerator)}, for a chunk that already has replicas on usedRacks (a clone):
   * servers on other racks go first.
   */
  public static List<String> choose(List<Candidate> candidates, int replication, RandomGenerator random,
      java.util.Set<String> usedRacks) {
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
    java.util.Set<String> racks = new java.util.HashSet<>(usedRacks);
    for (Candidate c : shuffled) {
      if (chosen.size() < replication && racks.add(c.rack())) {
        chosen.add(c.serverId()); // the best server of each rack not yet holding a replica
      }
    }
    for (Candidate c : shuffled) {
      if (chosen.size() < replication && !chosen.contains(c.serverId())) {
        chosen.add(c.serverId());
      }
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
