package io.gfs.chunkserver.server;

import io.gfs.common.Check;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.RecordAppendRequest;
import io.gfs.thrift.gen.ServerAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Record appends waiting at the primary for their chunk while an earlier group of them is applied and sent to the
 * secondaries. Whoever holds the chunk's lock next takes every waiting one (up to a group's max) and applies them as
 * one group, so many concurrent appenders cost one fan-out per group instead of one each (group commit; [0111] lets the
 * primary serialize concurrent appends in any order). A chunk's queue exists only while a request waits in it.
 */
final class PendingAppends {
  /** One client's record append, from its arrival until its outcome is known. */
  static final class Pending {
    final RecordAppendRequest request;
    final List<ServerAddress> secondaries;
    final byte[] data;
    private final CompletableFuture<Long> outcome = new CompletableFuture<>();

    Pending(RecordAppendRequest request, List<ServerAddress> secondaries, byte[] data) {
      this.request = request;
      this.secondaries = List.copyOf(secondaries);
      this.data = data;
      Check.argument(data.length == request.getLengthBytes(), "data of %s bytes for a record of %s", data.length,
          request.getLengthBytes());
    }

    /** The record is on every replica at this chunk offset. */
    void succeeded(long offsetBytes) {
      Check.state(outcome.complete(offsetBytes), "record append of data %s decided twice", request.getDataId());
    }

    /** The append failed (a no-op if its outcome is known already). */
    void failed(GfsException failure) {
      outcome.completeExceptionally(failure);
    }

    /** The record's bytes if they came with the request (and go on with the mutation), else 0. */
    long inlineBytes() {
      return request.isSetData() ? data.length : 0;
    }

    boolean isDone() {
      return outcome.isDone();
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

  synchronized void add(long handle, Pending pending) {
    waiting.computeIfAbsent(handle, h -> new ArrayDeque<>()).addLast(pending);
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

  /** Withdraws a request no group has taken yet; false if one has (its outcome will follow). */
  synchronized boolean remove(long handle, Pending pending) {
    ArrayDeque<Pending> queue = waiting.get(handle);
    if (queue == null || !queue.remove(pending)) {
      return false;
    }
    if (queue.isEmpty()) {
      waiting.remove(handle);
    }
    return true;
  }

  /** Chunks with requests waiting; for tests. */
  synchronized int chunks() {
    return waiting.size();
  }
}
