package io.gfs.client;

import io.gfs.client.state.Lease;
import io.gfs.client.state.RetryPolicy;
import io.gfs.common.Check;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The write mutations of one {@link GfsFileWriter}, with their data pushed ahead [0097-0100]. A full buffer's push to
 * the replica chain starts at once on a pusher thread, while the writer goes on filling the next buffer and the
 * primary still applies an earlier mutation; write requests go to the primary strictly in order, each after its own
 * push, and each is acknowledged by every replica before the next is sent, as without the pipeline [0101-0103].
 * Until a mutation is committed its buffer is not reused and its length is not reported to the master, so hflush and
 * close (which {@link #drain}) keep their meaning. A failed push or write request repeats the whole mutation with a new
 * data id ({@link MutationSender}). Not thread-safe: the writer serialises calls.
 */
final class WritePipeline {
  /**
   * Mutations pushed ahead of the one being committed. Two keep the client's link and the chain busy while the
   * primary applies and fans out; more only add memory (one write buffer each) and push buffer pressure on servers.
   */
  static final int AHEAD_MAX = 2;

  /** A mutation whose data is on its way; committed in submission order. */
  record Pending(long chunkIndex, long offsetInChunk, byte[] bytes, int length, boolean sync,
      MutationSender.Pushed pushed) {}

  /** A committed mutation: where it went and the lease that carried it. */
  record Committed(long chunkIndex, long endInChunk, Lease lease, byte[] bytes) {}

  private final ClientContext context;
  private final MutationSender sender;
  private final String path;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  WritePipeline(ClientContext context, MutationSender sender, String path) {
    this.context = context;
    this.sender = sender;
    this.path = path;
  }

  /**
   * Starts the push of bytes[0, length) for the write at offsetInChunk of chunkIndex, and commits the oldest mutations
   * until at most {@link #AHEAD_MAX} wait; returns those committed, oldest first. The caller hands over {@code bytes}
   * until they come back in a {@link Committed}.
   */
  List<Committed> submit(long chunkIndex, long offsetInChunk, byte[] bytes, int length, boolean sync)
      throws IOException {
    Check.argument(length > 0 && length <= bytes.length, "mutation of %s bytes from a %s-byte buffer", length,
        bytes.length);
    // The lease is taken here, in order: a chunk is allocated only after the one before it (the master's rule).
    Lease lease;
    try {
      lease = context.lease(path, chunkIndex);
    } catch (GfsClientException e) {
      if (!RetryPolicy.retryable(e.code())) {
        throw e;
      }
      // "Not now" (a new master that has not heard from its chunkservers yet, a busy master): commit everything
      // before it, then this one without pushing ahead - MutationSender.write asks for the lease again with its
      // retries and backoff, and no later chunk is asked for before this one exists.
      List<Committed> committed = drain();
      Lease used = sender.write(path, chunkIndex, offsetInChunk, bytes, 0, length, sync);
      committed.add(new Committed(chunkIndex, offsetInChunk + length, used, bytes));
      return committed;
    }
    pending.addLast(new Pending(chunkIndex, offsetInChunk, bytes, length, sync,
        sender.pushAhead(lease, bytes, 0, length, DataThreads.EXECUTOR)));
    List<Committed> committed = new ArrayList<>();
    while (pending.size() > AHEAD_MAX) {
      committed.add(commitOldest());
    }
    return committed;
  }

  /** Commits every pending mutation, oldest first. */
  List<Committed> drain() throws IOException {
    List<Committed> committed = new ArrayList<>();
    while (!pending.isEmpty()) {
      committed.add(commitOldest());
    }
    return committed;
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  /** After a failure for good: the pushes still under way finish on their own; their data ages out on the servers. */
  void abandon() {
    pending.clear();
  }

  private Committed commitOldest() throws IOException {
    Pending p = pending.peekFirst();
    Lease lease = sender.write(path, p.chunkIndex(), p.offsetInChunk(), p.bytes(), 0, p.length(), p.sync(),
        p.pushed());
    pending.removeFirst();
    return new Committed(p.chunkIndex(), p.offsetInChunk() + p.length(), lease, p.bytes());
  }
}
