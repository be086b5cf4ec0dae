package io.gfs.master.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.master.state.LogRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpLogTest {
  @TempDir
  Path dir;

  static LogRecord record(int i) {
    return new LogRecord.Create("/file-" + i, 3, i, false, true);
  }

  static List<LogEntry> recover(Path dir) throws IOException {
    List<LogEntry> entries = new ArrayList<>();
    Recovery.recover(dir, image -> { throw new AssertionError("no checkpoint expected"); }, entries::add);
    return entries;
  }

  private void writeRecords(int count) throws IOException {
    try (OpLog log = OpLog.open(dir, 0, OpLog.SyncHook.NONE)) {
      for (int i = 1; i <= count; i++) {
        assertEquals(i, log.appendAndWait(record(i)));
      }
    }
  }

  @Test
  void recordsComeBackInOrderAfterClose() throws IOException {
    writeRecords(50);
    List<LogEntry> entries = recover(dir);
    assertEquals(50, entries.size());
    for (int i = 0; i < 50; i++) {
      assertEquals(new LogEntry(i + 1, record(i + 1)), entries.get(i));
    }
  }

  /**
   * Issue 6: the segment grows in zero-filled steps ahead of its records (HDFS's edit log does the same), so a crash
   * leaves zeros after the last acknowledged record. Recovery must read every acknowledged record and drop the zeros
   * as a torn tail; a rolled or closed segment is cut back to its records (zeros anywhere but at the very end of the
   * log would read as corruption).
   */
  @Test
  void zerosAheadOfTheRecordsAreATornTailAndSealedSegmentsEndAtTheirRecords() throws Exception {
    Path crashed = Files.createDirectory(dir.resolve("crashed"));
    Path logDir = Files.createDirectory(dir.resolve("log"));
    long frameBytesTotal = 0;
    int count = 0;
    try (OpLog log = OpLog.open(logDir, 0, OpLog.SyncHook.NONE)) {
      CompletableFuture<Long> last = null;
      while (frameBytesTotal <= OpLog.PREALLOCATE_BYTES + 1000) { // into a second preallocation step
        count++;
        frameBytesTotal += RecordCodec.frame(new LogEntry(count, record(count))).length;
        last = log.append(record(count));
      }
      assertEquals(count, last.get(60, TimeUnit.SECONDS));
      Path segment = MetaFiles.segment(logDir, 1);
      assertEquals(2L * OpLog.PREALLOCATE_BYTES, Files.size(segment), "two steps of zeros ahead");
      Files.copy(segment, crashed.resolve(segment.getFileName())); // the disk as a crash would leave it
      assertEquals(count, log.roll());
      assertEquals(frameBytesTotal, Files.size(segment), "a rolled segment ends at its records");
      assertEquals(count + 1, log.appendAndWait(record(count + 1)));
    }
    List<LogEntry> afterCrash = recover(crashed);
    assertEquals(count, afterCrash.size(), "every acknowledged record survives the crash");
    assertEquals(new LogEntry(count, record(count)), afterCrash.get(count - 1));
    assertEquals(frameBytesTotal, Files.size(crashed.resolve(MetaFiles.segment(logDir, 1).getFileName())),
        "the zeros are dropped as a torn tail");
    Path second = MetaFiles.segment(logDir, count + 1);
    assertEquals(RecordCodec.frame(new LogEntry(count + 1, record(count + 1))).length, Files.size(second),
        "a closed segment ends at its records");
    List<LogEntry> all = recover(logDir);
    assertEquals(count + 1, all.size());
  }

  @Test
  void concurrentAppendsShareFsyncs() throws Exception {
    int threads = 32;
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger syncs = new AtomicInteger();
    OpLog.SyncHook hook = records -> {
      if (syncs.incrementAndGet() == 1) {
        try {
          // Hold the first fsync until every other append is queued behind it.
          if (!release.await(60, TimeUnit.SECONDS)) {
            throw new IOException("test did not release the first sync");
          }
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (OpLog log = OpLog.open(dir, 0, hook)) {
      List<Future<Long>> appends = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int n = t;
        appends.add(pool.submit(() -> log.appendAndWait(record(n))));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (log.lastSequence() < threads) {
        assertTrue(System.nanoTime() < deadline, "appends were not queued");
        Thread.sleep(1);
      }
      release.countDown();
      for (Future<Long> append : appends) {
        append.get(60, TimeUnit.SECONDS);
      }
      assertEquals(2, log.syncCount(), "one fsync for the first batch, one for all that queued behind it");
      assertEquals(threads, log.durableSequence());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads, recover(dir).size());
  }

  /**
   * Issue 6: after a batch of several records, the writer waits for the acknowledged appenders' next records and
   * writes them in the same fsync as those that queued meanwhile. Here: A's record syncs alone while B, C and D queue;
   * A's next record joins B, C and D in the second fsync instead of needing a third. Without the gathering wait the
   * writer drains B, C and D at once, and A's next record waits for a third fsync (batches 1, 3, 1).
   */
  @Test
  void theNextBatchWaitsForTheRecordsOfTheAppendersJustAcknowledged() throws Exception {
    CountDownLatch firstSyncEntered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> batches = java.util.Collections.synchronizedList(new ArrayList<>());
    OpLog.SyncHook hook = records -> {
      batches.add(records);
      if (batches.size() == 1) {
        firstSyncEntered.countDown();
        try {
          if (!release.await(60, TimeUnit.SECONDS)) { // until B, C and D are queued behind A's record
            throw new IOException("test did not release the first sync");
          }
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(4);
    // The gathering wait fixed at 60 s: the batches cannot depend on how fast this machine runs the appenders.
    try (OpLog log = OpLog.open(dir, 0, hook, TimeUnit.SECONDS.toNanos(60))) {
      Future<Long> a = pool.submit(() -> {
        log.appendAndWait(record(1));
        return log.appendAndWait(record(5));
      });
      assertTrue(firstSyncEntered.await(60, TimeUnit.SECONDS), "A's record was not written");
      List<Future<Long>> others = new ArrayList<>();
      for (int n = 2; n <= 4; n++) {
        int i = n;
        others.add(pool.submit(() -> log.appendAndWait(record(i))));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (log.lastSequence() < 4) {
        assertTrue(System.nanoTime() < deadline, "B, C and D were not queued");
        Thread.sleep(1);
      }
      release.countDown();
      assertEquals(5, a.get(60, TimeUnit.SECONDS));
      for (Future<Long> other : others) {
        other.get(60, TimeUnit.SECONDS);
      }
      assertEquals(List.of(1, 4), batches, "A's next record shares the fsync of B, C and D");
      assertEquals(2, log.syncCount());
    } finally {
      pool.shutdownNow();
    }
    List<LogEntry> entries = recover(dir);
    assertEquals(5, entries.size());
    assertEquals(record(5), entries.get(4).record());
  }

  @Test
  void aFailedSyncFailsTheBatchAndEveryLaterAppend() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (OpLog log = OpLog.open(dir, 0, records -> {
      if (calls.incrementAndGet() == 2) {
        throw new IOException("disk gone");
      }
    })) {
      log.appendAndWait(record(1));
      IOException first = assertThrows(IOException.class, () -> log.appendAndWait(record(2)));
      assertTrue(first.getMessage().contains("disk gone"), first.getMessage());
      CompletableFuture<Long> later = log.append(record(3));
      assertTrue(later.isCompletedExceptionally(), "fail fast once broken");
      assertTrue(log.failure() != null);
      assertThrows(IOException.class, log::roll);
    }
  }

  /**
   * Caller-led group commit: an appender that finds no write running writes and syncs its own record on its own
   * thread, with no hand-off to a writer thread and back. (Before, every batch was synced by "gfs-oplog-writer".)
   */
  @Test
  void aLoneAppenderSyncsItsOwnRecordOnItsOwnThread() throws Exception {
    List<Thread> syncedOn = java.util.Collections.synchronizedList(new ArrayList<>());
    try (OpLog log = OpLog.open(dir, 0, records -> syncedOn.add(Thread.currentThread()))) {
      for (int i = 1; i <= 5; i++) {
        assertEquals(i, log.appendAndWait(record(i)));
      }
      assertEquals(5, log.syncCount());
    }
    assertEquals(java.util.Collections.nCopies(5, Thread.currentThread()), syncedOn);
    assertEquals(5, recover(dir).size());
  }

  /**
   * A leader interrupted inside its write (a FileChannel closes itself then) still makes its batch durable: it writes
   * the batch again on the reopened segment, and neither it nor the appenders queued behind it fail or hang. Its
   * interrupt status is kept for its caller. (Before, an interrupted appender got InterruptedIOException.)
   */
  @Test
  void aLeaderInterruptedWhileWritingFinishesItsBatchAndHandsTheLeadOn() throws Exception {
    AtomicInteger syncs = new AtomicInteger();
    OpLog[] opened = new OpLog[1];
    OpLog.SyncHook hook = records -> {
      if (syncs.incrementAndGet() == 1) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (opened[0].lastSequence() < 3) { // until B and C are queued behind A's record
          if (System.nanoTime() > deadline) {
            throw new IOException("B and C were not queued");
          }
          Thread.onSpinWait();
        }
        Thread.currentThread().interrupt(); // lands as if during the write: the force below meets it
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(3);
    long bSequence;
    long cSequence;
    try (OpLog log = OpLog.open(dir, 0, hook)) {
      opened[0] = log;
      Future<Boolean> a = pool.submit(() -> {
        assertEquals(1, log.appendAndWait(record(1)));
        return Thread.currentThread().isInterrupted();
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (syncs.get() == 0) {
        assertTrue(System.nanoTime() < deadline, "A did not reach its sync");
        Thread.sleep(1);
      }
      Future<Long> b = pool.submit(() -> log.appendAndWait(record(2)));
      Future<Long> c = pool.submit(() -> log.appendAndWait(record(3)));
      assertTrue(a.get(60, TimeUnit.SECONDS), "the leader's interrupt status is kept");
      // B and C queue from two pool threads at once, so either may take sequence 2.
      bSequence = b.get(60, TimeUnit.SECONDS);
      cSequence = c.get(60, TimeUnit.SECONDS);
      assertEquals(java.util.Set.of(2L, 3L), java.util.Set.of(bSequence, cSequence));
      assertEquals(null, log.failure());
      assertEquals(4, log.appendAndWait(record(4)));
    } finally {
      pool.shutdownNow();
    }
    List<LogEntry> entries = recover(dir);
    assertEquals(List.of(new LogEntry(1, record(1)), new LogEntry(bSequence, record(2)),
        new LogEntry(cSequence, record(3)), new LogEntry(4, record(4))).stream()
        .sorted(java.util.Comparator.comparingLong(LogEntry::sequence)).toList(), entries);
  }

  /**
   * An appender interrupted while another leads gets InterruptedIOException at once, as before; the lead it may be
   * handed later goes to the writer instead, so its record and those behind it still become durable.
   */
  @Test
  void anAppenderInterruptedWhileWaitingLeavesNoRecordBehind() throws Exception {
    CountDownLatch firstSyncEntered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger syncs = new AtomicInteger();
    OpLog.SyncHook hook = records -> {
      if (syncs.incrementAndGet() == 1) {
        holdSync(firstSyncEntered, release);
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (OpLog log = OpLog.open(dir, 0, hook)) {
      Future<Long> a = pool.submit(() -> log.appendAndWait(record(1)));
      assertTrue(firstSyncEntered.await(60, TimeUnit.SECONDS), "A's record was not written");
      Thread[] bThread = new Thread[1];
      Future<Long> b = pool.submit(() -> {
        bThread[0] = Thread.currentThread();
        return log.appendAndWait(record(2));
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (log.lastSequence() < 2) {
        assertTrue(System.nanoTime() < deadline, "B was not queued");
        Thread.sleep(1);
      }
      Future<Long> c = pool.submit(() -> log.appendAndWait(record(3)));
      while (log.lastSequence() < 3) {
        assertTrue(System.nanoTime() < deadline, "C was not queued");
        Thread.sleep(1);
      }
      bThread[0].interrupt();
      java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
          () -> b.get(60, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof java.io.InterruptedIOException, e.toString());
      release.countDown();
      assertEquals(1, a.get(60, TimeUnit.SECONDS));
      assertEquals(3, c.get(60, TimeUnit.SECONDS));
      assertEquals(3, log.durableSequence(), "B's record became durable without B");
      assertEquals(null, log.failure());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(3, recover(dir).size());
  }

  /** A failed sync fails its batch and every record queued behind it, whoever would have led them. */
  @Test
  void aFailedSyncFailsEveryoneQueuedBehindIt() throws Exception {
    CountDownLatch firstSyncEntered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    OpLog.SyncHook hook = records -> {
      holdSync(firstSyncEntered, release);
      throw new IOException("disk gone");
    };
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (OpLog log = OpLog.open(dir, 0, hook)) {
      List<Future<Long>> appends = new ArrayList<>();
      appends.add(pool.submit(() -> log.appendAndWait(record(1))));
      assertTrue(firstSyncEntered.await(60, TimeUnit.SECONDS), "the first record was not written");
      for (int n = 2; n <= 4; n++) {
        int i = n;
        appends.add(pool.submit(() -> log.appendAndWait(record(i))));
      }
      CompletableFuture<Long> viaFuture = log.append(record(5));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (log.lastSequence() < 5) {
        assertTrue(System.nanoTime() < deadline, "the records were not queued");
        Thread.sleep(1);
      }
      release.countDown();
      for (Future<Long> append : appends) {
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
            () -> append.get(60, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("disk gone"), e.getCause().getMessage());
      }
      assertThrows(java.util.concurrent.ExecutionException.class, () -> viaFuture.get(60, TimeUnit.SECONDS));
      assertEquals(0, log.syncCount(), "no sync succeeded");
      assertEquals(0, log.durableSequence());
      assertThrows(IOException.class, () -> log.appendAndWait(record(6)));
    } finally {
      pool.shutdownNow();
    }
  }

  /** Many appenders at once: every record durable before its appender hears of it, in one sequence order. */
  @Test
  void concurrentAppendersAreAllDurableInSequenceOrder() throws Exception {
    int threads = 8;
    int perThread = 200;
    OpLog[] opened = new OpLog[1];
    AtomicInteger notDurable = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<List<Long>> seen = new ArrayList<>();
    try (OpLog log = OpLog.open(dir, 0, OpLog.SyncHook.NONE)) {
      opened[0] = log;
      List<Future<List<Long>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int n = t;
        futures.add(pool.submit(() -> {
          List<Long> mine = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            long sequence = log.appendAndWait(record(n * perThread + i));
            if (log.durableSequence() < sequence) {
              notDurable.incrementAndGet();
            }
            mine.add(sequence);
          }
          return mine;
        }));
      }
      for (Future<List<Long>> f : futures) {
        seen.add(f.get(60, TimeUnit.SECONDS));
      }
      assertTrue(log.syncCount() <= threads * perThread);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, notDurable.get(), "answered before durable");
    java.util.Set<Long> all = new java.util.HashSet<>();
    for (int t = 0; t < threads; t++) {
      List<Long> mine = seen.get(t);
      for (int i = 1; i < mine.size(); i++) {
        assertTrue(mine.get(i) > mine.get(i - 1), "one appender's records in its order");
      }
      all.addAll(mine);
    }
    assertEquals(threads * perThread, all.size());
    List<LogEntry> entries = recover(dir);
    assertEquals(threads * perThread, entries.size());
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        long sequence = seen.get(t).get(i);
        assertEquals(record(t * perThread + i), entries.get((int) sequence - 1).record(), "record at " + sequence);
      }
    }
  }

  @Test
  void tornTailAtEveryByteOfTheLastRecordKeepsAllEarlierRecords() throws IOException {
    writeRecords(5);
    Path segment = MetaFiles.segment(dir, 1);
    byte[] whole = Files.readAllBytes(segment);
    int lastFrame = RecordCodec.frame(new LogEntry(5, record(5))).length;
    int start = whole.length - lastFrame;
    for (int cut = start; cut < whole.length; cut++) {
      Files.write(segment, java.util.Arrays.copyOf(whole, cut));
      deleteOtherSegments(segment);
      List<LogEntry> entries = recover(dir);
      assertEquals(4, entries.size(), "cut at " + cut);
      assertEquals(start, Files.size(segment), "the torn tail is truncated");
    }
    // The log goes on after the truncated tail, in a new segment, and a restart reads both.
    try (OpLog log = OpLog.open(dir, 4, OpLog.SyncHook.NONE)) {
      assertEquals(5, log.appendAndWait(record(55)));
    }
    List<LogEntry> entries = recover(dir);
    assertEquals(5, entries.size());
    assertEquals(record(55), entries.get(4).record());
  }

  @Test
  void aFlippedByteInTheLastRecordIsATornTail() throws IOException {
    writeRecords(3);
    Path segment = MetaFiles.segment(dir, 1);
    flip(segment, Files.size(segment) - 2);
    assertEquals(2, recover(dir).size());
  }

  @Test
  void aBadRecordFollowedByAValidOneInTheLastSegmentIsFatalNotATornTail() throws IOException {
    writeRecords(5);
    Path segment = MetaFiles.segment(dir, 1);
    int frameBytes = RecordCodec.frame(new LogEntry(1, record(1))).length;
    long secondFrame = frameBytes; // records 1..9 encode to frames of one length
    flip(segment, secondFrame + RecordCodec.HEADER_BYTES + 3); // bit rot inside record 2's payload
    long before = Files.size(segment);
    IOException e = assertThrows(IOException.class, () -> recover(dir));
    assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("bad record at byte " + secondFrame), e.getMessage());
    assertTrue(e.getMessage().contains("sequence 3, follows at byte " + 2 * secondFrame), e.getMessage());
    assertEquals(before, Files.size(segment), "nothing is truncated when recovery refuses");
  }

  @Test
  void aCutRecordWithGarbageZerosOrOldRecordsBehindItIsStillATornTail() throws IOException {
    writeRecords(4);
    Path segment = MetaFiles.segment(dir, 1);
    byte[] whole = Files.readAllBytes(segment);
    int frameBytes = whole.length / 4;
    byte[] oldFrame = java.util.Arrays.copyOfRange(whole, 0, frameBytes); // sequence 1: not after the last good one
    byte[] garbage = new byte[100_000];
    new java.util.Random(7).nextBytes(garbage);
    for (byte[] tail : List.of(new byte[4096], garbage, oldFrame)) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      out.write(whole, 0, 3 * frameBytes + 5); // record 4 cut after 5 bytes
      out.write(tail);
      Files.write(segment, out.toByteArray());
      List<LogEntry> entries = recover(dir);
      assertEquals(3, entries.size());
      assertEquals(3L * frameBytes, Files.size(segment), "the torn tail is truncated");
    }
  }

  @Test
  void findLaterFrameSpansScanWindows() throws IOException {
    writeRecords(2);
    Path segment = MetaFiles.segment(dir, 1);
    byte[] whole = Files.readAllBytes(segment);
    int frameBytes = whole.length / 2;
    byte[] padded = new byte[3 * (1 << 20) + 123 + frameBytes];
    System.arraycopy(whole, frameBytes, padded, padded.length - frameBytes, frameBytes); // record 2, far away
    Files.write(segment, padded);
    SegmentReader.LaterFrame found = SegmentReader.findLaterFrame(segment, 1, 1);
    assertEquals(new SegmentReader.LaterFrame(padded.length - frameBytes, 2), found);
    assertEquals(null, SegmentReader.findLaterFrame(segment, 1, 2), "not after the last good sequence");
  }

  @Test
  void corruptionInANonLastSegmentIsFatal() throws IOException {
    try (OpLog log = OpLog.open(dir, 0, OpLog.SyncHook.NONE)) {
      for (int i = 1; i <= 5; i++) {
        log.appendAndWait(record(i));
      }
      assertEquals(5, log.roll());
      log.appendAndWait(record(6));
    }
    flip(MetaFiles.segment(dir, 1), 20);
    IOException e = assertThrows(IOException.class, () -> recover(dir));
    assertTrue(e.getMessage().contains("not the last segment"), e.getMessage());
  }

  @Test
  void aMissingSegmentIsAGap() throws IOException {
    try (OpLog log = OpLog.open(dir, 0, OpLog.SyncHook.NONE)) {
      log.appendAndWait(record(1));
      log.roll();
      log.appendAndWait(record(2));
      log.roll();
      log.appendAndWait(record(3));
    }
    Files.delete(MetaFiles.segment(dir, 2));
    IOException e = assertThrows(IOException.class, () -> recover(dir));
    assertTrue(e.getMessage().contains("gap"), e.getMessage());
  }

  @Test
  void restartsWithoutNewRecordsKeepWorking() throws IOException {
    writeRecords(2);
    for (int restart = 0; restart < 3; restart++) {
      long last = recover(dir).size();
      try (OpLog log = OpLog.open(dir, last, OpLog.SyncHook.NONE)) {
        assertEquals(last, log.lastSequence());
      }
    }
    assertEquals(2, recover(dir).size());
    TreeMap<Long, Path> segments = MetaFiles.segments(dir);
    assertEquals(List.of(1L, 3L), new ArrayList<>(segments.keySet()), "an empty segment is reused, not piled up");
  }

  private void deleteOtherSegments(Path keep) throws IOException {
    for (Path p : MetaFiles.segments(dir).values()) {
      if (!p.equals(keep)) {
        Files.delete(p);
      }
    }
  }

  static void flip(Path file, long offset) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0x40);
    }
  }

  /** In a SyncHook: says the sync was entered, then holds it until the test releases it (60 s at most). */
  private static void holdSync(CountDownLatch entered, CountDownLatch release) throws IOException {
    entered.countDown();
    try {
      if (!release.await(60, TimeUnit.SECONDS)) {
        throw new IOException("test did not release the first sync");
      }
    } catch (InterruptedException e) {
      throw new IOException(e);
    }
  }
}
