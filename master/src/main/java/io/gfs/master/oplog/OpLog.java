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
  /** HA (issue 4): the epoch of each position; a NEW_TERM record's entry is durable before the record is queued. */
  private EpochTable epochs;

  private OpLog(Path dir, long lastSequence, SyncHook hook) {
    this.dir = dir;
    this.lastSequence = lastSequence;
    this.durableSequence.set(lastSequence);
    this.hook = hook;
    this.writer = new Thread(this::run, "gfs-oplog-writer");
    this.writer.setDaemon(true);
  }

  /** Opens the log for appending after lastSequence (what recovery found), in a new segment. */
  public static OpLog open(Path dir, long lastSequence, SyncHook hook) throws IOException {
    OpLog log = new OpLog(dir, lastSequence, Check.notNull(hook, "hook"));
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
      try {
        queue.put(new Append(sequence, frame, done)); // in sequence order: the monitor orders the puts
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        done.completeExceptionally(new InterruptedIOException("interrupted while queueing a log record"));
        return done;
      }
      lastSequence = sequence;
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
      queue.drainTo(batch, BATCH_RECORDS_MAX - 1);
      for (Item item : batch) {
        if (item instanceof Append append) {
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

  private void flush(List<Append> pending) {
    if (pending.isEmpty()) {
      return;
    }
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
        syncListener.synced(pending.size(), System.nanoTime() - syncStartNanos);
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
    try {
      queue.put(new Stop());
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
