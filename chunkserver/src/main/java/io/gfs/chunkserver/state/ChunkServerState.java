package io.gfs.chunkserver.state;

import io.gfs.common.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a chunkserver knows about its replicas apart from their bytes: each chunk's version, the lease it holds as
 * primary, the last serial number applied, which chunks were mutated since the last heartbeat (lease extension
 * requests [0093]) and which failed checksum verification [0127]. It decides; the server does the I/O. Time comes in
 * as {@code nowMillis}. Thread-safe (one monitor: every method is short).
 *
 * <p>Serial numbers are scoped to a chunk version: every lease grant bumps the version [0079-0080], so a new primary
 * starts its serial numbers afresh and the secondaries start comparing afresh.
 */
public final class ChunkServerState {
  private final Map<Long, Replica> replicas = new TreeMap<>();
  private final Set<Long> mutatedSinceHeartbeat = new TreeSet<>();

  private static final class Replica {
    long version;
    Lease lease;
    long lastSerial;
    boolean corrupt;
    /** When its bytes last changed here; MIN_VALUE if not since this server started. */
    long lastMutationMillis = Long.MIN_VALUE;

    Replica(long version) {
      this.version = version;
    }
  }

  /** A replica found on disk at startup. */
  public synchronized void loaded(long handle, long version) {
    Check.argument(version >= 1, "chunk %s: version %s < 1", handle, version);
    Check.state(!replicas.containsKey(handle), "chunk %s loaded twice", handle);
    replicas.put(handle, new Replica(version));
  }

  /** A replica found on disk whose files are unusable: reported as corrupt until the master has it deleted. */
  public synchronized void loadedCorrupt(long handle) {
    Replica replica = replicas.computeIfAbsent(handle, h -> new Replica(0));
    replica.corrupt = true;
  }

  public synchronized boolean contains(long handle) {
    return replicas.containsKey(handle);
  }

  public synchronized OptionalLong version(long handle) {
    Replica replica = replicas.get(handle);
    return replica == null ? OptionalLong.empty() : OptionalLong.of(replica.version);
  }

  public synchronized boolean isCorrupt(long handle) {
    Replica replica = replicas.get(handle);
    return replica != null && replica.corrupt;
  }

  /** May the master set this chunk to {@code version}? Says what the store must persist first. */
  public synchronized AssignAction checkAssignVersion(long handle, long version, boolean create) throws Refusal {
    if (version < 1) {
      throw new Refusal(RefusalCode.INVALID_ARGUMENT, "chunk %s: version %s < 1", handle, version);
    }
    Replica replica = replicas.get(handle);
    if (replica == null) {
      if (!create) {
        throw new Refusal(RefusalCode.UNKNOWN_CHUNK, "chunk %s is not on this chunkserver", handle);
      }
      return AssignAction.CREATE;
    }
    if (replica.corrupt) {
      throw new Refusal(RefusalCode.CHECKSUM_MISMATCH, "chunk %s is corrupt on this chunkserver", handle);
    }
    if (replica.version > version) {
      throw new Refusal(RefusalCode.STALE_VERSION, "chunk %s is at version %s here, newer than the assigned %s",
          handle, replica.version, version);
    }
    return replica.version == version ? AssignAction.UNCHANGED : AssignAction.SET_VERSION;
  }

  /**
   * The version is persisted: adopt it. A positive lease duration makes this replica primary; zero drops any lease
   * (it is a secondary) [0092].
   */
  public synchronized void versionAssigned(long handle, long version, long leaseDurationMillis, long nowMillis) {
    Check.argument(leaseDurationMillis >= 0, "lease duration %s < 0", leaseDurationMillis);
    Replica replica = replicas.get(handle);
    if (replica == null) {
      replica = new Replica(version);
      replica.lastMutationMillis = nowMillis; // created now: not idle until writes to it stop
      replicas.put(handle, replica);
    }
    Check.state(replica.version <= version, "chunk %s: version would go back from %s to %s", handle, replica.version,
        version);
    if (replica.version != version) {
      replica.version = version;
      replica.lastSerial = 0;
    }
    replica.lease = leaseDurationMillis > 0 ? Lease.granted(version, leaseDurationMillis, nowMillis) : null;
  }

