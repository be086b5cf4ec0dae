package io.gfs.master.ha;

/**
 * The term this master serves in: its fencing epoch, and whether it still leads. A master without election (no
 * ZooKeeper, or gfs.master.ha.enabled=false) serves in {@link #unelected()}: epoch 0, never revoked, which chunkservers
 * admit only while no elected master was ever seen.
 *
 * <p>Revocation is one-way: a term that lost the election never leads again (the process steps down, and a new one
 * joins as a standby), so nothing can flip a deposed master back into mutating.
 */
public final class MasterTerm {
  private final long epoch;
  private volatile String revokedBecause;
  private volatile boolean suspended;

  private MasterTerm(long epoch) {
    this.epoch = epoch;
  }

  public static MasterTerm unelected() {
    return new MasterTerm(0);
  }

  public static MasterTerm elected(long epoch) {
    if (epoch <= 0) {
      throw new IllegalArgumentException("an elected term's epoch is positive, not " + epoch);
    }
    return new MasterTerm(epoch);
  }

  public long epoch() {
    return epoch;
  }

  public boolean active() {
    return revokedBecause == null;
  }

  /** Ends the term for good; the first reason is kept. */
  public synchronized void revoke(String reason) {
    if (revokedBecause == null) {
      revokedBecause = reason == null ? "revoked" : reason;
    }
  }

  /** While the ZooKeeper connection is suspended the master cannot know it leads: no mutation until it is back. */
  public void suspend(boolean suspended) {
    this.suspended = suspended;
  }

  /** The reason the term ended, or null while it is active. */
  public String revokedBecause() {
    return revokedBecause;
  }

  /** Throws when the term ended: a deposed master must not change anything. */
  public void checkActive() throws NotActiveException {
    String reason = revokedBecause;
    if (reason != null) {
      throw new NotActiveException("this master lost the election (epoch " + epoch + " ended: " + reason
          + ") and accepts no more mutations");
    }
    if (suspended) {
      throw new NotActiveException("this master's ZooKeeper connection is suspended (epoch " + epoch + "): it takes "
          + "no mutation until it is back in the same session; retry");
    }
  }

  @Override
  public String toString() {
    return "term(epoch " + epoch + (active() ? ", active)" : ", ended: " + revokedBecause + ")");
  }
}
