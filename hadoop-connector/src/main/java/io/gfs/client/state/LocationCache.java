package io.gfs.client.state;

import io.gfs.common.Check;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Chunk locations keyed by file name and chunk index [0089], each trusted until ttlMillis after the master answered.
 * A read that fails on every replica drops the file's entries so the next attempt asks the master again. Thread-safe;
 * time comes in as nowMillis.
 */
public final class LocationCache {
  /** Chunk entries kept over all files; past it expired entries go, then everything (cheap to re-fetch). */
  public static final int ENTRIES_MAX = 100_000;

  private final long ttlMillis;
  private final Map<String, TreeMap<Long, Entry>> byPath = new HashMap<>();
  private int entryCount;

  public LocationCache(long ttlMillis) {
    Check.argument(ttlMillis >= 0, "ttl %s ms < 0", ttlMillis);
    this.ttlMillis = ttlMillis;
  }

  public synchronized Optional<ChunkReplicas> get(String path, long chunkIndex, long nowMillis) {
    TreeMap<Long, Entry> chunks = byPath.get(path);
    Entry entry = chunks == null ? null : chunks.get(chunkIndex);
    if (entry == null) {
      return Optional.empty();
    }
    if (nowMillis >= entry.expiresAtMillis) {
      remove(path, chunks, chunkIndex);
      return Optional.empty();
    }
    return Optional.of(entry.replicas);
  }

  /** Stores locations the master returned at receivedAtMillis. With a ttl of 0 nothing is kept. */
  public synchronized void put(String path, Iterable<ChunkReplicas> chunks, long receivedAtMillis) {
    if (ttlMillis == 0) {
      return;
    }
    TreeMap<Long, Entry> entries = byPath.computeIfAbsent(path, p -> new TreeMap<>());
    for (ChunkReplicas chunk : chunks) {
      if (entries.put(chunk.chunkIndex(), new Entry(chunk, receivedAtMillis + ttlMillis)) == null) {
        entryCount++;
      }
    }
    if (entryCount > ENTRIES_MAX) {
      evictExpired(receivedAtMillis);
    }
    if (entryCount > ENTRIES_MAX) {
      byPath.clear();
      entryCount = 0;
    }
  }

  public synchronized void invalidate(String path) {
    TreeMap<Long, Entry> removed = byPath.remove(path);
    if (removed != null) {
      entryCount -= removed.size();
    }
  }

  public synchronized void invalidateAll() {
    byPath.clear();
    entryCount = 0;
  }

  public synchronized int size() {
    return entryCount;
  }

  private void remove(String path, TreeMap<Long, Entry> chunks, long chunkIndex) {
    if (chunks.remove(chunkIndex) != null) {
      entryCount--;
    }
    if (chunks.isEmpty()) {
      byPath.remove(path);
    }
  }

  private void evictExpired(long nowMillis) {
    Iterator<Map.Entry<String, TreeMap<Long, Entry>>> paths = byPath.entrySet().iterator();
    while (paths.hasNext()) {
      TreeMap<Long, Entry> chunks = paths.next().getValue();
      int before = chunks.size();
      chunks.values().removeIf(e -> nowMillis >= e.expiresAtMillis);
      entryCount -= before - chunks.size();
      if (chunks.isEmpty()) {
        paths.remove();
      }
    }
  }

  private record Entry(ChunkReplicas replicas, long expiresAtMillis) {}
}
