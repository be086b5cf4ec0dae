package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

  /**
   * The 15-minute soak (seed 4603268277754260782, 8c22aa5): a restarted master applied two creates of different files
   * at once (both logged at 1795687998196 ms, records 8189 and 8190; the journal applies under a shared lock), the
   * cache's unguarded LinkedHashMap threw ConcurrentModificationException in record(), and the journal refused every
   * mutation from then on - a lease's version bump and the heartbeats' adoptions of it too, so /data/appended's last
   * chunk (handle 4446, version 2 on three disks, 1 in the log) had no current replica. Deterministic: while this
   * thread holds the cache's monitor, a record() on another thread must wait for it (before: it ran straight through).
   */
  @Test
  void recordWaitsWhileAnotherThreadUsesTheCache() throws Exception {
    RetryCache cache = new RetryCache(10, 1_000);
    Thread recorder = new Thread(() -> cache.record(entry(A, 100)), "retry-cache-recorder");
    synchronized (cache) {
      recorder.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // generous: the machine may be loaded
      while (recorder.getState() != Thread.State.BLOCKED && recorder.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertEquals(Thread.State.BLOCKED, recorder.getState(),
          "record() changed the cache without its monitor: concurrent applies corrupt it");
    }
    recorder.join(TimeUnit.SECONDS.toMillis(60));
    assertFalse(recorder.isAlive());
    assertTrue(cache.lookup(A, 100).isPresent());
  }

  /** The soak's case end to end: requested creates of different files applied from several threads at once. */
  @Test
  void concurrentAppliesOfRequestedCreatesKeepTheCacheWhole() throws Exception {
    StateFixture f = new StateFixture();
    f.state.configureRetryCache(16, 1_000_000); // small: every record also evicts, as a full cache does
    f.mkdirs("/d");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        tasks.add(pool.submit(() -> {
          for (int i = 0; i < 2_000; i++) {
            String path = "/d/f" + thread + "-" + i;
            try (LockTable.Held l = f.state.lockWrite(path)) {
              LogRecord create = f.state.decideCreate(path, false, true, 1, i).orThrow().record().orElseThrow();
              f.state.apply(new LogRecord.Requested(new RetryCache.Key(thread, 0, i), 10_000 + i, create));
            }
          }
          return null;
        }));
      }
      for (Future<?> task : tasks) {
        task.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(16, f.state.retryCacheSize());
    assertEquals(8_000, f.state.fileCount());
  }
}
