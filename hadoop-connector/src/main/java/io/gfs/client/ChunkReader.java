package io.gfs.client;

import io.gfs.client.state.ChunkMath.Piece;
import io.gfs.client.state.ChunkReplicas;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.ThriftBinary;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ReadResult;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.thrift.TException;
import org.apache.thrift.transport.TTransportException;

/**
 * Reads one piece of one chunk from its replicas, nearest first [0090], failing over to the next replica on any error:
 * a refused or reset connection, a checksum mismatch (the chunkserver then reports its copy corrupt [0127]), a stale
 * version, an unknown chunk, or a chunk that ends before the piece the file's length promises.
 */
final class ChunkReader {
  private final ClientContext context;

  ChunkReader(ClientContext context) {
    this.context = context;
  }

  /**
   * The piece's bytes, exactly piece.lengthBytes() of them, as a read-only view of the reply's frame (a fresh array per
   * frame that nothing else holds, so the view stays valid; copying it out was a second 1 MiB copy and allocation per
   * piece); or every replica's error.
   */
  ByteBuffer read(ChunkReplicas chunk, Piece piece) throws ReplicasFailedException {
    List<String> errors = new ArrayList<>();
    List<HostPort> replicas = context.order.order(chunk.replicas(),
        context.health.suspects(chunk.replicas(), context.nowMillis()));
    if (replicas.isEmpty()) {
      errors.add("the master knows no live replica");
    }
    for (HostPort replica : replicas) {
      try {
        ReadResult result = context.rpc.chunkServer(replica,
            c -> c.read(chunk.handle(), chunk.version(), piece.offsetInChunk(), piece.lengthBytes(),
                ClientContext.token(chunk.accessToken())));
        ByteBuffer data = pieceOf(result, piece);
        if (data == null) {
          errors.add(replica + ": " + shortReply(result, piece));
          context.health.failed(replica, context.nowMillis());
          continue;
        }
        context.health.succeeded(replica);
        return data;
      } catch (GfsException e) {
        errors.add(replica + ": " + e.getCode() + " " + e.getMessage());
        if (e.getCode() == io.gfs.thrift.gen.ErrorCode.INVALID_TOKEN) {
          // The token, not the replica: every replica would say the same. Ask the master for a fresh one at once.
          throw new ReplicasFailedException(errors, true);
        }
      } catch (TTransportException e) {
        context.forget(replica);
        errors.add(replica + ": " + e.getMessage());
      } catch (TException e) {
        errors.add(replica + ": " + e);
      }
      context.health.failed(replica, context.nowMillis());
    }
    throw new ReplicasFailedException(errors, false);
  }

  /**
   * The reply's bytes as a read-only view holding exactly the piece, without a copy (the generated accessors would
   * make two); null when the replica's chunk ends before the piece does.
   */
  static ByteBuffer pieceOf(ReadResult result, Piece piece) {
    ByteBuffer data = result.isSetData() ? ThriftBinary.view(result, "data") : null;
    if (data == null && result.isSetData()) {
      data = result.bufferForData().asReadOnlyBuffer();
    }
    if (data == null || data.remaining() < piece.lengthBytes()) {
      return null;
    }
    return data.limit(data.position() + piece.lengthBytes()).slice();
  }

  static String shortReply(ReadResult result, Piece piece) {
    return "chunk ends at " + result.getChunkLengthBytes() + " but the file reaches " + piece.endInChunk() + " in it";
  }

  /** Every replica of a chunk failed one read; the message lists each one's error. */
  static final class ReplicasFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A chunkserver refused the access token (expired, or signed by a key it does not know yet). */
    final boolean tokenRefused;

    ReplicasFailedException(List<String> errors, boolean tokenRefused) {
      super(String.join("; ", errors), null, false, false);
      this.tokenRefused = tokenRefused;
    }
  }
}
