package io.gfs.master.oplog;

import io.gfs.common.Check;
import io.gfs.master.state.LogRecord;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operation log's writer [0050-0051]. Callers append records and wait until they are durable, with group commit
 * led by the callers (as PostgreSQL's and InnoDB's logs do): an appender whose record is queued while no write is
 * running becomes the leader, writes every waiting record, forces the file once and completes them all on its own
 * thread; appenders that arrive meanwhile wait, and one of them leads the next batch. A lone appender so syncs its own
 * record with no thread hand-off, and with many concurrent mutations one fsync still serves a whole batch. The writer
 * thread leads only what no waiting appender leads (records appended through {@link #append}, whose callers hold a
 * future, not the thread), and switches and closes segments, so those never run on an interruptible caller. A failed
 * write or fsync fails the batch and every later append: memory must never run ahead of a log that may not hold the
 * records, so the master stops mutating (fail fast).
 */
public final class OpLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpLog.class);
  /** Records waiting for a leader; appenders block beyond this. */
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
   * Longest a leader waits, after a batch of several records was acknowledged, for those appenders' next records
   * before writing the next batch ({@link #gather}); never longer than the last fsync took.
   */
  static final long GATHER_WAIT_NANOS_MAX = 2_000_000;
  /** A leader stops gathering once no record came for this long: the appenders it waits for are not coming back. */
  static final long GATHER_GAP_NANOS_MAX = 200_000;
  /**
   * Times a batch is written again on a reopened segment after an interrupt of its leader closed the channel
   * ({@link FileChannel} closes itself when a thread blocked in it is interrupted); beyond this the batch fails.
   */
  private static final int INTERRUPTED_WRITES_MAX = 3;

  /** Called by the batch's leader before each fsync, with the batch size: tests count syncs or inject failures. */
  @FunctionalInterface
  public interface SyncHook {
    SyncHook NONE = records -> { };

    void beforeSync(int records) throws IOException;
  }

  /**
   * HA hook (issue 4): called by the batch's leader after each batch is durable locally and before any appender is
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

  /** A queued record, and the appender thread parked for it: none for {@link #append}'s callers. */
  private static final class Append {
    private final long sequence;
    private final byte[] frame;
    private final CompletableFuture<Long> done;
    /** Null once its appender stopped waiting (interrupted): the lead is then never handed to that thread. */
    private volatile Thread waiter;

    Append(long sequence, byte[] frame, CompletableFuture<Long> done, Thread waiter) {
      this.sequence = sequence;
      this.frame = frame;
      this.done = done;
      this.waiter = waiter;
    }

    long sequence() {
      return sequence;
    }

    byte[] frame() {
      return frame;
    }

    CompletableFuture<Long> done() {
      return done;
    }

    Thread waiter() {
      return waiter;
    }
  }

  /** A segment switch once every record up to {@code lastSequence} (queued before the request) is durable. */
  private record Roll(long lastSequence, CompletableFuture<Long> done) {}

  private final Path dir;
  private final SyncHook hook;
  private final Thread writer;
  private final AtomicLong syncCount = new AtomicLong();
  private final AtomicLong durableSequence = new AtomicLong();
  /** Records waiting for a leader, in sequence order (under the monitor). */
  private final ArrayDeque<Append> queued = new ArrayDeque<>();
  /** Segment switches the writer owes (under the monitor). */
  private final ArrayDeque<Roll> rolls = new ArrayDeque<>();
  /** A batch is being gathered, written or acknowledged, or a segment switched (under the monitor): one at a time. */
  private boolean leading;
  /** The thread that set {@link #leading}: a gathering leader is woken by the appender completing its batch. */
  private volatile Thread leader;
  /** close() asked the writer to write what is queued and close the segment (under the monitor). */
  private boolean stopping;
  // The fields below belong to the current leader: each is handed from one leader to the next through the monitor.
  private FileChannel channel;
  /** The current segment's first sequence number (its file name). */
  private long segmentFirstSequence;
  /** Bytes of records in the current segment; the file is longer by its zero tail. */
  private long segmentBytes;
  /** The current segment's size with its zero tail. */
  private long segmentAllocatedBytes;
  /** Records taken from the queue so far (updated under the monitor). */
  private long taken;
  /** Records the next batch is expected to hold: the last batch's plus those that queued meanwhile. */
  private int gatherTarget;
  /** The last fsync's duration. */
  private long lastSyncNanos;
  /** The leader was interrupted while it led: its thread's interrupt status is restored when it hands over. */
  private boolean leaderInterrupted;
  private long lastSequence;
  private volatile IOException failure;
  private volatile boolean closed;
  private volatile Replication replication = Replication.NONE;
  private volatile SyncListener syncListener = SyncListener.NONE;
  /** Records queued so far (counted under the monitor). */
  private volatile long appended;
  /** While a leader gathers: the count of {@link #appended} that ends the wait; 0 when it does not wait. */
  private volatile long gatherThreshold;
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
   * Tests: as {@link #open(Path, long, SyncHook)}, but a leader gathers for {@code gatherWaitNanos} (however long the
   * fsyncs take), so what a batch holds does not depend on the machine's speed.
   */
  static OpLog open(Path dir, long lastSequence, SyncHook hook, long gatherWaitNanos) throws IOException {
    OpLog log = new OpLog(dir, lastSequence, Check.notNull(hook, "hook"), gatherWaitNanos);
    log.epochs = EpochTable.load(dir);
    log.epochs.truncateAfter(lastSequence); // a term whose first record never landed
    log.channel = openSegment(dir, lastSequence + 1);
    log.segmentFirstSequence = lastSequence + 1;
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

  /** Issue 8 hook: from now on every fsync is reported to the listener (on the batch's leader: it must be quick). */
  public void onSynced(SyncListener listener) {
    this.syncListener = Check.notNull(listener, "listener");
  }

  /** HA hook: from now on every batch is replicated before it counts as durable. */
  public void replicateWith(Replication replication) {
    this.replication = Check.notNull(replication, "replication");
  }

  /**
   * Queues a record; the future completes with its sequence number once it is durable. The writer thread leads its
   * batch unless a waiting appender does: this caller holds a future, not its thread, for the record.
   */
  public CompletableFuture<Long> append(LogRecord record) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    enqueue(record, done, null);
    return done;
  }

  /**
   * Appends and waits until the record is durable; returns its sequence number. If no write is running, this thread
   * writes and syncs the waiting records itself (it leads the batch); otherwise it waits until its record was synced
   * by another leader or it is handed the lead.
   */
  public long appendAndWait(LogRecord record) throws IOException {
    CompletableFuture<Long> done = new CompletableFuture<>();
    Append append = enqueue(record, done, Thread.currentThread());
    if (append != null) {
      while (!done.isDone()) {
        if (tryLead()) {
          leadBatch();
        } else if (Thread.currentThread().isInterrupted()) {
          // As a waiting caller always was: told at once, its record stays queued and may still become durable.
          synchronized (this) {
            append.waiter = null; // never handed the lead from now on
            if (!leading && !queued.isEmpty()) {
              LockSupport.unpark(writer); // it may have been handed the lead already: pass it on
            }
          }
          throw new InterruptedIOException("interrupted while waiting for the op log");
        } else {
          LockSupport.park(this); // until its record is durable or the lead is handed to it
        }
      }
    }
    return await(done);
  }

  /** Queues the record unless the log failed or closed (then {@code done} fails, and this returns null). */
  private Append enqueue(LogRecord record, CompletableFuture<Long> done, Thread waiter) {
    byte[] frame = RecordCodec.unsealedFrame(record); // outside the lock: callers encode at once, in any order
    synchronized (this) {
      while (true) {
        IOException failed = failure;
        if (failed != null || closed) {
          done.completeExceptionally(failed != null ? new IOException("op log failed earlier: "
              + failed.getMessage(), failed) : new IOException("op log closed"));
          return null;
        }
        if (queued.size() < QUEUE_LENGTH_MAX) {
          break;
        }
        try {
          wait(); // a leader taking a batch, a failure or close() notifies
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          done.completeExceptionally(new InterruptedIOException("interrupted while queueing a log record"));
          return null;
        }
      }
      long sequence = lastSequence + 1;
      RecordCodec.seal(frame, sequence);
      if (record instanceof LogRecord.NewTerm term) {
        try {
          epochs.begin(term.epoch(), sequence); // rare (one per election): the monitor may wait for this fsync
        } catch (IOException e) {
          done.completeExceptionally(e);
          return null;
        }
      }
      Append append = new Append(sequence, frame, done, waiter);
      queued.addLast(append); // in sequence order: the monitor orders them
      lastSequence = sequence;
      long count = appended + 1;
      appended = count;
      if (count == gatherThreshold) {
        LockSupport.unpark(leader); // the batch the leader gathers is complete: exactly one appender reaches it
      }
      if (waiter == null && !leading) {
        LockSupport.unpark(writer); // no appender waits to lead this record
      }
      return append;
    }
  }

  /**
   * Switches to a new segment once everything queued before is durable, and returns the last sequence number in the
   * old one: a checkpoint taken now covers exactly the records up to it [0053]. The writer thread switches: an
   * interrupt of this caller must not close the segment's channel.
   */
  public long roll() throws IOException {
    CompletableFuture<Long> done = new CompletableFuture<>();
    synchronized (this) {
      if (failure != null || closed) {
        throw new IOException("op log failed or closed", failure);
      }
      rolls.addLast(new Roll(lastSequence, done));
      if (!leading) {
        LockSupport.unpark(writer);
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

  /**
   * The writer thread: leads the batches of records no waiting appender leads, switches segments and closes the log.
   * It ignores interrupts (only close() stops it), so segment switches never run on an interruptible caller.
   */
  private void run() {
    while (true) {
      Roll roll = null;
      boolean stop = false;
      boolean lead = false;
      synchronized (this) {
        // A record whose appender waits is that appender's to lead (it is woken for it): the writer taking it would
        // only add the hand-offs the callers' lead saves, e.g. when it first runs while a caller's record is queued.
        if (!leading && (stopping || !rolls.isEmpty() || (!queued.isEmpty() && queued.peekFirst().waiter() == null))) {
          takeLead();
          lead = true;
          roll = rolls.pollFirst();
          stop = roll == null && stopping;
        }
      }
      if (!lead) {
        Thread.interrupted(); // a pending interrupt would end every park at once
        LockSupport.park(this);
      } else if (roll != null) {
        flushUpTo(roll.lastSequence());
        rollSegment(roll);
        release();
      } else if (stop) {
        flushUpTo(Long.MAX_VALUE); // close() queues nothing more
        closeChannel();
        release();
        return;
      } else {
        leadBatch();
      }
    }
  }

  /** Takes the lead if no one has it and records wait; the caller then must call {@link #leadBatch}. */
  private synchronized boolean tryLead() {
    if (leading || queued.isEmpty()) {
      return false;
    }
    takeLead();
    return true;
  }

  private void takeLead() {
    Check.state(Thread.holdsLock(this) && !leading, "the op log has one leader at a time");
    leading = true;
    leader = Thread.currentThread();
  }

  /**
   * The leader (this thread, after {@link #tryLead}) writes, syncs and acknowledges one batch, then hands the lead on.
   * Its interrupt status is cleared meanwhile: a thread interrupted inside a FileChannel call closes the channel, and
   * the waiting appenders' records must not fail for it. It is restored before this returns.
   */
  private void leadBatch() {
    Check.state(leader == Thread.currentThread(), "only the leader writes a batch");
    leaderInterrupted = Thread.interrupted();
    try {
      if (gatherTarget > 1) {
        gather(gatherTarget);
      }
      flush(takeBatch(Long.MAX_VALUE));
    } finally {
      boolean interrupted = leaderInterrupted;
      leaderInterrupted = false;
      release();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Writes every queued record up to {@code lastSequence}, a batch at a time (the leader, for a roll or close). */
  private void flushUpTo(long lastSequence) {
    for (List<Append> batch = takeBatch(lastSequence); !batch.isEmpty(); batch = takeBatch(lastSequence)) {
      flush(batch);
    }
  }

  /** Up to {@link #BATCH_RECORDS_MAX} records from the queue's head, none after {@code lastSequence}. */
  private synchronized List<Append> takeBatch(long lastSequence) {
    Check.state(leading && leader == Thread.currentThread(), "only the leader takes a batch");
    boolean wasFull = queued.size() >= QUEUE_LENGTH_MAX;
    List<Append> batch = new ArrayList<>(Math.min(queued.size(), BATCH_RECORDS_MAX));
    while (batch.size() < BATCH_RECORDS_MAX && !queued.isEmpty() && queued.peekFirst().sequence() <= lastSequence) {
      batch.add(queued.pollFirst());
    }
    taken += batch.size();
    if (wasFull) {
      notifyAll(); // appenders wait for room
    }
    return batch;
  }

  /**
   * Gives up the lead. Whoever waits next is woken to take it: the appender of the oldest queued record (it waits
   * anyway, and leads its own batch), the writer for a record no appender waits for or for a roll or close. After a
   * failure every queued record fails at once instead (fail fast).
   */
  private synchronized void release() {
    Check.state(leading && leader == Thread.currentThread(), "only the leader hands the lead on");
    leading = false;
    leader = null;
    if (failure != null) {
      failQueued();
    } else if (!queued.isEmpty()) {
      Thread next = queued.peekFirst().waiter();
      LockSupport.unpark(next != null ? next : writer);
    }
    if (stopping || !rolls.isEmpty()) {
      LockSupport.unpark(writer);
    }
  }

  private void failQueued() {
    for (Append a = queued.pollFirst(); a != null; a = queued.pollFirst()) {
      a.done().completeExceptionally(new IOException("op log write failed: " + failure.getMessage(), failure));
      Thread waiter = a.waiter();
      if (waiter != null) {
        LockSupport.unpark(waiter);
      }
    }
    notifyAll(); // appenders waiting for room find the failure
  }

  /**
   * Waits until {@code target} records are queued beyond those taken, or a short time passed. Appenders wait for
   * their record, so with many of them the log runs in lock step: the records acknowledged by one fsync come back while
   * the next fsync runs (it holds only those that queued during the previous one) and wait for a third. At 32 metadata
   * threads that was 8-10 records per fsync and two fsyncs per call (issue 6). Waiting for the acknowledged appenders'
   * next records puts them into the next fsync instead: at most as long as an fsync (what they would wait otherwise),
   * and only while records keep coming (a gap of {@link #GATHER_GAP_NANOS_MAX} ends it: appenders busy elsewhere, such
   * as a writer sending its data to chunkservers, cost the records queued at most that). After a batch of one (a
   * single appender) nothing waits: the leader writes at once. Only when records are written changes; every record is
   * still durable before its appender hears of it.
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
    gatherThreshold = threshold; // published before the check below: an appender reaching it now unparks the leader
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
      leaderInterrupted |= Thread.interrupted(); // or every later park returns at once
    }
    gatherThreshold = 0;
  }

  private void flush(List<Append> pending) {
    if (pending.isEmpty()) {
      return;
    }
    int acknowledged = pending.size();
    IOException error = failure;
    boolean durable = false;
    try {
      if (error == null) {
        int bytes = 0;
        for (Append a : pending) {
          bytes += a.frame().length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        pending.forEach(a -> buffer.put(a.frame()));
        buffer.flip();
        writeAndSync(buffer, pending.size());
        segmentBytes += bytes;
        syncListener.synced(pending.size(), lastSyncNanos);
        syncCount.incrementAndGet();
        Replication replicas = replication;
        if (replicas != Replication.NONE) {
          List<byte[]> frames = new ArrayList<>(pending.size());
          pending.forEach(a -> frames.add(a.frame()));
          replicas.replicate(pending.get(0).sequence(), frames);
        }
        durableSequence.set(pending.get(pending.size() - 1).sequence());
        durable = true;
      }
    } catch (IOException | RuntimeException e) {
      error = e instanceof IOException io ? io : new IOException(e);
      failure = error;
      LOG.error("op log write failed; the master accepts no more mutations", e);
    } finally {
      if (error == null && !durable) { // an Error on the way: the batch must still not hang
        error = new IOException("op log write did not finish");
        failure = error;
      }
      // Those about to be told come back soon with their next records; those that queued during this fsync wait
      // already. Counted before anyone is told: a record of an appender told now must not count twice.
      gatherTarget = (int) Math.min(BATCH_RECORDS_MAX, acknowledged + Math.max(0, appended - taken));
      Thread self = Thread.currentThread();
      for (Append a : pending) {
        if (error == null) {
          a.done().complete(a.sequence());
        } else {
          a.done().completeExceptionally(new IOException("op log write failed: " + error.getMessage(), error));
        }
        Thread waiter = a.waiter();
        if (waiter != null && waiter != self) {
          LockSupport.unpark(waiter);
        }
      }
    }
  }

  /**
   * Writes the batch after the segment's records and forces it. An interrupt of the leader that lands inside the
   * channel closes it (the write may be cut short): the batch is then written again, whole and at the same place, on
   * the segment reopened, and forced there (fdatasync covers the file's data whichever descriptor wrote it).
   */
  private void writeAndSync(ByteBuffer buffer, int records) throws IOException {
    boolean hooked = false;
    for (int attempt = 1; ; attempt++) {
      try {
        preallocate(segmentBytes + buffer.remaining());
        for (long at = segmentBytes; buffer.hasRemaining(); ) {
          at += channel.write(buffer, at); // positional: a rewrite after an interrupt lands on the same bytes
        }
        if (!hooked) {
          hooked = true;
          hook.beforeSync(records);
        }
        long syncStartNanos = System.nanoTime();
        channel.force(false);
        lastSyncNanos = System.nanoTime() - syncStartNanos;
        return;
      } catch (ClosedByInterruptException e) {
        leaderInterrupted = true;
        Thread.interrupted(); // the channel is closed and the interrupt delivered: clear it for the rewrite
        if (attempt >= INTERRUPTED_WRITES_MAX) {
          throw e;
        }
        LOG.info("op log leader interrupted while writing; writing the batch again on the reopened segment");
        channel = FileChannel.open(MetaFiles.segment(dir, segmentFirstSequence), StandardOpenOption.WRITE);
        buffer.rewind();
      }
    }
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
      segmentFirstSequence = last + 1;
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
      stopping = true;
      notifyAll(); // appenders waiting for room find the log closed
      Thread gathering = leader;
      if (gathering != null) {
        LockSupport.unpark(gathering); // a gathering leader stops waiting for records that will not come
      }
      LockSupport.unpark(writer);
    }
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
