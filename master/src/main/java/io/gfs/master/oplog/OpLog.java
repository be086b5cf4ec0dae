package io.gfs.master.oplog;

import io.gfs.common.Check;
import io.gfs.master.state.LogRecord;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operation log's writer [0050-0051]. Callers append records and wait until they are durable; one writer thread
 * drains the queue, writes every waiting record, forces the file once and completes them all (group commit: with
 * many concurrent mutations one fsync serves a whole batch). A failed write or fsync fails the batch and every later
 * append: memory must never run ahead of a log that may not hold the records, so the master stops mutating (fail fast).
 */
public final class OpLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpLog.class);
  /** Records waiting for the writer; appenders block beyond this. */
  public static final int QUEUE_LENGTH_MAX = 65_536;
  /** Records written per fsync at most, so one batch's latency stays bounded. */
  public static final int BATCH_RECORDS_MAX = 4096;
  /**
   * The segment grows by this many zero bytes ahead of the records, as HDFS's edit log does (1 MiB): an fdatasync that
   * must also persist a new file size costs a journal commit, one that only persists data does not (on this machine's
   * ext4, 6.7 vs 3.2-4.2 ms a sync under load, issue 6). Zeros are a torn tail to recovery (a frame of length 0, no valid
   * record behind it), so a crash loses nothing acknowledged; a sealed segment is cut back to its records.
   */
  static final int PREALLOCATE_BYTES = 1 << 20;
  private static final ByteBuffer ZEROS = ByteBuffer.allocate(64 << 10).asReadOnlyBuffer();
  /**
   * Longest the writer waits, after a batch of several records was acknowledged, for those appenders' next records
   * before writing the next batch ({@link #gather}); never longer than the last fsync took.
   */
  static final long GATHER_WAIT_NANOS_MAX = 2_000_000;
  /** The writer stops gathering once no record came for this long: the appenders it waits for are not coming back. */
  static final long GATHER_GAP_NANOS_MAX = 200_000;

  /** Called by the writer thread before each fsync, with the batch size: tests count syncs or inject failures. */
  @FunctionalInterface
  public interface SyncHook {
    SyncHook NONE = records -> { };

    void beforeSync(int records) throws IOException;
  }

  /**
   * HA hook (issue 4): called by the writer thread after each batch is durable locally and before any appender is
   * told so, with the batch's frames in sequence order. Throwing fails the batch like a failed fsync (fail-fast): the
   * mutation is not acknowledged, and the master stops mutating.
   */
  @FunctionalInterface
  public interface Replication {
    Replication NONE = (firstSequence, frames) -> { };

    void replicate(long firstSequence, List<byte[]> frames) throws IOException;
  }

  /** Told of each fsync: the batch's record count and how long the fsync took (the master's /metrics, issue 8). */
  @FunctionalInterface
  public interface SyncListener {
    SyncListener NONE = (records, nanos) -> { };

    void synced(int records, long nanos);
  }

  private sealed interface Item permits Append, Roll, Stop {}

  private record Append(long sequence, byte[] frame, CompletableFuture<Long> done) implements Item {}

  private record Roll(CompletableFuture<Long> done) implements Item {}

  private record Stop() implements Item {}

  private final Path dir;
  private final SyncHook hook;
  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE_LENGTH_MAX);
  private final Thread writer;
  private final AtomicLong syncCount = new AtomicLong();
  private final AtomicLong durableSequence = new AtomicLong();
  private FileChannel channel;
  /** Bytes of records in the current segment (writer thread only); the file is longer by its zero tail. */
  private long segmentBytes;
  /** The current segment's size with its zero tail (writer thread only). */
  private long segmentAllocatedBytes;
  private long lastSequence;
  private volatile IOException failure;
  private volatile boolean closed;
  private volatile Replication replication = Replication.NONE;
  private volatile SyncListener syncListener = SyncListener.NONE;
  /** Records handed to the queue so far (counted under the monitor, before the put). */
  private volatile long appended;
  /** Records the writer took from the queue so far (writer thread only). */
  private long taken;
  /** While the writer gathers: the count of {@link #appended} that ends the wait; 0 when it does not wait. */
  private volatile long gatherThreshold;
  /** Records the next batch is expected to hold: the last batch's plus those that queued meanwhile (writer only). */
  private int gatherTarget;
  /** The last fsync's duration (writer thread only). */
  private long lastSyncNanos;
  /** Tests: the gathering wait, whatever the fsyncs take; negative: the product's rule ({@link #gather}). */
  private final long gatherWaitNanosFixed;
  /** HA (issue 4): the epoch of each position; a NEW_TERM record's entry is durable before the record is queued. */
  private EpochTable epochs;

  private OpLog(Path dir, long lastSequence, SyncHook hook, long gatherWaitNanosFixed) {
    this.dir = dir;
    this.gatherWaitNanosFixed = gatherWaitNanosFixed;
    this.lastSequence = lastSequence;
    this.durableSequence.set(lastSequence);
    this.hook = hook;
    this.writer = new Thread(this::run, "gfs-oplog-writer");
    this.writer.setDaemon(true);
  }

  /** Opens the log for appending after lastSequence (what recovery found), in a new segment. */
  public static OpLog open(Path dir, long lastSequence, SyncHook hook) throws IOException {
    return open(dir, lastSequence, hook, -1);
  }

  /**
   * Tests: as {@link #open(Path, long, SyncHook)}, but the writer gathers for {@code gatherWaitNanos} (however long the
   * fsyncs take), so what a batch holds does not depend on the machine's speed.
   */
  static OpLog open(Path dir, long lastSequence, SyncHook hook, long gatherWaitNanos) throws IOException {
    OpLog log = new OpLog(dir, lastSequence, Check.notNull(hook, "hook"), gatherWaitNanos);
    log.epochs = EpochTable.load(dir);
    log.epochs.truncateAfter(lastSequence); // a term whose first record never landed
    log.channel = openSegment(dir, lastSequence + 1);
    log.writer.start();
    return log;
  }

  private static FileChannel openSegment(Path dir, long firstSequence) throws IOException {
    // A segment of this name can only exist empty or torn (recovery truncated it to its good part, which held no
    // records, or lastSequence would be higher), so it is safe to start it afresh.
    FileChannel channel = FileChannel.open(MetaFiles.segment(dir, firstSequence), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    channel.force(true);
    MetaFiles.syncDirectory(dir);
    return channel;
  }

  /** Issue 8 hook: from now on every fsync is reported to the listener (on the writer thread: it must be quick). */
  public void onSynced(SyncListener listener) {
    this.syncListener = Check.notNull(listener, "listener");
  }

  /** HA hook: from now on every batch is replicated before it counts as durable. */
  public void replicateWith(Replication replication) {
    this.replication = Check.notNull(replication, "replication");
  }

  /** Queues a record; the future completes with its sequence number once it is durable. */
  public CompletableFuture<Long> append(LogRecord record) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    byte[] frame = RecordCodec.unsealedFrame(record); // outside the lock: callers encode at once, in any order
    synchronized (this) {
      IOException failed = failure;
      if (failed != null || closed) {
        done.completeExceptionally(failed != null ? new IOException("op log failed earlier: " + failed.getMessage(),
            failed) : new IOException("op log closed"));
        return done;
      }
      long sequence = lastSequence + 1;
      RecordCodec.seal(frame, sequence);
      if (record instanceof LogRecord.NewTerm term) {
        try {
          epochs.begin(term.epoch(), sequence); // rare (one per election): the monitor may wait for this fsync
        } catch (IOException e) {
          done.completeExceptionally(e);
          return done;
        }
      }
      long count = appended + 1;
      appended = count; // before the put: the writer never counts more taken than appended
      try {
        queue.put(new Append(sequence, frame, done)); // in sequence order: the monitor orders the puts
      } catch (InterruptedException e) {
        appended = count - 1;
        Thread.currentThread().interrupt();
        done.completeExceptionally(new InterruptedIOException("interrupted while queueing a log record"));
        return done;
      }
      lastSequence = sequence;
      if (count == gatherThreshold) {
        LockSupport.unpark(writer); // the batch the writer gathers is complete: exactly one appender reaches it
      }
    }
    return done;
  }

  /** Appends and waits until the record is durable; returns its sequence number. */
  public long appendAndWait(LogRecord record) throws IOException {
    return await(append(record));
  }

  /**
   * Switches to a new segment once everything queued before is durable, and returns the last sequence number in the
   * old one: a checkpoint taken now covers exactly the records up to it [0053].
   */
  public long roll() throws IOException {
    CompletableFuture<Long> done = new CompletableFuture<>();
    synchronized (this) {
      if (failure != null || closed) {
        throw new IOException("op log failed or closed", failure);
      }
      if (!queue.offer(new Roll(done))) {
        throw new IOException("op log queue full");
      }
    }
    return await(done);
  }

  private static long await(CompletableFuture<Long> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the op log");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException(cause);
    }
  }

  public synchronized long lastSequence() {
    return lastSequence;
  }

  /** The epoch of each position of this log (issue 4's election and consistency check). */
  public EpochTable epochs() {
    return epochs;
  }

  public long durableSequence() {
    return durableSequence.get();
  }

  /** fsyncs done so far (one per batch). */
  public long syncCount() {
    return syncCount.get();
  }

  /** Non-null once a write or sync failed: the log accepts nothing more. */
  public IOException failure() {
    return failure;
  }

  public Path directory() {
    return dir;
  }

  private void run() {
    List<Item> batch = new ArrayList<>();
    List<Append> pending = new ArrayList<>();
    while (true) {
      batch.clear();
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue; // only close() stops the writer, through a Stop item
      }
      if (batch.get(0) instanceof Append && gatherTarget > 1) {
        gather(gatherTarget);
      }
      queue.drainTo(batch, BATCH_RECORDS_MAX - 1);
      for (Item item : batch) {
        if (item instanceof Append append) {
          taken++;
          pending.add(append);
        } else if (item instanceof Roll roll) {
          flush(pending);
          rollSegment(roll);
        } else {
          flush(pending);
          closeChannel();
          return;
        }
      }
      flush(pending);
    }
  }

  /**
   * Waits until {@code target} records (the one taken included) are queued, or a short time passed. Appenders wait for
   * their record, so with many of them the log runs in lock step: the records acknowledged by one fsync come back while
   * the next fsync runs (it holds only those that queued during the previous one) and wait for a third. At 32 metadata
   * threads that was 8-10 records per fsync and two fsyncs per call (issue 6). Waiting for the acknowledged appenders'
   * next records puts them into the next fsync instead: at most as long as an fsync (what they would wait otherwise),
   * and only while records keep coming (a gap of {@link #GATHER_GAP_NANOS_MAX} ends it: appenders busy elsewhere, such
   * as a writer sending its data to chunkservers, cost the records queued at most that). After a batch of one (a
   * single appender) nothing waits: the writer writes as soon as a record comes, as before. Only when records are
   * written changes; every record is still durable before its appender hears of it.
   */
  private void gather(int target) {
    long threshold = taken + target;
    long waitNanos = gatherWaitNanosFixed >= 0 ? gatherWaitNanosFixed : Math.min(GATHER_WAIT_NANOS_MAX, lastSyncNanos);
    long gapNanos = gatherWaitNanosFixed >= 0 ? gatherWaitNanosFixed : GATHER_GAP_NANOS_MAX;
    if (appended >= threshold || waitNanos <= 0) {
      return;
    }
    long now = System.nanoTime();
    long deadline = now + waitNanos;
    long seen = appended;
    long quietUntil = now + gapNanos;
    gatherThreshold = threshold; // published before the check below: an appender reaching it now unparks the writer
    for (long count = appended; count < threshold && !closed; count = appended) {
      now = System.nanoTime();
      if (count != seen) {
        seen = count;
        quietUntil = now + gapNanos;
      }
      long leftNanos = Math.min(deadline, quietUntil) - now;
      if (leftNanos <= 0) {
        break;
      }
      LockSupport.parkNanos(this, leftNanos);
    }
    gatherThreshold = 0;
  }

  private void flush(List<Append> pending) {
    if (pending.isEmpty()) {
      return;
    }
    int acknowledged = pending.size();
    IOException error = failure;
    if (error == null) {
      try {
        int bytes = 0;
        for (Append a : pending) {
          bytes += a.frame().length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        pending.forEach(a -> buffer.put(a.frame()));
        buffer.flip();
        preallocate(segmentBytes + bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer); // at the channel's position: the records' end, not the zero tail's
        }
        segmentBytes += bytes;
        hook.beforeSync(pending.size());
        long syncStartNanos = System.nanoTime();
        channel.force(false);
        lastSyncNanos = System.nanoTime() - syncStartNanos;
        syncListener.synced(pending.size(), lastSyncNanos);
        syncCount.incrementAndGet();
        Replication replicas = replication;
        if (replicas != Replication.NONE) {
          List<byte[]> frames = new ArrayList<>(pending.size());
          pending.forEach(a -> frames.add(a.frame()));
          replicas.replicate(pending.get(0).sequence(), frames);
        }
        durableSequence.set(pending.get(pending.size() - 1).sequence());
      } catch (IOException | RuntimeException e) {
        error = e instanceof IOException io ? io : new IOException(e);
        failure = error;
        LOG.error("op log write failed; the master accepts no more mutations", e);
      }
    }
    // Those about to be told come back soon with their next records; those that queued during this fsync wait
    // already. Counted before anyone is told: a record of an appender told now must not count twice.
    gatherTarget = (int) Math.min(BATCH_RECORDS_MAX, acknowledged + Math.max(0, appended - taken));
    for (Append a : pending) {
      if (error == null) {
        a.done().complete(a.sequence());
      } else {
        a.done().completeExceptionally(new IOException("op log write failed: " + error.getMessage(), error));
      }
    }
    pending.clear();
  }

  /** Zeros up to at least {@code neededBytes}, a whole number of preallocation steps; positional: the channel's
   * position (the records' end) does not move. */
  private void preallocate(long neededBytes) throws IOException {
    if (neededBytes <= segmentAllocatedBytes) {
      return;
    }
    long target = (neededBytes + PREALLOCATE_BYTES - 1) / PREALLOCATE_BYTES * PREALLOCATE_BYTES;
    for (long at = segmentAllocatedBytes; at < target; ) {
      ByteBuffer zeros = ZEROS.duplicate();
      zeros.limit((int) Math.min(zeros.capacity(), target - at));
      at += channel.write(zeros, at);
    }
    segmentAllocatedBytes = target;
  }

  /**
   * Cuts the segment back to its records and makes that durable, before a later segment exists: only the last
   * segment may end in zeros (a torn tail), anywhere else they would read as corruption.
   */
  private void seal() throws IOException {
    if (segmentAllocatedBytes > segmentBytes) {
      channel.truncate(segmentBytes);
      channel.force(true);
    }
  }

  private void rollSegment(Roll roll) {
    long last = durableSequence.get();
    if (failure != null) {
      roll.done().completeExceptionally(failure);
      return;
    }
    try {
      seal();
      channel.close();
      channel = openSegment(dir, last + 1);
      segmentBytes = 0;
      segmentAllocatedBytes = 0;
      roll.done().complete(last);
    } catch (IOException e) {
      failure = e;
      LOG.error("op log segment roll failed; the master accepts no more mutations", e);
      roll.done().completeExceptionally(e);
    }
  }

  private void closeChannel() {
    try {
      if (failure == null) {
        seal(); // after a failure the file stays as it is: recovery decides, as before
      }
    } catch (IOException e) {
      LOG.warn("cutting op log segment back to its records: {} (recovery drops the zero tail)", e.toString());
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("closing op log segment: {}", e.toString());
    }
  }

  /** Writes what is queued, stops the writer and closes the segment. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    LockSupport.unpark(writer); // a gathering writer stops waiting for records that will not come
    try {
      queue.put(new Stop());
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
