package io.gfs.client.state;

import io.gfs.common.Check;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Leases the client holds knowledge of [0096]: per (file, chunk index) for writes, and per file the lease on what the
 * client last saw as the file's last chunk, for record appends [0105]. A lease is used until it expires on the client's
 * clock, or until a mutation under it fails (then it is dropped and the master asked again). Thread-safe; time comes in
 * as nowMillis.
 */
public final class LeaseCache {
  /** Leases kept; the least recently stored go first. */
  public static final int ENTRIES_MAX = 10_000;

  private final Map<Key, Lease> chunkLeases = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Lease> eldest) {
      return size() > ENTRIES_MAX;
    }
  };
  private final Map<String, Lease> lastChunkLeases = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Lease> eldest) {
      return size() > ENTRIES_MAX;
    }
  };

  public synchronized Optional<Lease> get(String path, long chunkIndex, long nowMillis) {
    Key key = new Key(path, chunkIndex);
    Lease lease = chunkLeases.get(key);
    if (lease != null && !lease.validAt(nowMillis)) {
      chunkLeases.remove(key);
      lease = null;
    }
    return Optional.ofNullable(lease);
  }

  public synchronized void put(String path, Lease lease) {
    Check.notNull(lease, "lease");
    chunkLeases.put(new Key(path, lease.chunkIndex()), lease);
  }

  /** Drops the lease of one chunk, after a mutation under it failed. */
  public synchronized void drop(String path, long chunkIndex) {
    chunkLeases.remove(new Key(path, chunkIndex));
    Lease last = lastChunkLeases.get(path);
    if (last != null && last.chunkIndex() == chunkIndex) {
      lastChunkLeases.remove(path);
    }
  }

  /** The lease on the file's last chunk as last seen, for record append. */
  public synchronized Optional<Lease> lastChunk(String path, long nowMillis) {
    Lease lease = lastChunkLeases.get(path);
    if (lease != null && !lease.validAt(nowMillis)) {
      lastChunkLeases.remove(path);
      lease = null;
    }
    return Optional.ofNullable(lease);
  }

  /** Records that lease is on the file's last chunk (never moving back to an earlier chunk). */
  public synchronized void putLastChunk(String path, Lease lease) {
    Check.notNull(lease, "lease");
    Lease current = lastChunkLeases.get(path);
    if (current == null || current.chunkIndex() <= lease.chunkIndex()) {
      lastChunkLeases.put(path, lease);
    }
    chunkLeases.put(new Key(path, lease.chunkIndex()), lease);
  }

  /** Forgets every lease of a file (it was deleted, renamed or overwritten). */
  public synchronized void dropFile(String path) {
    chunkLeases.keySet().removeIf(k -> k.path.equals(path));
    lastChunkLeases.remove(path);
  }

  public synchronized void dropAll() {
    chunkLeases.clear();
    lastChunkLeases.clear();
  }

  private record Key(String path, long chunkIndex) {}
}
