package io.gfs.chunkserver.state;

import io.gfs.common.Check;

/**
 * A lease this chunkserver holds as primary for one version of a chunk [0092-0093]. The expiry is on the
 * chunkserver's own clock and already shortened by a safety margin, so the primary stops ordering mutations before
 * the master (whose clock started earlier, when it granted the lease) can hand the chunk to another replica.
 */
public record Lease(long version, long expiryMillis) {
  /** The primary gives up a tenth of every lease, to absorb clock rate differences and the reply's travel time. */
  public static final int SAFETY_MARGIN_DIVISOR = 10;

  public Lease {
    Check.argument(version >= 1, "lease version %s < 1", version);
  }

  /** The lease granted or extended at {@code nowMillis} for {@code durationMillis}. */
  public static Lease granted(long version, long durationMillis, long nowMillis) {
    Check.argument(durationMillis > 0, "lease duration %s <= 0", durationMillis);
    return new Lease(version, nowMillis + durationMillis - durationMillis / SAFETY_MARGIN_DIVISOR);
  }

  public boolean expiredAt(long nowMillis) {
    return nowMillis >= expiryMillis;
  }
}
