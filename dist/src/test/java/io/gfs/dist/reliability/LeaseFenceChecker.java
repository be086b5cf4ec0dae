package io.gfs.dist.reliability;

import java.util.List;

/**
 * Leases [0092-0096] and chunk versions [0079-0081]: once the master has granted a chunk's lease at a newer version, no replica
 * may accept a mutation carrying an older one — in particular a primary paused past its lease, resumed, and sent a
 * write by a client still holding the old lease applies nothing.
 */
final class LeaseFenceChecker {
  /** The master granted a lease on handle at version (observed by the harness at grantedNanos). */
  record Grant(long handle, long version, String primary, long grantedNanos) {}

  /** A replica's answer to a mutation sent with version: accepted (applied) or refused with this reason. */
  record Apply(long handle, long version, String replica, long sentNanos, boolean accepted, String reason) {}

  CheckResult check(List<Grant> grants, List<Apply> applies) {
    CheckResult.Builder result = new CheckResult.Builder("leases").operations(applies.size());
    for (Apply a : applies) {
      if (!a.accepted()) {
        continue;
      }
      for (Grant g : grants) {
        if (g.handle() == a.handle() && g.version() > a.version() && g.grantedNanos() < a.sentNanos()) {
          result.lost(1).violation("%s accepted a mutation of chunk %d at version %d after the master granted "
              + "version %d to %s", a.replica(), a.handle(), a.version(), g.version(), g.primary());
          break;
        }
      }
    }
    return result.build();
  }
}
