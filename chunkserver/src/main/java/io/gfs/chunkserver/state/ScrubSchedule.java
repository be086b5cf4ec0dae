package io.gfs.chunkserver.state;

import io.gfs.common.Check;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which chunk the scrubber verifies next [0131]. A chunk is due when it is idle (not mutated for {@code idleMillis}:
 * chunks being written are checked by their own writes and reads) and was not verified in the last
 * {@code periodMillis}, so every idle chunk is verified once per period: one full pass. Among due chunks the one
 * verified longest ago goes first (never verified before all), ties by handle. Verification times are kept in memory
 * only, so a restarted server starts a fresh pass (at the throttled rate). Time comes in as {@code nowMillis}. Used by
 * the one scrubber thread; not thread-safe.
 */
public final class ScrubSchedule {
  /** What the scrubber does next: verify {@code handle}, or wait {@code waitMillis} and ask again. */
  public record Step(boolean scrub, long handle, long waitMillis) {
    public static Step scrub(long handle) {
      return new Step(true, handle, 0);
    }

    public static Step waitFor(long waitMillis) {
      Check.argument(waitMillis > 0, "wait %s ms <= 0", waitMillis);
      return new Step(false, 0, waitMillis);
    }
  }

  private final long idleMillis;
  private final long periodMillis;
  private final Map<Long, Long> lastVerifiedMillis = new TreeMap<>();

  public ScrubSchedule(long idleMillis, long periodMillis) {
    Check.argument(idleMillis >= 0, "idle time %s ms < 0", idleMillis);
    Check.argument(periodMillis > 0, "scrub period %s ms <= 0", periodMillis);
    this.idleMillis = idleMillis;
    this.periodMillis = periodMillis;
  }

  /** The next step given the replicas held now, in any order. */
  public Step next(List<ScrubCandidate> candidates, long nowMillis) {
    Set<Long> held = new HashSet<>();
    boolean found = false;
    long bestHandle = 0;
    long bestVerifiedMillis = Long.MAX_VALUE;
    long earliestDueMillis = Long.MAX_VALUE;
    for (ScrubCandidate candidate : candidates) {
      held.add(candidate.handle());
      Long verified = lastVerifiedMillis.get(candidate.handle());
      long verifiedMillis = verified == null ? Long.MIN_VALUE : verified;
      long dueMillis = Math.max(plus(candidate.lastMutationMillis(), idleMillis), plus(verifiedMillis, periodMillis));
      if (dueMillis > nowMillis) {
        earliestDueMillis = Math.min(earliestDueMillis, dueMillis);
      } else if (!found || verifiedMillis < bestVerifiedMillis
          || verifiedMillis == bestVerifiedMillis && candidate.handle() < bestHandle) {
        found = true;
        bestHandle = candidate.handle();
        bestVerifiedMillis = verifiedMillis;
      }
    }
    lastVerifiedMillis.keySet().retainAll(held); // forget deleted chunks
    if (found) {
      return Step.scrub(bestHandle);
    }
    return Step.waitFor(earliestDueMillis == Long.MAX_VALUE ? periodMillis : earliestDueMillis - nowMillis);
  }

  /** The chunk was verified (or found corrupt, or gone) at {@code nowMillis}. */
  public void verified(long handle, long nowMillis) {
    lastVerifiedMillis.put(handle, nowMillis);
  }

  /** When the chunk was last verified, or null if never since this server started; for tests. */
  public Long lastVerifiedMillis(long handle) {
    return lastVerifiedMillis.get(handle);
  }

  /** {@code a + b} for b >= 0, staying at the ends of the range instead of wrapping. */
  private static long plus(long a, long b) {
    if (a == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    long sum = a + b;
    return sum < a ? Long.MAX_VALUE : sum;
  }
}
