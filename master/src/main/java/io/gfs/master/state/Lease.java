package io.gfs.master.state;

import io.gfs.common.Check;

/** A primary's lease on one chunk at one version, as the master sees it [0092-0093]. */
public record Lease(long handle, String primaryId, long version, long expiryMillis) {
  public Lease {
    Check.notNull(primaryId, "primaryId");
    Check.argument(version > 0, "version %s <= 0", version);
  }

  public boolean unexpiredAt(long nowMillis) {
    return nowMillis < expiryMillis;
  }
}