  /**
   * Should a copy make this server hold {@code handle} at {@code version} (a clone [0072] or a snapshot's local copy
   * [0116])? A stale or corrupt replica is replaced (the copy is its repair); a newer one is refused.
   */
  public synchronized CopyAction checkCopyTarget(long handle, long version) throws Refusal {
    if (version < 1) {
      throw new Refusal(RefusalCode.INVALID_ARGUMENT, "chunk %s: version %s < 1", handle, version);
    }
    Replica replica = replicas.get(handle);
    if (replica == null || replica.corrupt || replica.version < version) {
      return CopyAction.COPY;
    }
    if (replica.version > version) {
      throw new Refusal(RefusalCode.STALE_VERSION, "chunk %s is at version %s here, newer than the copy's %s",
          handle, replica.version, version);
    }
    return CopyAction.ALREADY_HERE;
  }

  /**
   * A copy of {@code handle} at {@code version} is on disk and visible since {@code nowMillis}, replacing whatever
   * replica was here: no lease, no serial applied yet, not corrupt.
   */
  public synchronized void copied(long handle, long version, long nowMillis) {
    Check.argument(version >= 1, "chunk %s: version %s < 1", handle, version);
    Replica replica = new Replica(version);
    replica.lastMutationMillis = nowMillis;
    replicas.put(handle, replica);
    mutatedSinceHeartbeat.remove(handle);
  }

  /** Checks that this replica may order a mutation of {@code handle} at {@code version} as primary now. */
  public synchronized void checkPrimary(long handle, long version, long nowMillis) throws Refusal {
    Replica replica = existing(handle);
    checkSameVersion(handle, replica, version);
    if (replica.corrupt) {
      // A primary whose own copy failed its checksums serves no more mutations: the master repairs the chunk around
      // it and counts on that (a refused lease drop from it means "stopped").
      throw new Refusal(RefusalCode.CHECKSUM_MISMATCH, "chunk %s is corrupt on this chunkserver", handle);
    }
    Lease lease = replica.lease;
    if (lease == null || lease.version() != version) {
      throw new Refusal(RefusalCode.NOT_PRIMARY, "this chunkserver holds no lease on chunk %s", handle);
    }
    if (lease.expiredAt(nowMillis)) {
      throw new Refusal(RefusalCode.LEASE_EXPIRED, "the lease on chunk %s expired %s ms ago", handle,
          nowMillis - lease.expiryMillis());
    }
  }

  /** The primary's next serial number for the chunk [0101]; call under the chunk's mutation lock. */
  public synchronized long nextSerial(long handle) {
    Replica replica = replicas.get(handle);
    Check.state(replica != null, "chunk %s vanished while a mutation held its lock", handle);
    return replica.lastSerial + 1;
  }

  /** Does a secondary apply this mutation, or was it applied already? */
  public synchronized SerialCheck checkSecondary(long handle, long version, long serialNumber) throws Refusal {
    if (serialNumber < 1) {
      throw new Refusal(RefusalCode.INVALID_ARGUMENT, "chunk %s: serial number %s < 1", handle, serialNumber);
    }
    Replica replica = existing(handle);
    checkSameVersion(handle, replica, version);
    return serialNumber > replica.lastSerial ? SerialCheck.APPLY : SerialCheck.ALREADY_APPLIED;
  }

  /** The mutation with this serial number is on disk here since {@code nowMillis}. */
  public synchronized void applied(long handle, long version, long serialNumber, long nowMillis) {
    Replica replica = replicas.get(handle);
    if (replica == null || replica.version != version) {
      return; // deleted or re-versioned meanwhile; the new version counts serials afresh
    }
    Check.state(serialNumber > replica.lastSerial, "chunk %s: serial %s applied after %s", handle, serialNumber,
        replica.lastSerial);
    replica.lastSerial = serialNumber;
    replica.lastMutationMillis = nowMillis;
  }

  /** Replicas the scrubber may verify: every one not already known corrupt, in handle order [0131]. */
  public synchronized List<ScrubCandidate> scrubCandidates() {
    List<ScrubCandidate> out = new ArrayList<>(replicas.size());
    replicas.forEach((handle, r) -> {
      if (!r.corrupt) {
        out.add(new ScrubCandidate(handle, r.lastMutationMillis));
      }
    });
    return out;
  }

