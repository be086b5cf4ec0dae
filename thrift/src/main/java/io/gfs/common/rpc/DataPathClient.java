package io.gfs.common.rpc;

import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.ServerAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TProtocol;

/**
 * The generated chunkserver client, except that a pushed piece is sent from the caller's buffer: the generated
 * {@code send_pushData} copies every piece (up to 1 MiB) into a new array first (TBaseHelper.copyBinary), once in the
 * client and again on every chunkserver forwarding it. The bytes on the wire are the same. The caller's buffer is
 * only read, and only until the call returns.
 */
final class DataPathClient extends ChunkServerService.Client {
  DataPathClient(TProtocol protocol) {
    super(protocol);
  }

  @Override
  public void send_pushData(long dataId, long pieceOffsetBytes, ByteBuffer piece, boolean last, int totalLengthBytes,
      int crc32c, List<ServerAddress> forwardTo, ByteBuffer accessToken) throws TException {
    ChunkServerService.pushData_args args = new ChunkServerService.pushData_args();
    args.setDataId(dataId);
    args.setPieceOffsetBytes(pieceOffsetBytes);
    if (piece == null || !ThriftBinary.set(args, "piece", piece.duplicate())) {
      args.setPiece(piece);
    }
    args.setLast(last);
    args.setTotalLengthBytes(totalLengthBytes);
    args.setCrc32c(crc32c);
    args.setForwardTo(forwardTo);
    args.setAccessToken(accessToken);
    sendBase("pushData", args);
  }
}
