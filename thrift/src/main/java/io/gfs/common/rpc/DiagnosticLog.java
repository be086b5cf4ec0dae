package io.gfs.common.rpc;

import io.gfs.common.Check;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys.Diagnostic;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's diagnostic log [0132-0134]: every RPC request and reply (file data left out), kept twice. The most recent
 * events stay in memory for on-line monitoring; all of them go to a rotating file, written by a background thread so
 * that an RPC never waits for the disk [0133]. When the writer falls behind by {@link #QUEUE_LENGTH_MAX} events, new
 * ones are counted as dropped rather than slowing the server: these logs help diagnose, they never decide. The files
 * can be deleted at any time without harm to the file system [0132]. An event's text is made where it is read: by the
 * writer thread for the file, by a status page for the memory ({@link RpcEvent}), never on the RPC's own thread.
 */
public final class DiagnosticLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DiagnosticLog.class);
  /** Events waiting for the writer thread at most; beyond it they are dropped (and counted). */
  public static final int QUEUE_LENGTH_MAX = 100_000;
  private static final long CLOSE_WAIT_MILLIS = 5000;
  /**
   * How long the writer rests each time it finds the queue empty. Woken for each event, it cost every RPC a thread
   * wake-up and a file write of its own at one caller (issue 6's metadata calls: thousands a second); resting, it
   * finds the events of that time queued together and writes them with one flush, and a call queues its event
   * without waking anyone. The file lags the calls by about this much at most, the memory's events not at all;
   * {@link #flush} and {@link #close} end the rest at once.
   */
  static final long WRITER_REST_MILLIS = 20;

  /**
   * How a server keeps its log.
   *
   * @param dir where the log files go; null keeps no file, only the recent events in memory
   * @param fileBytesMax size at which the current file is rotated
   * @param filesMax files kept, the current one included
   * @param recentEventsMax events kept in memory
   */
  public record Settings(Path dir, long fileBytesMax, int filesMax, int recentEventsMax) {
    public Settings {
      Check.argument(fileBytesMax >= 1024, "diagnostic log file size %s < 1024 bytes", fileBytesMax);
      Check.argument(filesMax >= 1, "diagnostic log files %s < 1", filesMax);
      Check.argument(recentEventsMax >= 0, "recent events %s < 0", recentEventsMax);
    }

    /** The gfs.diagnostic.* keys; an empty directory keeps no file. */
    public static Settings from(GfsConfig config) {
      String dir = config.getString(Diagnostic.LOG_DIR);
      return new Settings(dir.isEmpty() ? null : Path.of(dir),
          config.getBytes(Diagnostic.LOG_BYTES_MAX, 64L << 10, 64L << 30),
          config.getInt(Diagnostic.LOG_FILES_MAX, 1, 1000),
          config.getInt(Diagnostic.RECENT_EVENTS_MAX, 0, 1_000_000));
    }

    /** Recent events in memory, no file: what a server gets when nobody configured a log. */
    public static Settings memoryOnly(int recentEventsMax) {
      return new Settings(null, 64L << 20, 1, recentEventsMax);
    }
  }

  private final String serverName;
  private final Settings settings;
  private final AtomicLong sequence = new AtomicLong();
  private final Deque<RpcEvent> recent = new ArrayDeque<>();
  /** Events (rendered by the writer) and notes (already text). */
  private final BlockingQueue<Object> queue;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  /** Told of every event as it is recorded (metrics); copy-on-write: listeners are added once, at start-up. */
  private final List<Consumer<RpcEvent>> listeners = new CopyOnWriteArrayList<>();
  private final RotatingFile file;
  private final Thread writer;
  private final long writerRestNanos;
  /** Set by flush: the writer ends its rest. */
  private volatile boolean wakeWriter;
  private volatile boolean closed;

  private DiagnosticLog(String serverName, Settings settings, RotatingFile file, long writerRestMillis) {
    this.serverName = serverName;
    this.settings = settings;
    this.file = file;
    this.writerRestNanos = TimeUnit.MILLISECONDS.toNanos(writerRestMillis);
    this.queue = file == null ? null : new ArrayBlockingQueue<>(QUEUE_LENGTH_MAX);
    if (file == null) {
      this.writer = null;
    } else {
      this.writer = new Thread(this::writeLoop, serverName + "-diagnostic-log");
      writer.setDaemon(true);
      writer.start();
    }
  }

  /** Opens (or continues) the log of the server called {@code serverName}. */
  public static DiagnosticLog open(String serverName, Settings settings) throws IOException {
    return open(serverName, settings, WRITER_REST_MILLIS);
  }

  /** As {@link #open(String, Settings)}, the writer resting this long after each time it emptied the queue. */
  static DiagnosticLog open(String serverName, Settings settings, long writerRestMillis) throws IOException {
    RotatingFile file = settings.dir() == null ? null
        : new RotatingFile(settings.dir(), fileName(serverName), settings.fileBytesMax(), settings.filesMax());
    return new DiagnosticLog(serverName, settings, file, writerRestMillis);
  }

  /** The file name for a server: its name with anything but letters, digits, '.', '-' and '_' made '_'. */
  static String fileName(String serverName) {
    return serverName.replaceAll("[^A-Za-z0-9._-]", "_") + ".rpc.log";
  }

  /** The next request's place in arrival order. */
  long nextSequence() {
    return sequence.incrementAndGet();
  }

  /** Keeps the event in memory and queues it for the file; never blocks. */
  public void record(RpcEvent event) {
    if (settings.recentEventsMax() > 0) {
      synchronized (recent) {
        recent.addLast(event);
        while (recent.size() > settings.recentEventsMax()) {
          recent.removeFirst();
        }
      }
    }
    enqueue(event);
    for (Consumer<RpcEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("diagnostic log listener {} failed: {}", listener, e.toString()); // monitoring never fails an RPC
      }
    }
  }

  /**
   * Hands every later event to {@code listener} too (the metrics registry's per-method counters and histograms), on
   * the RPC's own thread right after the reply was sent: it must be quick; what it throws is logged and ignored.
   */
  public void listen(Consumer<RpcEvent> listener) {
    listeners.add(Check.notNull(listener, "listener"));
  }

  /** A line about the server itself (started, stopped), so the file shows when it was up [0132]. */
  public void note(String what) {
    enqueue(Instant.now() + "\t--\t" + serverName + " " + what);
  }

  private void enqueue(Object line) {
    if (queue == null || closed) {
      return;
    }
    if (queue.offer(line)) {
      queued.incrementAndGet();
    } else {
      dropped.incrementAndGet();
    }
  }

  /** The latest events, oldest first; at most gfs.diagnostic.recent.events.max of them. */
  public List<RpcEvent> recentEvents() {
    synchronized (recent) {
      return new ArrayList<>(recent);
    }
  }

  /** Events and notes written to the file so far; for tests. */
  long writtenLines() {
    return written.get();
  }

  /** Events not written because the writer had fallen too far behind. */
  public long droppedEvents() {
    return dropped.get();
  }

  /** The file being written now, or null when the log keeps no file. */
  public Path currentFile() {
    return file == null ? null : file.current();
  }

  /** Waits until every event recorded so far is in the file; false if that took longer than the timeout. */
  public boolean flush(long timeoutMillis) throws InterruptedException {
    long target = queued.get();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    if (writer != null && written.get() < target) {
      wakeWriter = true; // ends its rest: what is queued is written now
      java.util.concurrent.locks.LockSupport.unpark(writer);
    }
    while (written.get() < target && writer != null && writer.isAlive()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(2);
    }
    return written.get() >= target;
  }

  private void writeLoop() {
    try {
      while ((!closed || !queue.isEmpty()) && !Thread.currentThread().isInterrupted()) { // close interrupts a late one
        Object item = queue.poll(); // never waits on the queue: a call's offer then wakes nobody
        if (item == null) {
          rest();
          continue;
        }
        file.append(item instanceof RpcEvent event ? event.toLogLine() : item.toString());
        if (queue.isEmpty()) {
          file.flush();
        }
        written.incrementAndGet();
      }
    } catch (IOException e) {
      LOG.warn("diagnostic log {} stops: {}", file.current(), e.toString());
    } finally {
      file.close();
    }
  }

  /** The writer's rest while the queue is empty ({@link #WRITER_REST_MILLIS}), ended early by flush and close. */
  private void rest() {
    long until = System.nanoTime() + writerRestNanos;
    for (long left = writerRestNanos; left > 0 && !closed && !wakeWriter; left = until - System.nanoTime()) {
      java.util.concurrent.locks.LockSupport.parkNanos(this, left);
    }
    wakeWriter = false;
  }

  /** Writes what is queued (waiting a few seconds at most), then closes the file. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    note("stopped");
    closed = true;
    if (writer != null) {
      java.util.concurrent.locks.LockSupport.unpark(writer);
      try {
        writer.join(CLOSE_WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      writer.interrupt();
    }
  }
}
