package io.gfs.chunkserver.store;

import io.gfs.common.Check;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only channels of the chunk files read last, kept open for the next read: a random 4 KiB read used to open and
 * close its chunk file every time, an open and a close system call (and a FileChannel with its locks and cleaner)
 * around one pread. At most {@code channelsMax} are kept, the least recently used closed first, so thousands of chunks
 * never hold thousands of descriptors.
 *
 * <p>An entry belongs to one chunk object ({@code owner}), not only to its handle: a chunk deleted and created again,
 * or replaced by a committed copy, is a new object, and never reads through the old one's channel (which could still
 * show the old, unlinked file). The store also {@link #forget}s a chunk's channel when it deletes the chunk, which
 * releases the deleted file's disk space. A channel in use is closed only when its last reader is done with it, so an
 * eviction or a delete never pulls it from under a read.
 */
final class ReadChannels implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReadChannels.class);

  /** One open channel and the readers using it now; guarded by the ReadChannels that made it. */
  static final class Entry {
    private final Object owner;
    private final FileChannel channel;
    private int users;
    /** No longer in the table: closed when {@code users} drops to 0. */
    private boolean retired;

    private Entry(Object owner, FileChannel channel) {
      this.owner = owner;
      this.channel = channel;
    }

    FileChannel channel() {
      return channel;
    }
  }

  private final int channelsMax;
  /** In access order: the first entry is the least recently used. */
  private final Map<Long, Entry> kept = new LinkedHashMap<>(16, 0.75f, true);
  /** Channels opened here and not yet closed, kept or retired; for tests and invariants. */
  private int openChannels;
  /** Channels ever opened here; for tests (a kept channel is reused: reads of one chunk open it once). */
  private long openedCount;
  private boolean closed;

  ReadChannels(int channelsMax) {
    Check.argument(channelsMax >= 1, "read channels kept %s < 1", channelsMax);
    this.channelsMax = channelsMax;
  }

  /**
   * An open channel of {@code file} for the chunk {@code owner}, held until {@link #release}: the kept one if it is
   * this chunk's and still open (a reader interrupted mid-read closes a FileChannel), else a new one, kept in turn.
   */
  Entry acquire(long handle, Object owner, Path file) throws IOException {
    synchronized (this) {
      Entry entry = kept.get(handle);
      if (entry != null && entry.owner == owner && entry.channel.isOpen()) {
        entry.users++;
        return entry;
      }
    }
    // Opened outside the lock: readers of other chunks do not wait for this one's open.
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    List<Entry> toClose = new ArrayList<>(1);
    Entry mine;
    synchronized (this) {
      openChannels++;
      openedCount++;
      Entry entry = new Entry(owner, channel);
      Entry current = kept.get(handle);
      if (current != null && current.owner == owner && current.channel.isOpen()) {
        // Another reader of this chunk opened one meanwhile: share it, drop ours.
        current.users++;
        entry.retired = true;
        toClose.add(entry);
        mine = current;
      } else {
        if (current != null) {
          kept.remove(handle);
          retire(current, toClose);
        }
        entry.users = 1;
        if (closed) {
          entry.retired = true; // the store is closed: this read's channel is not kept
        } else {
          kept.put(handle, entry);
          evictBeyondMax(toClose);
        }
        mine = entry;
      }
    }
    closeAll(toClose);
    return mine;
  }

  /** The reader is done with the channel; a retired one is closed by its last reader. */
  void release(Entry entry) {
    boolean close;
    synchronized (this) {
      Check.state(entry.users > 0, "read channel released more often than acquired");
      entry.users--;
      close = entry.retired && entry.users == 0;
    }
    if (close) {
      closeAll(List.of(entry));
    }
  }

  /** Drops the channel kept for {@code owner} (its chunk is being deleted); closed now, or by its last reader. */
  void forget(long handle, Object owner) {
    List<Entry> toClose = new ArrayList<>(1);
    synchronized (this) {
      Entry entry = kept.get(handle);
      if (entry != null && entry.owner == owner) {
        kept.remove(handle);
        retire(entry, toClose);
      }
    }
    closeAll(toClose);
  }

  /** Channels kept for the next reads. */
  synchronized int keptCount() {
    return kept.size();
  }

  /** Channels opened here and not closed yet: the kept ones and retired ones still being read. */
  synchronized int openCount() {
    return openChannels;
  }

  /** Channels opened since the store started. */
  synchronized long openedCount() {
    return openedCount;
  }

  /** Closes every kept channel (one being read when its reader is done); later reads open and close their own. */
  @Override
  public void close() {
    List<Entry> toClose = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (Entry entry : kept.values()) {
        retire(entry, toClose);
      }
      kept.clear();
    }
    closeAll(toClose);
  }

  private void evictBeyondMax(List<Entry> toClose) {
    Iterator<Entry> eldest = kept.values().iterator();
    while (kept.size() > channelsMax) {
      Entry entry = eldest.next();
      eldest.remove();
      retire(entry, toClose);
    }
    Check.state(kept.size() <= channelsMax, "%s read channels kept, max %s", kept.size(), channelsMax);
  }

  /** Marks the entry out of the table; adds it to {@code toClose} when nobody reads through it. Holds the lock. */
  private void retire(Entry entry, List<Entry> toClose) {
    entry.retired = true;
    if (entry.users == 0) {
      toClose.add(entry);
    }
  }

  private void closeAll(List<Entry> entries) {
    for (Entry entry : entries) {
      try {
        entry.channel.close();
      } catch (IOException e) {
        LOG.debug("closing a read channel: {}", e.toString()); // read-only: nothing of ours is lost
      }
      synchronized (this) {
        openChannels--;
      }
    }
  }
}