  /** The primary mutated the chunk: ask the master to extend its lease in the next heartbeat [0093]. */
  public synchronized void markMutated(long handle) {
    if (replicas.containsKey(handle)) {
      mutatedSinceHeartbeat.add(handle);
    }
  }

  /** May a reader that knows {@code version} read this replica? A newer replica is fine; an older one is stale. */
  public synchronized void checkRead(long handle, long version) throws Refusal {
    Replica replica = existing(handle);
    if (replica.version < version) {
      throw new Refusal(RefusalCode.STALE_VERSION, "chunk %s is at version %s here, older than the reader's %s",
          handle, replica.version, version);
    }
  }

  /** A checksum failed: the replica is reported corrupt (and left out of the chunk report) until deleted [0127]. */
  public synchronized void markCorrupt(long handle) {
    Replica replica = replicas.get(handle);
    if (replica != null) {
      replica.corrupt = true;
    }
  }

  public synchronized void removed(long handle) {
    replicas.remove(handle);
    mutatedSinceHeartbeat.remove(handle);
  }

  /**
   * The master extended the lease from a heartbeat: it runs {@code durationMillis} from now on this server's clock.
   * Ignored (false) unless this replica holds a lease on exactly that version, so a late reply cannot revive a lease
   * the master has since handed elsewhere (that would have bumped the version).
   */
  public synchronized boolean extendLease(long handle, long version, long durationMillis, long nowMillis) {
    Replica replica = replicas.get(handle);
    if (replica == null || durationMillis <= 0 || replica.lease == null || replica.lease.version() != version
        || replica.version != version) {
      return false;
    }
    Lease extended = Lease.granted(version, durationMillis, nowMillis);
    if (extended.expiryMillis() > replica.lease.expiryMillis()) {
      replica.lease = extended;
    }
    return true;
  }

  /** Chunks to ask lease extensions for: mutated since the last heartbeat and still led by this replica. */
  public synchronized List<Long> leaseExtensionRequests() {
    List<Long> out = new ArrayList<>();
    for (long handle : mutatedSinceHeartbeat) {
      Replica replica = replicas.get(handle);
      if (replica != null && replica.lease != null && replica.lease.version() == replica.version) {
        out.add(handle);
      }
    }
    return out;
  }

  /** The heartbeat carrying these requests reached the master; mutations after it count for the next one. */
  public synchronized void leaseExtensionsRequested(List<Long> handles) {
    handles.forEach(mutatedSinceHeartbeat::remove);
  }

  /** Every replica in handle order. */
  public synchronized List<ReplicaView> replicas() {
    List<ReplicaView> out = new ArrayList<>(replicas.size());
    replicas.forEach((handle, r) -> out.add(new ReplicaView(handle, r.version, r.corrupt)));
    return out;
  }

  public synchronized OptionalLong leaseExpiryMillis(long handle) {
    Replica replica = replicas.get(handle);
    return replica == null || replica.lease == null ? OptionalLong.empty()
        : OptionalLong.of(replica.lease.expiryMillis());
  }

  public synchronized void checkInvariants() {
    replicas.forEach((handle, r) -> {
      Check.state(r.corrupt || r.version >= 1, "chunk %s: version %s < 1", handle, r.version);
      Check.state(r.lastSerial >= 0, "chunk %s: last serial %s < 0", handle, r.lastSerial);
      Check.state(r.lease == null || r.lease.version() == r.version, "chunk %s: lease for version %s, chunk at %s",
          handle, r.lease == null ? 0 : r.lease.version(), r.version);
    });
    for (long handle : mutatedSinceHeartbeat) {
      Check.state(replicas.containsKey(handle), "mutated chunk %s is not held", handle);
    }
  }

  private Replica existing(long handle) throws Refusal {
    Replica replica = replicas.get(handle);
    if (replica == null) {
      throw new Refusal(RefusalCode.UNKNOWN_CHUNK, "chunk %s is not on this chunkserver", handle);
    }
    return replica;
  }

  private static void checkSameVersion(long handle, Replica replica, long version) throws Refusal {
    if (replica.version != version) {
      throw new Refusal(RefusalCode.STALE_VERSION, "chunk %s is at version %s here, the request says %s", handle,
          replica.version, version);
    }
  }
}
