package io.gfs.master.server;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.common.rpc.RpcServer;
import io.gfs.thrift.gen.ChunkReport;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.HeartbeatRequest;
import io.gfs.thrift.gen.Mutation;
import io.gfs.thrift.gen.ReadResult;
import io.gfs.thrift.gen.RecordAppendRequest;
import io.gfs.thrift.gen.ServerAddress;
import io.gfs.thrift.gen.WriteRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A chunkserver that only answers assignVersion (recording each call and the versions it holds) and builds heartbeats:
 * enough to drive the master's lease protocol over real sockets without the real chunkserver module.
 */
final class FakeChunkServer implements ChunkServerService.Iface, AutoCloseable {
  record AssignCall(long handle, long version, boolean create, long leaseDurationMillis) {}

  final String serverId;
  final List<AssignCall> calls = new CopyOnWriteArrayList<>();
  final Map<Long, Long> versions = new TreeMap<>();
  volatile boolean failAssign;
  private final RpcServer server;

  FakeChunkServer(String serverId) throws IOException {
    this.serverId = serverId;
    this.server = RpcServer.start("fake-" + serverId, new HostPort("127.0.0.1", 0),
        new ChunkServerService.Processor<>(this), RpcLimits.defaults());
  }

  HostPort address() {
    return new HostPort("127.0.0.1", server.port());
  }

  synchronized HeartbeatRequest heartbeat() {
    List<ChunkReport> chunks = new ArrayList<>();
    versions.forEach((handle, version) -> chunks.add(new ChunkReport(handle, version, 0)));
    return new HeartbeatRequest(serverId, RpcErrors.toThrift(address()), 1L << 40, 0, chunks, List.of(), List.of());
  }

  @Override
  public synchronized void assignVersion(long handle, long version, boolean create, long leaseDurationMillis)
      throws GfsException {
    calls.add(new AssignCall(handle, version, create, leaseDurationMillis));
    if (failAssign) {
      throw RpcErrors.error(ErrorCode.IO_ERROR, "%s: disk failed", serverId);
    }
    if (!create && !versions.containsKey(handle)) {
      throw RpcErrors.error(ErrorCode.UNKNOWN_CHUNK, "no chunk %s", handle);
    }
    versions.put(handle, version);
  }

  @Override
  public void pushData(long dataId, long pieceOffsetBytes, ByteBuffer piece, boolean last, int totalLengthBytes,
      int crc32c, List<ServerAddress> forwardTo) throws GfsException {
    throw RpcErrors.error(ErrorCode.INTERNAL, "fake");
  }

  @Override
  public void write(WriteRequest request) throws GfsException {
    throw RpcErrors.error(ErrorCode.INTERNAL, "fake");
  }

  @Override
  public long recordAppend(RecordAppendRequest request) throws GfsException {
    throw RpcErrors.error(ErrorCode.INTERNAL, "fake");
  }

  @Override
  public void applyMutation(Mutation mutation) throws GfsException {
    throw RpcErrors.error(ErrorCode.INTERNAL, "fake");
  }

  @Override
  public ReadResult read(long handle, long version, long offsetBytes, int lengthBytes) throws GfsException {
    throw RpcErrors.error(ErrorCode.INTERNAL, "fake");
  }

  @Override
  public void close() {
    server.close();
  }
}
