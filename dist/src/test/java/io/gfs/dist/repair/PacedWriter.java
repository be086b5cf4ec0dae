package io.gfs.dist.repair;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * The client that writes while a repair runs, in bursts: one file of fileBytes at replication 3 at most every
 * periodMillis (the next at once when a write took longer), until stopped or until it has written budgetBytes. Its
 * rate over a span counts only the time it spent writing, so bursts spread over the whole repair measure the client's
 * share from the kill to the end while its bytes stay bounded: a writer that wrote without pause put 27-38 GB on
 * disk during one ~130 s repair (session 12) and once filled the disk.
 */
final class PacedWriter implements AutoCloseable {
  /** Bytes acknowledged and nanoseconds spent writing, both since the writer started. */
  record Mark(long bytes, long writingNanos) {
    /** Bytes per second written between earlier and this mark, over the time spent writing only. */
    double rateSince(Mark earlier) {
      return (bytes - earlier.bytes) * 1e9 / Math.max(1, writingNanos - earlier.writingNanos);
    }
  }

  private final String prefix;
  private final long fileBytes;
  private final long periodNanos;
  private final long budgetBytes;
  private final AtomicLong written = new AtomicLong();
  private final ConcurrentLinkedQueue<String> files = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;
  /** Guarded by this: time spent in finished bursts, and the start of the running one (-1 between bursts). */
  private long finishedNanos;
  private long burstStartNanos = -1;
  private int burstsDone;
  /** Guarded by this: each finished burst's start and duration in nanoseconds, for the test's printout. */
  private final List<long[]> burstTimes = new ArrayList<>();

  PacedWriter(URI uri, Configuration conf, String prefix, long fileBytes, long periodMillis, long budgetBytes) {
    if (fileBytes <= 0 || periodMillis <= 0 || budgetBytes < fileBytes) {
      throw new IllegalArgumentException("file " + fileBytes + " period " + periodMillis + " budget " + budgetBytes);
    }
    this.prefix = prefix;
    this.fileBytes = fileBytes;
    this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
    this.budgetBytes = budgetBytes;
    this.thread = new Thread(() -> run(uri, conf), "repair-writer");
    thread.start();
  }

  private void run(URI uri, Configuration conf) {
    try (FileSystem fs = FileSystem.newInstance(uri, conf)) {
      KillData mine = new KillData(fs);
      long lastStart = System.nanoTime() - periodNanos;
      for (int n = 0; (n + 1) * fileBytes <= budgetBytes; n++) {
        long waitNanos = lastStart + periodNanos - System.nanoTime();
        if (stop.await(Math.max(0, waitNanos), TimeUnit.NANOSECONDS)) {
          return;
        }
        String path = prefix + n;
        lastStart = begin();
        try {
          mine.write(path, fileBytes, (short) 3, written);
        } finally {
          end();
        }
        files.add(path);
      }
    } catch (Throwable t) {
      failure.set(t);
    }
  }

  private synchronized long begin() {
    burstStartNanos = System.nanoTime();
    return burstStartNanos;
  }

  private synchronized void end() {
    long tookNanos = System.nanoTime() - burstStartNanos;
    finishedNanos += tookNanos;
    burstTimes.add(new long[] {burstStartNanos, tookNanos});
    burstStartNanos = -1;
    burstsDone++;
  }

  /** Where the writer is now; a burst in progress counts with the bytes and time it has so far. */
  synchronized Mark mark() {
    long running = burstStartNanos < 0 ? 0 : System.nanoTime() - burstStartNanos;
    return new Mark(written.get(), finishedNanos + running);
  }

  synchronized int burstsDone() {
    return burstsDone;
  }

  /** Each finished burst as "start:duration" in milliseconds, the start relative to zeroNanos. */
  synchronized String bursts(long zeroNanos) {
    StringBuilder out = new StringBuilder();
    for (long[] burst : burstTimes) {
      out.append(out.length() == 0 ? "" : " ").append((burst[0] - zeroNanos) / 1_000_000).append(':')
          .append(burst[1] / 1_000_000);
    }
    return out.toString();
  }

  /** The files written in full, in order. */
  List<String> files() {
    return List.copyOf(files);
  }

  Throwable failure() {
    return failure.get();
  }

  boolean isAlive() {
    return thread.isAlive();
  }

  /** Stops after the burst in progress (a file is never left half-written) and waits for the thread. */
  @Override
  public void close() throws InterruptedException {
    stop.countDown();
    thread.join(120_000);
  }
}
