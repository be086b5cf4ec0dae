package io.gfs.master.server;

import io.gfs.master.ha.MasterTerm;
import io.gfs.master.oplog.CheckpointFile;
import io.gfs.master.oplog.OpLog;
import io.gfs.master.oplog.Retention;
import io.gfs.master.state.LogRecord;
import io.gfs.master.state.MasterState;
import io.gfs.master.state.StateImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ties the state to its log: {@link #commit} makes a record durable and then applies it, and checkpoints are cut
 * between commits [0053]. Every commit holds the read side of a barrier from log append through apply; a checkpoint
 * takes the write side just long enough to switch log segments and copy the state, so the copy holds exactly the
 * records up to the switch. The file is written in the background.
 *
 * <p>Once the log fails (or an apply fails after its record was logged), memory and log may disagree: every later
 * commit fails with IOException, so the master stops mutating instead of diverging.
 */
final class Journal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

  private final MasterState state;
  private final OpLog log;
  private final Path dir;
  private final long checkpointRecords;
  private final int checkpointsKept;
  private final ReentrantReadWriteLock barrier = new ReentrantReadWriteLock();
  private final AtomicLong recordsSinceCheckpoint;
  private final java.util.concurrent.atomic.AtomicBoolean triggerQueued =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "gfs-master-checkpoint");
    t.setDaemon(true);
    return t;
  });
  private CompletableFuture<Path> running = CompletableFuture.completedFuture(null);
  private long lastCheckpointSequence;
  private volatile IOException broken;
  /** Told once, when the journal breaks: the server steps down rather than serve on without a log. */
  private volatile java.util.function.Consumer<IOException> onBroken = e -> { };
  private final java.util.concurrent.atomic.AtomicBoolean brokenReported = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean closed;
  /** HA hook (issue 4): the term this master serves in; once revoked, every commit fails before touching the log. */
  private volatile MasterTerm term = MasterTerm.unelected();

  Journal(MasterState state, OpLog log, Path dir, long checkpointRecords, int checkpointsKept,
      long lastCheckpointSequence, long recordsSinceCheckpoint) {
    this.state = state;
    this.log = log;
    this.dir = dir;
    this.checkpointRecords = checkpointRecords;
    this.checkpointsKept = checkpointsKept;
    this.lastCheckpointSequence = lastCheckpointSequence;
    this.recordsSinceCheckpoint = new AtomicLong(recordsSinceCheckpoint);
  }

  /** Durable first, then applied. The caller holds the namespace locks the record's decision was made under. */
  long commit(LogRecord record) throws IOException {
    term.checkActive(); // a deposed master stops mutating at once, like a broken log (fail-fast)
    IOException failed = broken;
    if (failed != null) {
      throw new IOException("the master stopped accepting mutations after a metadata failure: "
          + failed.getMessage(), failed);
    }
    long sequence;
    barrier.readLock().lock();
    try {
      try {
        sequence = log.appendAndWait(record);
      } catch (IOException e) {
        breakWith(e);
        throw e;
      }
      try {
        state.apply(record);
      } catch (RuntimeException e) {
        IOException failure = new IOException("apply of logged record " + sequence + " failed: " + e, e);
        LOG.error("apply of logged record {} ({}) failed; the master accepts no more mutations", sequence, record, e);
        breakWith(failure);
        throw failure;
      }
    } finally {
      barrier.readLock().unlock();
    }
    if (recordsSinceCheckpoint.incrementAndGet() >= checkpointRecords && triggerQueued.compareAndSet(false, true)) {
      // Cut the checkpoint off the client's path: the caller still holds its namespace locks.
      try {
        background.execute(() -> {
          triggerQueued.set(false);
          checkpointIfDue();
        });
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        triggerQueued.set(false);
      }
    }
    return sequence;
  }

  /**
   * HA hook (issue 4): a log replica logs a batch shipped by the active master with one fsync, then applies it in
   * order through the same path as live commits. Each record must land at exactly the sequence the active master gave
   * it; anything else means the logs diverged, and the replica stops (fail-fast) rather than apply.
   */
  long commitReplicated(java.util.List<io.gfs.master.oplog.LogEntry> entries) throws IOException {
    IOException failed = broken;
    if (failed != null) {
      throw new IOException("this replica stopped after a metadata failure: " + failed.getMessage(), failed);
    }
    barrier.readLock().lock();
    try {
      java.util.List<CompletableFuture<Long>> appended = new java.util.ArrayList<>();
      for (io.gfs.master.oplog.LogEntry entry : entries) {
        appended.add(log.append(entry.record()));
      }
      for (int i = 0; i < entries.size(); i++) {
        long sequence;
        try {
          sequence = appended.get(i).get();
        } catch (java.util.concurrent.ExecutionException | InterruptedException e) {
          broken = e.getCause() instanceof IOException io ? io : new IOException(e);
          throw broken;
        }
        if (sequence != entries.get(i).sequence()) {
          broken = new IOException("replicated record " + entries.get(i).sequence() + " landed at sequence "
              + sequence + " here: this replica's log diverged from the active master's; re-seed it");
          throw broken;
        }
      }
      for (io.gfs.master.oplog.LogEntry entry : entries) {
        try {
          state.apply(entry.record());
        } catch (RuntimeException e) {
          broken = new IOException("apply of replicated record " + entry.sequence() + " failed: " + e, e);
          throw broken;
        }
      }
    } finally {
      barrier.readLock().unlock();
    }
    if (recordsSinceCheckpoint.addAndGet(entries.size()) >= checkpointRecords) {
      checkpointIfDue(); // a replica has no clients waiting: cut it inline
    }
    return log.lastSequence();
  }

  /** HA hook: serve in {@code term}; set before the RPC service starts. */
  void serveIn(MasterTerm term) {
    this.term = term;
  }

  MasterTerm term() {
    return term;
  }

  long lastSequence() {
    return log.lastSequence();
  }

  /** The last sequence number known durable (tests: what an answered mutation may rest on). */
  long durableSequence() {
    return log.durableSequence();
  }

  /** Starts a checkpoint when enough records accumulated and none is running. */
  synchronized void checkpointIfDue() {
    if (recordsSinceCheckpoint.get() >= checkpointRecords && running.isDone() && !closed) {
      startCheckpoint();
    }
  }

  /** Starts a checkpoint now (unless one is running) and returns its future: the file, or null if nothing new. */
  synchronized CompletableFuture<Path> checkpoint() {
    if (running.isDone()) {
      startCheckpoint();
    }
    return running;
  }

  private void startCheckpoint() {
    if (broken != null) {
      running = CompletableFuture.failedFuture(broken);
      return;
    }
    long sequence;
    StateImage image;
    barrier.writeLock().lock();
    try {
      if (log.lastSequence() == lastCheckpointSequence) {
        running = CompletableFuture.completedFuture(null);
        return;
      }
      sequence = log.roll();
      image = state.image();
      recordsSinceCheckpoint.set(0);
    } catch (IOException e) {
      LOG.error("op log roll failed; the master accepts no more mutations", e);
      breakWith(e);
      running = CompletableFuture.failedFuture(e);
      return;
    } finally {
      barrier.writeLock().unlock();
    }
    lastCheckpointSequence = sequence;
    running = CompletableFuture.supplyAsync(() -> write(sequence, image), background);
  }

  private Path write(long sequence, StateImage image) {
    try {
      Path file = CheckpointFile.write(dir, sequence, image);
      for (Path deleted : Retention.prune(dir, checkpointsKept)) {
        LOG.info("deleted {}", deleted.getFileName());
      }
      LOG.info("checkpoint {} written ({} files, {} chunks)", file.getFileName(), image.files().size(),
          image.chunks().size());
      return file;
    } catch (IOException e) {
      // The log still holds everything: a failed checkpoint costs restart time, not data.
      LOG.warn("checkpoint at sequence {} failed: {}", sequence, e.toString());
      throw new java.io.UncheckedIOException(e);
    }
  }

  IOException failure() {
    return broken;
  }

  /**
   * Who to tell when the journal breaks. A master whose log or state failed must not linger: it keeps its election
   * and alias while refusing every mutation, so no standby takes over (a 15-minute soak wedged that way). HDFS's
   * NameNode exits on a failed edit log for the same reason.
   */
  void onBroken(java.util.function.Consumer<IOException> listener) {
    onBroken = listener;
  }

  private void breakWith(IOException failure) {
    if (broken == null) {
      broken = failure;
    }
    if (brokenReported.compareAndSet(false, true)) {
      onBroken.accept(failure);
    }
  }

  @Override
  public void close() {
    closed = true;
    background.shutdown();
    try {
      if (!background.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.warn("checkpoint still running at close; abandoned (the .tmp file is ignored on restart)");
        background.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.close();
  }
}
