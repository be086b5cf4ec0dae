package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.PushBuffer;
import io.gfs.chunkserver.state.Refusal;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ServerAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.thrift.TException;

/**
 * The data flow [0097-0100]: each pushed piece goes into the push buffer and is queued for forwarding to the next
 * server in the chain, so this server forwards piece k while it receives piece k+1 (pipelined). Pieces of one data id
 * are forwarded one at a time, in order. The call carrying the last piece returns only when this server has verified
 * the whole data and the rest of the chain has acknowledged its own last piece; a failure anywhere down the chain comes
 * back naming the server that failed.
 */
final class DataPipeline {
  /** Longest forwarding chain accepted: more replicas than any sane replication factor. */
  static final int CHAIN_LENGTH_MAX = 32;

  private final PushBuffer buffer;
  private final RpcClients rpc;
  private final Executor forwarders;
  private final LongSupplier clock;
  private final long lastPieceWaitMillisMax;
  private final Map<Long, ForwardStream> streams = new ConcurrentHashMap<>();

  DataPipeline(PushBuffer buffer, RpcClients rpc, Executor forwarders, LongSupplier clock,
      long lastPieceWaitMillisMax) {
    this.buffer = buffer;
    this.rpc = rpc;
    this.forwarders = forwarders;
    this.clock = clock;
    this.lastPieceWaitMillisMax = lastPieceWaitMillisMax;
  }

  void pushData(long dataId, long pieceOffsetBytes, ByteBuffer piece, boolean last, int totalLengthBytes,
      int crc32c, List<ServerAddress> forwardTo, byte[] accessToken) throws GfsException, Refusal {
    if (piece == null) {
      throw Errors.invalid("data %s: no piece", dataId);
    }
    List<ServerAddress> chain = forwardTo == null ? List.of() : forwardTo;
    if (chain.size() > CHAIN_LENGTH_MAX) {
      throw Errors.invalid("data %s: forwarding chain of %s servers, over the max %s", dataId, chain.size(),
          CHAIN_LENGTH_MAX);
    }
    for (ServerAddress address : chain) {
      if (address == null || address.getHost() == null || address.getHost().isBlank() || address.getPort() <= 0
          || address.getPort() > 65535) {
        throw Errors.invalid("data %s: bad address %s in the forwarding chain", dataId, address);
      }
    }
    PushBuffer.PieceResult stored = buffer.receive(dataId, pieceOffsetBytes, piece.duplicate(), last,
        totalLengthBytes, crc32c, clock.getAsLong());
    if (chain.isEmpty()) {
      stored.hold().close();
      return;
    }
    // Forwarding reads the piece after this call returned, so not from the RPC layer's frame: from the push buffer's
    // copy, which is not reused before the piece's hold is closed, once it was sent or given up (a second copy of
    // every 1 MiB piece was the old way).
    ForwardStream stream;
    CompletableFuture<Void> forwarded;
    try {
      stream = streams.computeIfAbsent(dataId,
          id -> new ForwardStream(id, RpcErrors.fromThrift(chain.get(0)), List.copyOf(chain.subList(1, chain.size())),
              accessToken));
      forwarded = stream.enqueue(pieceOffsetBytes, stored, last, totalLengthBytes, crc32c);
    } catch (RuntimeException e) {
      stored.hold().close();
      throw e;
    }
    if (last) {
      awaitChain(stream, forwarded);
    } else {
      stream.throwIfFailed();
    }
  }

  /** Forget streams whose data aged out of the buffer; their queued forwards have finished or failed by now. */
  void expireStreams() {
    streams.entrySet().removeIf(e -> !buffer.contains(e.getKey()) && e.getValue().idle());
  }

  int streamCount() {
    return streams.size();
  }

  private void awaitChain(ForwardStream stream, CompletableFuture<Void> forwarded) throws GfsException {
    try {
      forwarded.get(lastPieceWaitMillisMax, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw stream.failure(e.getCause());
    } catch (TimeoutException e) {
      throw RpcErrors.error(ErrorCode.IO_ERROR, "data %s: %s did not acknowledge the last piece within %s ms",
          stream.dataId, stream.next, lastPieceWaitMillisMax);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RpcErrors.error(ErrorCode.INTERNAL, "interrupted while forwarding data %s", stream.dataId);
    } finally {
      streams.remove(stream.dataId, stream);
    }
  }

  /** The in-order forwarding of one data id to the next server. */
  private final class ForwardStream {
    final long dataId;
    final HostPort next;
    final List<ServerAddress> rest;
    /** The client's token, passed along the chain: each server checks it (issue 7). */
    final ByteBuffer accessToken;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    /**
     * Runs this stream's sends one after another on one forwarder thread for as long as pieces keep coming: a piece
     * finished inside it queues the next there instead of handing it to another thread (a wake-up per piece, and the
     * pieces of one push rotating through the pool's threads).
     */
    private final Executor sends = new SerialExecutor(forwarders);

    ForwardStream(long dataId, HostPort next, List<ServerAddress> rest, byte[] accessToken) {
      this.accessToken = accessToken == null ? null : ByteBuffer.wrap(accessToken);
      this.dataId = dataId;
      this.next = next;
      this.rest = rest;
    }

    /**
     * Queues one piece behind the ones before it; a failed piece makes every later one fail unsent. The piece's hold
     * is closed once it was sent or given up, whichever way its turn ends.
     */
    synchronized CompletableFuture<Void> enqueue(long offsetBytes, PushBuffer.PieceResult stored, boolean last,
        int totalBytes, int crc32c) {
      ByteBuffer piece = stored.stored();
      tail = tail.thenRunAsync(() -> send(offsetBytes, piece, last, totalBytes, crc32c), sends);
      tail.whenComplete((sent, failure) -> stored.hold().close());
      return tail;
    }

    private void send(long offsetBytes, ByteBuffer piece, boolean last, int totalBytes, int crc32c) {
      try {
        rpc.chunkServer(next, c -> {
          c.pushData(dataId, offsetBytes, piece.duplicate(), last, totalBytes, crc32c, rest,
              accessToken == null ? null : accessToken.duplicate());
          return null;
        });
      } catch (TException e) {
        if (!(e instanceof GfsException)) {
          rpc.forget(next);
        }
        throw new CompletionException(e);
      }
    }

    synchronized void throwIfFailed() throws GfsException {
      if (tail.isCompletedExceptionally()) {
        try {
          tail.join();
        } catch (CompletionException e) {
          throw failure(e.getCause());
        }
      }
    }

    synchronized boolean idle() {
      return tail.isDone();
    }

    GfsException failure(Throwable cause) {
      Throwable root = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
      String what = "forwarding data " + dataId;
      if (root instanceof GfsException) {
        return Errors.from(next.toString(), what, (GfsException) root);
      }
      return Errors.unreachable(next.toString(), what, root);
    }
  }
}
