package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 4: the retry cache, alone and as MasterState fills it from the log. */
class RetryCacheTest {
  private static final RetryCache.Key A = new RetryCache.Key(1, 2, 1);
  private static final RetryCache.Key B = new RetryCache.Key(1, 2, 2);
  private static final RetryCache.Key C = new RetryCache.Key(3, 4, 1);

  private static RetryCache.Entry entry(RetryCache.Key key, long atMillis) {
    return new RetryCache.Entry(key, LogRecord.Kind.RENAME, atMillis, null);
  }

  @Test
  void aRecordedCallIsFoundUntilItExpires() {
    RetryCache cache = new RetryCache(10, 1_000);
    assertTrue(cache.lookup(A, 0).isEmpty());
    assertTrue(cache.lookup(null, 0).isEmpty(), "a call without a request id is never a retry");
    cache.record(entry(A, 100));
    assertEquals(A, cache.lookup(A, 100).orElseThrow().key());
    assertTrue(cache.lookup(A, 1_100).isPresent(), "still within the expiry");
    assertTrue(cache.lookup(A, 1_101).isEmpty(), "past the expiry a retry is a new call");
    assertTrue(cache.lookup(B, 100).isEmpty(), "another call of the same client");
  }

  @Test
  void theCacheIsBoundedByEntriesAndByAgeEldestFirst() {
    RetryCache cache = new RetryCache(2, 1_000);
    cache.record(entry(A, 100));
    cache.record(entry(B, 200));
    cache.record(entry(C, 300));
    assertEquals(2, cache.size());
    assertTrue(cache.lookup(A, 300).isEmpty(), "the eldest goes first");
    assertTrue(cache.lookup(B, 300).isPresent() && cache.lookup(C, 300).isPresent());
    cache.record(entry(A, 1_250)); // B (200) is now older than the expiry at the newest record's time
    assertTrue(cache.lookup(B, 300).isEmpty());
    assertEquals(2, cache.size());
    assertThrows(IllegalArgumentException.class, () -> new RetryCache(0, 1));
  }

  @Test
  void applyingARequestedRecordMakesTheChangeAndRemembersTheCallAndReplayRebuildsIt() {
    StateFixture f = new StateFixture();
    f.mkdirs("/d");
    List<LogRecord> log = new ArrayList<>(f.log);
    LogRecord create;
    try (LockTable.Held l = f.state.lockWrite("/d/f")) {
      create = f.state.decideCreate("/d/f", false, true, 2, 5_000).orThrow().record().orElseThrow();
    }
    LogRecord requested = new LogRecord.Requested(A, 5_000, create);
    f.state.apply(requested);
    log.add(requested);
    LogRecord rename = new LogRecord.Requested(B, 5_001, new LogRecord.Rename("/d/f", "/d/g", 5_001));
    f.state.apply(rename);
    log.add(rename);

    RetryCache.Entry created = f.state.retried(A, 5_002).orElseThrow();
    assertEquals(LogRecord.Kind.CREATE, created.kind());
    assertEquals("/d/f", created.created().path(), "the create's original answer, though the file moved since");
    assertEquals(2, created.created().replication());
    assertEquals(LogRecord.Kind.RENAME, f.state.retried(B, 5_002).orElseThrow().kind());
    assertTrue(f.state.fileStatus("/d/g") != null);

    MasterState replayed = StateFixture.fresh(); // a restart's replay, a standby or a shadow applying the stream
    log.forEach(replayed::apply);
    assertEquals(2, replayed.retryCacheSize());
    assertEquals("/d/f", replayed.retried(A, 5_002).orElseThrow().created().path());
    assertTrue(replayed.retried(B, 5_002).isPresent());
    assertFalse(replayed.retried(C, 5_002).isPresent());
  }

  @Test
  void onlyMutationsAreWrapped() {
    assertThrows(IllegalArgumentException.class, () -> new LogRecord.Requested(A, 1, new LogRecord.NewTerm(2, 1)));
    assertThrows(IllegalArgumentException.class, () -> new LogRecord.Requested(A, 1,
        new LogRecord.Requested(B, 1, new LogRecord.Mkdir("/x", 1))));
  }
}
