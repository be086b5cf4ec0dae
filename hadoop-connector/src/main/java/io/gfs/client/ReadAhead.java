package io.gfs.client;

import io.gfs.client.state.ChunkMath.Piece;
import io.gfs.client.state.ChunkReplicas;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.ReadResult;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read request sent ahead on a connection held for it: while the caller copies the piece it has, the chunkserver
 * already reads and verifies the next one [0127], so the two sides overlap instead of taking turns (a sequential
 * reader was idle while the chunkserver worked and the other way round). No thread of its own: the request simply
 * waits on the connection until {@link #receive}. Strictly an optimisation: any failure, a reply the file's length
 * does not allow, or a piece the reader no longer wants returns null or discards the connection, and the reader reads
 * that piece the ordinary way (failover, retries, fresh locations and tokens). Not thread-safe (the reader serialises).
 */
final class ReadAhead {
  private static final Logger LOG = LoggerFactory.getLogger(ReadAhead.class);

  private final ClientContext context;
  private final RpcClients.Held<ChunkServerService.Client> connection;
  private final HostPort replica;
  private final Piece piece;
  /** Where the piece starts in the file. */
  final long fileOffset;

  private ReadAhead(ClientContext context, RpcClients.Held<ChunkServerService.Client> connection, HostPort replica,
      Piece piece, long fileOffset) {
    this.context = context;
    this.connection = connection;
    this.replica = replica;
    this.piece = piece;
    this.fileOffset = fileOffset;
  }

  /**
   * Sends the read of {@code piece} of {@code chunk} (starting at fileOffset in the file) to the replica an ordinary
   * read would try first; null if there is none or the request cannot be sent.
   */
  static ReadAhead send(ClientContext context, ChunkReplicas chunk, Piece piece, long fileOffset) {
    List<HostPort> replicas = context.order.order(chunk.replicas(),
        context.health.suspects(chunk.replicas(), context.nowMillis()));
    if (replicas.isEmpty()) {
      return null;
    }
    HostPort replica = replicas.get(0);
    RpcClients.Held<ChunkServerService.Client> connection = null;
    try {
      connection = context.rpc.holdChunkServer(replica);
      connection.client().send_read(chunk.handle(), chunk.version(), piece.offsetInChunk(), piece.lengthBytes(),
          ClientContext.token(chunk.accessToken()));
      return new ReadAhead(context, connection, replica, piece, fileOffset);
    } catch (TException | RuntimeException e) {
      LOG.debug("read ahead of {} at {} from {} not sent: {}", chunk.handle(), piece.offsetInChunk(), replica,
          e.toString());
      if (connection != null) {
        connection.discard();
      }
      return null;
    }
  }

  /**
   * The piece, exactly its length, as a read-only view of the reply's frame, read into {@code frameInto} when it fits
   * (the caller's array, which it must not use while the view is in use); null when the chunkserver refused it or the
   * connection failed (the caller then reads it the ordinary way, which reports the errors). The connection goes back
   * to the pool after a reply, typed error or not.
   */
  ByteBuffer receive(byte[] frameInto) {
    connection.readNextReplyInto(frameInto);
    ReadResult result = receiveReply(() -> connection.readNextReplyInto(null));
    return result == null ? null : ChunkReader.pieceOf(result, piece);
  }

  /**
   * The piece, read from the socket straight into {@code array[offset, offset + piece length)} (the caller's array: no
   * frame array in between), as a view of that range; null when the chunkserver refused it, the connection failed or
   * the replica's chunk ends before the piece (the caller then reads it the ordinary way, which reports the errors and
   * fills the range again). On null the range may hold part of the reply.
   */
  ByteBuffer receiveInto(byte[] array, int offset) {
    if (!connection.readNextBinaryInto(array, offset, piece.lengthBytes())) {
      ByteBuffer data = receive(null); // a connection that cannot stream its reply: read it whole, then copy
      if (data != null) {
        data.duplicate().get(array, offset, data.remaining());
      }
      return data;
    }
    ReadResult result = receiveReply(() -> connection.readNextBinaryInto(null, 0, 0));
    if (result == null) {
      return null;
    }
    // Exactly the piece, or it is not (all) in the caller's array: a shorter reply means the replica's chunk ends
    // early, a longer one (which no chunkserver sends) went to an array of its own.
    ByteBuffer data = result.isSetData() ? io.gfs.common.rpc.ThriftBinary.view(result, "data") : null;
    return data != null && data.remaining() == piece.lengthBytes() ? data.slice() : null;
  }

  /**
   * The read's reply; null when the chunkserver refused it (the connection goes back to the pool) or the connection
   * failed (it is dropped and the replica forgotten for a while). {@code clearTarget} cancels where the reply was to
   * be read into, which the reply normally used up already.
   */
  private ReadResult receiveReply(Runnable clearTarget) {
    ReadResult result;
    try {
      result = connection.client().recv_read();
    } catch (io.gfs.thrift.gen.GfsException e) {
      clearTarget.run();
      connection.release();
      LOG.debug("read ahead from {} refused: {} {}", replica, e.getCode(), e.getMessage());
      return null;
    } catch (TException | RuntimeException e) {
      connection.discard();
      context.forget(replica);
      LOG.debug("read ahead from {} failed: {}", replica, e.toString());
      return null;
    }
    clearTarget.run();
    connection.release();
    return result;
  }

  /**
   * The reader no longer wants the piece: its reply is read and dropped so the connection can be pooled again (closing
   * it instead would make the chunkserver write into a closed connection and the next read connect anew).
   */
  void cancel() {
    try {
      connection.client().recv_read();
      connection.release();
    } catch (io.gfs.thrift.gen.GfsException e) {
      connection.release();
    } catch (TException | RuntimeException e) {
      connection.discard();
    }
  }

  int lengthBytes() {
    return piece.lengthBytes();
  }
}
