package io.gfs.master.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chunk handle to the lease its primary holds [0092-0093, 0095-0096]. Leases are not persisted: after a master restart
 * every new grant bumps the chunk version, so an old primary's forwarded mutations are refused by secondaries that
 * moved on (STALE_VERSION): safety comes from versions, not from remembering leases. Not thread-safe.
 */
public final class LeaseTable {
  private final Map<Long, Lease> leases = new TreeMap<>();

  public Lease get(long handle) {
    return leases.get(handle);
  }

  public void grant(Lease lease) {
    leases.put(lease.handle(), lease);
  }

  /**
   * The primary asked to keep its lease while it goes on mutating [0093]: extended when it still holds an unexpired
   * lease at that version. Returns the new lease, or null when refused.
   */
  public Lease extend(long handle, String serverId, long nowMillis, long leaseDurationMillis) {
    Lease lease = leases.get(handle);
    if (lease == null || !lease.primaryId().equals(serverId) || !lease.unexpiredAt(nowMillis)) {
      return null;
    }
    Lease extended = new Lease(handle, serverId, lease.version(), nowMillis + leaseDurationMillis);
    leases.put(handle, extended);
    return extended;
  }

  public void revoke(long handle) {
    leases.remove(handle);
  }

  /** Drops every lease the server holds (it died): the next client request grants a new one with a new version. */
  public List<Long> revokeHeldBy(String serverId) {
    List<Long> revoked = new ArrayList<>();
    leases.values().removeIf(lease -> {
      if (lease.primaryId().equals(serverId)) {
        revoked.add(lease.handle());
        return true;
      }
      return false;
    });
    return revoked;
  }

  /** Forgets expired leases (they need a new grant anyway); keeps the table small. */
  public int expire(long nowMillis) {
    int before = leases.size();
    leases.values().removeIf(lease -> !lease.unexpiredAt(nowMillis));
    return before - leases.size();
  }

  public int size() {
    return leases.size();
  }

  List<Lease> all() {
    return List.copyOf(leases.values());
  }
}
