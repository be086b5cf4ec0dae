package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the master remembers of the non-idempotent calls it applied (issue 4), keyed by the client's request id, so
 * that a call retried after its reply was lost (a dropped connection, a master that died after committing) gets the
 * original outcome instead of ALREADY_EXISTS, NOT_FOUND or a second application. HDFS's NameNode keeps the same kind of
 * cache (RetryCache, dfs.namenode.retrycache.*).
 *
 * <p>Entries are added only by {@link MasterState#apply} of a {@link LogRecord.Requested} record, so replay, log
 * replicas (standbys) and shadows rebuild the same cache from the log: a retry that reaches the new master after a
 * failover is recognised there. Bounded by entry count and by age; both evictions use the records' own times, so every
 * replica evicts the same entries. Checkpoints do not hold the cache: a master restarted from a checkpoint knows the
 * requests logged after it (as HDFS, whose cache is rebuilt from the edits only).
 *
 * <p>Thread-safe: the journal applies records of different paths at once (under its shared lock), and handlers look
 * calls up meanwhile. Unguarded, two creates applied together threw ConcurrentModificationException here and the
 * journal refused every mutation after it (the 15-minute soak at 8c22aa5 lost a chunk to that).
 */
public final class RetryCache {
  /** A client's call: the client id (128 random bits) and its call number. */
  public record Key(long clientIdHigh, long clientIdLow, long callId) {}

  /** An applied call: the kind of record it logged, when the active master decided it, what a create answered. */
  public record Entry(Key key, LogRecord.Kind kind, long atMillis, FileStatus created) {
    public Entry {
      Check.notNull(key, "key");
      Check.notNull(kind, "kind");
    }
  }

  public static final int ENTRIES_MAX_DEFAULT = 100_000;
  /** HDFS's dfs.namenode.retrycache.expirytime.millis default: ten minutes. */
  public static final long EXPIRY_MILLIS_DEFAULT = 600_000;

  private final int entriesMax;
  private final long expiryMillis;
  /** Insertion order is log order, so the eldest entry is the oldest. */
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();

  public RetryCache(int entriesMax, long expiryMillis) {
    Check.argument(entriesMax > 0, "retry cache entries max %s <= 0", entriesMax);
    Check.argument(expiryMillis > 0, "retry cache expiry %s ms <= 0", expiryMillis);
    this.entriesMax = entriesMax;
    this.expiryMillis = expiryMillis;
  }

  /** Remembers an applied call, evicting the eldest entries beyond the bound and those expired at its time. */
  synchronized void record(Entry entry) {
    entries.remove(entry.key()); // a key is applied once; re-inserting keeps the order honest if it ever is not
    entries.put(entry.key(), entry);
    Iterator<Map.Entry<Key, Entry>> eldest = entries.entrySet().iterator();
    while (eldest.hasNext()) {
      Entry e = eldest.next().getValue();
      if (entries.size() > entriesMax || e.atMillis() < entry.atMillis() - expiryMillis) {
        eldest.remove();
      } else {
        break;
      }
    }
  }

  /** The applied call with this key, if it is remembered and not older than the expiry at nowMillis. */
  public synchronized Optional<Entry> lookup(Key key, long nowMillis) {
    if (key == null) {
      return Optional.empty();
    }
    Entry e = entries.get(key);
    if (e == null || nowMillis - e.atMillis() > expiryMillis) {
      return Optional.empty();
    }
    return Optional.of(e);
  }

  public synchronized int size() {
    return entries.size();
  }
}
