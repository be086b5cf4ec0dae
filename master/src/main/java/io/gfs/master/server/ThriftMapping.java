package io.gfs.master.server;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.master.state.ChunkView;
import io.gfs.master.state.ContentSummary;
import io.gfs.master.state.FileChunks;
import io.gfs.master.state.FileStatus;
import io.gfs.master.state.HeartbeatReport;
import io.gfs.master.state.LeaseView;
import io.gfs.master.state.Listing;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ChunkLocations;
import io.gfs.thrift.gen.ChunkReport;
import io.gfs.thrift.gen.FileInfo;
import io.gfs.thrift.gen.HeartbeatRequest;
import io.gfs.thrift.gen.ListingEntry;
import io.gfs.thrift.gen.ListingPage;
import io.gfs.thrift.gen.ServerAddress;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the state's values and the wire's structs. Bad wire input becomes IllegalArgumentException. */
final class ThriftMapping {
  private ThriftMapping() {}

  static FileInfo fileInfo(FileStatus status, long chunkSizeBytes) {
    FileInfo info = new FileInfo(status.path(), status.directory(), status.lengthBytes(), status.replication(),
        chunkSizeBytes, status.modificationTimeMillis(), status.chunkCount());
    info.setOwner(status.permission().owner());
    info.setGroup(status.permission().group());
    info.setPermission(status.permission().permission());
    info.setAccessTimeMillis(status.accessTimeMillis());
    return info;
  }

  static io.gfs.thrift.gen.ContentSummary contentSummary(ContentSummary summary) {
    return new io.gfs.thrift.gen.ContentSummary(summary.lengthBytes(), summary.fileCount(), summary.directoryCount(),
        summary.spaceConsumedBytes());
  }

  static ListingPage listingPage(Listing listing, long chunkSizeBytes) {
    List<ListingEntry> entries = new ArrayList<>(listing.entries().size());
    for (Listing.Entry e : listing.entries()) {
      ListingEntry entry = new ListingEntry(fileInfo(e.file(), chunkSizeBytes));
      if (e.chunks() != null) {
        entry.setChunks(chunkLocationList(e.chunks()));
      }
      entries.add(entry);
    }
    return new ListingPage(entries, listing.hasMore());
  }

  static List<FileInfo> fileInfos(List<FileStatus> statuses, long chunkSizeBytes) {
    List<FileInfo> out = new ArrayList<>(statuses.size());
    statuses.forEach(s -> out.add(fileInfo(s, chunkSizeBytes)));
    return out;
  }

  static ChunkLocations chunkLocations(FileChunks chunks, long chunkSizeBytes) {
    return new ChunkLocations(fileInfo(chunks.file(), chunkSizeBytes), chunkLocationList(chunks.chunks()));
  }

  private static List<ChunkLocation> chunkLocationList(List<ChunkView> chunks) {
    List<ChunkLocation> locations = new ArrayList<>(chunks.size());
    for (ChunkView c : chunks) {
      locations.add(new ChunkLocation(c.chunkIndex(), c.handle(), c.version(), c.lengthBytes(),
          addresses(c.replicas())));
    }
    return locations;
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
