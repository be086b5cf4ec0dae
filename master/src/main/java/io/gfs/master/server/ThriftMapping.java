package io.gfs.master.server;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.master.state.ChunkView;
import io.gfs.master.state.FileChunks;
import io.gfs.master.state.FileStatus;
import io.gfs.master.state.HeartbeatReport;
import io.gfs.master.state.LeaseView;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ChunkLocations;
import io.gfs.thrift.gen.ChunkReport;
import io.gfs.thrift.gen.FileInfo;
import io.gfs.thrift.gen.HeartbeatRequest;
import io.gfs.thrift.gen.ServerAddress;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the state's values and the wire's structs. Bad wire input becomes IllegalArgumentException. */
final class ThriftMapping {
  private ThriftMapping() {}

  static FileInfo fileInfo(FileStatus status, long chunkSizeBytes) {
    return new FileInfo(status.path(), status.directory(), status.lengthBytes(), status.replication(),
        chunkSizeBytes, status.modificationTimeMillis(), status.chunkCount());
  }

  static List<FileInfo> fileInfos(List<FileStatus> statuses, long chunkSizeBytes) {
    List<FileInfo> out = new ArrayList<>(statuses.size());
    statuses.forEach(s -> out.add(fileInfo(s, chunkSizeBytes)));
    return out;
  }

  static ChunkLocations chunkLocations(FileChunks chunks, long chunkSizeBytes) {
    List<ChunkLocation> locations = new ArrayList<>();
    for (ChunkView c : chunks.chunks()) {
      locations.add(new ChunkLocation(c.chunkIndex(), c.handle(), c.version(), c.lengthBytes(),
          addresses(c.replicas())));
    }
    return new ChunkLocations(fileInfo(chunks.file(), chunkSizeBytes), locations);
  }

  static ChunkLease chunkLease(LeaseView lease, long chunkSizeBytes) {
    return new ChunkLease(lease.chunkIndex(), lease.handle(), lease.version(), RpcErrors.toThrift(lease.primary()),
        addresses(lease.secondaries()), lease.leaseRemainingMillis(), chunkSizeBytes);
  }

  static List<ServerAddress> addresses(List<HostPort> hosts) {
    List<ServerAddress> out = new ArrayList<>(hosts.size());
    hosts.forEach(h -> out.add(RpcErrors.toThrift(h)));
    return out;
  }

  static HeartbeatReport heartbeatReport(HeartbeatRequest request, String defaultRack) {
    if (request.getServerId() == null || request.getServerId().isBlank()) {
      throw new IllegalArgumentException("heartbeat without a server id");
    }
    if (request.getAddress() == null) {
      throw new IllegalArgumentException("heartbeat from " + request.getServerId() + " without an address");
    }
    HostPort address = RpcErrors.fromThrift(request.getAddress());
    if (address.port() == 0) {
      throw new IllegalArgumentException("heartbeat from " + request.getServerId() + " advertises port 0");
    }
    List<HeartbeatReport.Replica> replicas = new ArrayList<>();
    if (request.getChunks() != null) {
      for (ChunkReport c : request.getChunks()) {
        replicas.add(new HeartbeatReport.Replica(c.getHandle(), c.getVersion(), c.getLengthBytes()));
      }
    }
    String rack = request.isSetRack() && !request.getRack().isBlank() ? request.getRack() : defaultRack;
    return new HeartbeatReport(request.getServerId(), address, rack, Math.max(0, request.getCapacityBytes()),
        Math.max(0, request.getUsedBytes()), replicas, orEmpty(request.getLeaseExtensionRequests()),
        orEmpty(request.getCorruptChunks()));
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
