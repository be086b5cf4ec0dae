package io.gfs.chunkserver.server;

import io.gfs.common.Check;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.RecordAppendRequest;
import io.gfs.thrift.gen.ServerAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Record appends waiting at the primary for their chunk while an earlier group of them is applied and sent to the
 * secondaries. One request's thread at a time leads a chunk's appends: it takes the chunk's lock and applies every
 * waiting one (up to a group's max) as one group, so many concurrent appenders cost one fan-out per group instead of
 * one each (group commit; [0111] lets the primary serialize concurrent appends in any order). The others wait for
 * their outcome or for the turn to lead, never for the lock: when every waiter queued on the lock itself, a group's
 * requests left one by one, each taking and releasing the lock only to find itself decided, and the next group waited
 * behind that line. A leader whose own request is decided hands the turn to the oldest waiting request, if any. A
 * chunk's queue exists only while a request waits in it.
 */
final class PendingAppends {
  /** One client's record append, from its arrival until its outcome is known. */
  static final class Pending {
    final RecordAppendRequest request;
    final List<ServerAddress> secondaries;
    /** The record's bytes (read in place from its request, or taken from the push buffer); read, never written. */
    final ByteBuffer data;
    /** The client asked through appendRecord: it skips its own length report when the primary made one (issue 6). */
    final boolean lengthReportWanted;
    private final CompletableFuture<Long> outcome = new CompletableFuture<>();
    /** Written before the outcome completes, so read after it (the future orders the two). */
    private boolean lengthReported;
    /** Set (under this object's monitor) when this request's thread is to lead its chunk's appends next. */
    private boolean turn;

    Pending(RecordAppendRequest request, List<ServerAddress> secondaries, ByteBuffer data) {
      this(request, secondaries, data, false);
    }

    Pending(RecordAppendRequest request, List<ServerAddress> secondaries, ByteBuffer data,
        boolean lengthReportWanted) {
      this.lengthReportWanted = lengthReportWanted;
      this.request = request;
      this.secondaries = List.copyOf(secondaries);
      this.data = data.duplicate();
      Check.argument(data.remaining() == request.getLengthBytes() && data.hasArray(),
          "data of %s bytes (on an array: %s) for a record of %s", data.remaining(), data.hasArray(),
          request.getLengthBytes());
    }

    /**
     * True when {@link #data}'s CRC32C was checked equal to the request's on arrival: the record came inline
     * (Mutations.recordAppend checks it before queueing it); pushed data was checked against its pusher's CRC.
     */
    boolean crcChecked() {
      return request.isSetData();
    }

    /** The record is on every replica at this chunk offset. */
    void succeeded(long offsetBytes) {
      succeeded(offsetBytes, false);
    }

    /** The record is on every replica at this chunk offset; lengthReported: the master knows a length past it. */
    void succeeded(long offsetBytes, boolean lengthReported) {
      this.lengthReported = lengthReported;
      Check.state(outcome.complete(offsetBytes), "record append of data %s decided twice", request.getDataId());
      wake();
    }

    /** The append failed (a no-op if its outcome is known already). */
    void failed(GfsException failure) {
      outcome.completeExceptionally(failure);
      wake();
    }

    private synchronized void wake() {
      notifyAll();
    }

    private synchronized void giveTurn() {
      turn = true;
      notifyAll();
    }

    /**
     * Waits until this request is decided or its thread is given the turn to lead; true for the turn (the caller then
     * leads, see {@link PendingAppends#add}). Not interruptible: a leader always decides every request it takes, and a
     * turn is handed on whenever requests wait, so this ends.
     */
    synchronized boolean awaitTurnOrOutcome() {
      boolean interrupted = false;
      while (!turn && !outcome.isDone()) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return turn;
    }

    /** The record's bytes if they came with the request (and go on with the mutation), else 0. */
    long inlineBytes() {
      return request.isSetData() ? data.remaining() : 0;
    }

    boolean isDone() {
      return outcome.isDone();
    }

    /** After {@link #await} returned: whether the primary told the master a chunk length covering this record. */
    boolean lengthReported() {
      Check.state(outcome.isDone(), "record append of data %s not decided yet", request.getDataId());
      return lengthReported;
    }

    /** Waits for the group that took this request: the chunk offset, or the failure for the client. */
    long await() throws GfsException {
      try {
        return outcome.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof GfsException failure) {
          throw failure;
        }
        throw RpcErrors.error(ErrorCode.INTERNAL, "record append of data %s failed: %s", request.getDataId(),
            e.getCause());
      }
    }
  }

  private final Map<Long, ArrayDeque<Pending>> waiting = new HashMap<>();
  /** Chunks whose appends some request's thread leads now (it holds or waits for the chunk's lock). */
  private final Set<Long> led = new HashSet<>();

  /**
   * Queues the request; true if the caller is to lead the chunk's appends now (no one does), after which it must call
   * {@link #handOver} exactly once; false: it waits ({@link Pending#awaitTurnOrOutcome}).
   */
  synchronized boolean add(long handle, Pending pending) {
    waiting.computeIfAbsent(handle, h -> new ArrayDeque<>()).addLast(pending);
    return led.add(handle);
  }

  /** The leader is done: the oldest waiting request's thread leads next, or no one if none waits. */
  synchronized void handOver(long handle) {
    ArrayDeque<Pending> queue = waiting.get(handle);
    if (queue == null) {
      led.remove(handle);
    } else {
      queue.peekFirst().giveTurn();
    }
  }

  /** Whether a request's thread leads the chunk's appends now (a hint: it may change at once). */
  synchronized boolean isLed(long handle) {
    return led.contains(handle);
  }

  /** Takes every waiting request of the chunk (to fail them all: the lock they wait for is stuck). */
  synchronized List<Pending> takeAll(long handle) {
    ArrayDeque<Pending> queue = waiting.remove(handle);
    return queue == null ? List.of() : List.copyOf(queue);
  }

  /** Requests waiting for the chunk; for tests. */
  synchronized int waiting(long handle) {
    ArrayDeque<Pending> queue = waiting.get(handle);
    return queue == null ? 0 : queue.size();
  }

  /**
   * Takes up to {@code max} of the chunk's waiting requests, oldest first, and no more records sent inline than
   * {@code inlineBytesMax} in all (the group's call to a secondary carries them); always at least one.
   */
  synchronized List<Pending> take(long handle, int max, long inlineBytesMax) {
    Check.argument(max >= 1 && inlineBytesMax >= 0, "max %s < 1 or inline bytes max %s < 0", max, inlineBytesMax);
    ArrayDeque<Pending> queue = waiting.get(handle);
    if (queue == null) {
      return List.of();
    }
    List<Pending> out = new ArrayList<>(Math.min(max, queue.size()));
    long inlineBytes = 0;
    while (out.size() < max && !queue.isEmpty()) {
      long next = queue.peekFirst().inlineBytes();
      if (!out.isEmpty() && inlineBytes + next > inlineBytesMax) {
        break;
      }
      inlineBytes += next;
      out.add(queue.pollFirst());
    }
    if (queue.isEmpty()) {
      waiting.remove(handle);
    }
    return out;
  }

  /** Chunks with requests waiting; for tests. */
  synchronized int chunks() {
    return waiting.size();
  }
}
