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
  /**
   * Leases revoked while unexpired whose primary has not confirmed it stopped: until then (or until they expire) it
   * may still be applying mutations at that version, so a clone taken now could miss some.
   */
  private final Map<Long, Lease> revokedUnconfirmed = new TreeMap<>();

  public Lease get(long handle) {
    return leases.get(handle);
  }

  public void grant(Lease lease) {
    leases.put(lease.handle(), lease);
    revokedUnconfirmed.remove(lease.handle()); // the new version fences the old primary off
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
    Lease lease = leases.remove(handle);
    if (lease != null) {
      revokedUnconfirmed.put(handle, lease);
    }
  }

  /**
   * The lease (live, or revoked and not yet confirmed stopped) under which a primary may still mutate the chunk at
   * that version now; null when none can.
   */
  public Lease mayStillMutate(long handle, long version, long nowMillis) {
    Lease lease = leases.get(handle);
    if (lease == null) {
      lease = revokedUnconfirmed.get(handle);
    }
    return lease != null && lease.version() == version && lease.unexpiredAt(nowMillis) ? lease : null;
  }

  /** The primary dropped its revoked lease at that version (it said so): nothing mutates the chunk under it now. */
  public void confirmStopped(long handle, long version) {
    Lease lease = revokedUnconfirmed.get(handle);
    if (lease != null && lease.version() == version) {
      revokedUnconfirmed.remove(handle);
    }
  }

  /**
   * Drops every lease the server holds (it died): the next client request grants a new one with a new version. A dead
   * server cannot be told, and is not waited for: its copies left the chunk's locations with it.
   */
  public List<Long> revokeHeldBy(String serverId) {
    List<Long> revoked = new ArrayList<>();
    leases.values().removeIf(lease -> {
      if (lease.primaryId().equals(serverId)) {
        revoked.add(lease.handle());
        return true;
      }
      return false;
    });
    revokedUnconfirmed.values().removeIf(lease -> lease.primaryId().equals(serverId));
    return revoked;
  }

  /** Forgets expired leases (they need a new grant anyway); keeps the table small. */
  public int expire(long nowMillis) {
    int before = leases.size();
    leases.values().removeIf(lease -> !lease.unexpiredAt(nowMillis));
    revokedUnconfirmed.values().removeIf(lease -> !lease.unexpiredAt(nowMillis));
    return before - leases.size();
  }

  public int size() {
    return leases.size();
  }

  List<Lease> all() {
    return List.copyOf(leases.values());
  }
}
