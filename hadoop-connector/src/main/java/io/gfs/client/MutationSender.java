package io.gfs.client;

import io.gfs.client.state.Lease;
import io.gfs.client.state.RetryPolicy;
import io.gfs.common.Crc32c;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ServerAddress;
import io.gfs.thrift.gen.WriteRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.thrift.TException;
import org.apache.thrift.transport.TTransportException;

/**
 * Sends one write mutation [0095-0103]: lease (cached or from the master), push of the data to the replica chain
 * nearest first (the client sends to the first, which forwards while it receives [0098-0100]), then the write request
 * to the primary, which orders and applies it everywhere. Any failure drops the cached lease, pauses and repeats all of
 * it with a new data id, up to fs.gfs.retries.max attempts [0103].
 */
final class MutationSender {
  private final ClientContext context;

  MutationSender(ClientContext context) {
    this.context = context;
  }

  /** Writes bytes[offset, offset + length) at offsetInChunk of the chunk on every replica; returns the lease used. */
  Lease write(String path, long chunkIndex, long offsetInChunk, byte[] bytes, int offset, int length, boolean sync)
      throws IOException {
    return write(path, chunkIndex, offsetInChunk, bytes, offset, length, sync, null);
  }

  /**
   * The same, with the first attempt's data already pushed (or being pushed) by {@link #pushAhead}: the write request
   * goes out as soon as that push is done. Any failure repeats the whole mutation as above, with a new data id.
   */
  Lease write(String path, long chunkIndex, long offsetInChunk, byte[] bytes, int offset, int length, boolean sync,
      Pushed pushed) throws IOException {
    int crc32c = pushed != null ? pushed.crc32c() : Crc32c.of(bytes, offset, length);
    String what = String.format("%s: write of %d bytes at %d in chunk %d", path, length, offsetInChunk, chunkIndex);
    List<String> failures = new ArrayList<>();
    for (int attempt = 0; ; attempt++) {
      try {
        Lease lease;
        long dataId;
        if (attempt == 0 && pushed != null) {
          lease = pushed.lease();
          dataId = pushed.dataId();
          pushed.await();
        } else {
          lease = context.lease(path, chunkIndex);
          dataId = context.dataIds.getAsLong();
          push(lease, dataId, bytes, offset, length, crc32c);
        }
        WriteRequest request = new WriteRequest(lease.handle(), lease.version(), offsetInChunk, dataId, length,
            ClientContext.toThrift(lease.secondaries()), sync).setAccessToken(ClientContext.token(lease.accessToken()));
        call(lease.primary(), c -> {
          c.write(request);
          return null;
        });
        return lease;
      } catch (AttemptFailedException e) {
        failures.add(classify(e, what));
      } catch (GfsClientException e) {
        failures.add(classify(e, what));
      }
      context.leases.drop(path, chunkIndex);
      pauseOrGiveUp(attempt, what, failures);
    }
  }

  /**
   * Starts pushing bytes[offset, offset + length) under a new data id to the lease's replicas on {@code executor}, so
   * the data travels while the caller still waits for an earlier mutation; {@link #write(String, long, long, byte[],
   * int, int, boolean, Pushed)} then only sends the write request. The bytes must stay unchanged until that returns.
   */
  Pushed pushAhead(Lease lease, byte[] bytes, int offset, int length, Executor executor) {
    long dataId = context.dataIds.getAsLong();
    int crc32c = Crc32c.of(bytes, offset, length);
    CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
      try {
        push(lease, dataId, bytes, offset, length, crc32c);
      } catch (AttemptFailedException e) {
        throw new CompletionException(e);
      }
    }, executor);
    return new Pushed(lease, dataId, crc32c, done);
  }

  /** A push started ahead of its write request: the lease, data id and CRC it used, and its outcome. */
  record Pushed(Lease lease, long dataId, int crc32c, CompletableFuture<Void> done) {
    void await() throws AttemptFailedException, IOException {
      try {
        done.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof AttemptFailedException failed) {
          throw failed;
        }
        throw new IOException("push of data " + dataId + " failed: " + e.getCause(), e.getCause());
      }
    }
  }

  /**
   * Pushes bytes[offset, offset + length) under dataId to every replica of the lease: pieces of at most
   * {@link GfsConfigKeys#DATA_PIECE_BYTES_MAX} in order to the nearest, with the rest of the chain to forward to. The
   * last piece's call returns when every replica holds and has verified the whole data.
   */
  void push(Lease lease, long dataId, byte[] bytes, int offset, int length, int crc32c)
      throws AttemptFailedException {
    List<HostPort> chain = context.order.order(lease.replicas());
    HostPort first = chain.get(0);
    List<ServerAddress> forwardTo = ClientContext.toThrift(chain.subList(1, chain.size()));
    int sent = 0;
    do {
      int pieceBytes = Math.min(GfsConfigKeys.DATA_PIECE_BYTES_MAX, length - sent);
      long pieceOffset = sent;
      boolean last = sent + pieceBytes == length;
      ByteBuffer piece = ByteBuffer.wrap(bytes, offset + sent, pieceBytes);
      call(first, c -> {
        c.pushData(dataId, pieceOffset, piece, last, length, crc32c, forwardTo,
            ClientContext.token(lease.accessToken()));
        return null;
      });
      sent += pieceBytes;
    } while (sent < length);
  }

  <R> R call(HostPort server, RpcClients.Call<ChunkServerService.Client, R> call)
      throws AttemptFailedException {
    try {
      return context.rpc.chunkServer(server, call);
    } catch (GfsException e) {
      throw new AttemptFailedException(server, e);
    } catch (TTransportException e) {
      context.forget(server);
      throw new AttemptFailedException(server, e);
    } catch (TException e) {
      throw new AttemptFailedException(server, e);
    }
  }

  /** A description of a failed attempt worth repeating, or the final error (thrown) when repeating cannot help. */
  static String classify(AttemptFailedException e, String what) throws IOException {
    if (e.getCause() instanceof GfsException typed) {
      if (!RetryPolicy.retryable(typed.getCode())) {
        throw GfsClientException.of(typed, what + " on " + e.server);
      }
      return e.server + ": " + typed.getCode() + " " + typed.getMessage();
    }
    return e.server + ": " + e.getCause();
  }

  /** The same for a failed master call inside an attempt (the lease request). */
  static String classify(GfsClientException e, String what) throws IOException {
    if (!RetryPolicy.retryable(e.code())) {
      throw e;
    }
    return "master: " + e.getMessage();
  }

  void pauseOrGiveUp(int attempt, String what, List<String> failures) throws IOException {
    if (!context.retry.mayRetry(attempt)) {
      throw new IOException(what + " failed in " + (attempt + 1) + " attempts: " + failures);
    }
    context.sleeper.sleep(context.retry.pauseMillis(attempt));
  }

  /** One chunkserver call of an attempt failed; carries the server and the cause. */
  static final class AttemptFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    final transient HostPort server;

    AttemptFailedException(HostPort server, Exception cause) {
      super(server + ": " + cause.getMessage(), cause, false, false);
      this.server = server;
    }
  }
}
