package io.gfs.master.state;

import io.gfs.common.Check;

/**
 * A directory's replication and reclamation policy [0069, 0084, 0120], inherited by everything below it that sets
 * none: replication for new files created without an explicit one, and how long a delete stays undeletable (0: a temp
 * directory whose deletes purge at once). {@link #INHERIT} (-1) takes the parent's; the root's falls back to the
 * master's settings.
 */
public record Policy(String path, int replication, long gcRetentionMillis, int effectiveReplication,
    long effectiveGcRetentionMillis) {
  public static final int INHERIT = -1;

  public Policy {
    Check.notNull(path, "path");
    Check.argument(valid(replication, gcRetentionMillis), "policy %s/%s", replication, gcRetentionMillis);
  }

  static boolean valid(int replication, long gcRetentionMillis) {
    return (replication == INHERIT || replication >= 1 && replication <= MasterState.REPLICATION_MAX)
        && gcRetentionMillis >= INHERIT;
  }
}
