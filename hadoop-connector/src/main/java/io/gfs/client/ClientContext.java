package io.gfs.client;

import io.gfs.client.state.ChunkReplicas;
import io.gfs.client.state.Lease;
import io.gfs.client.state.LeaseCache;
import io.gfs.client.state.LocationCache;
import io.gfs.client.state.ReplicaHealth;
import io.gfs.client.state.ReplicaOrder;
import io.gfs.client.state.RetryPolicy;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ChunkLocations;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.ServerAddress;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What readers, writers and record appenders of one {@link GfsClient} share: options, RPC connections, the master,
 * the location and lease caches, the replica order, the clock, the pause between attempts and the source of data ids.
 */
final class ClientContext {
  /** How long a replica that failed a read is tried after the others. */
  static final long SUSPECT_MILLIS = 30_000;

  final GfsClientOptions options;
  final RpcClients rpc;
  final MasterClient master;
  final LocationCache locations;
  final LeaseCache leases;
  final ReplicaOrder order;
  final ReplicaHealth health;
  final RetryPolicy retry;
  final InstantSource clock;
  final Sleeper sleeper;
  final LongSupplier dataIds;

  ClientContext(GfsClientOptions options, RpcClients rpc, MasterClient master, ReplicaOrder order,
      InstantSource clock, Sleeper sleeper, LongSupplier dataIds) {
    this.options = options;
    this.rpc = rpc;
    this.master = master;
    this.locations = new LocationCache(options.locationCacheTtlMillis());
    this.leases = new LeaseCache();
    this.order = order;
    // Long enough to cover a read of many pieces, short enough that a restarted server is soon preferred again.
    this.health = new ReplicaHealth(SUSPECT_MILLIS);
    this.retry = options.retryPolicy();
    this.clock = clock;
    this.sleeper = sleeper;
    this.dataIds = dataIds;
  }

  long nowMillis() {
    return clock.millis();
  }

  /** The master's answer for the chunks from firstChunkIndex on, which also refreshes the location cache. */
  ChunkLocations findChunks(String path, long firstChunkIndex) throws IOException {
    long askedAtMillis = nowMillis();
    int count = options.locationPrefetchChunks();
    // A shadow may answer while the active master is unreachable (issue 4): it learns locations from chunkservers and
    // signs READ tokens chunkservers accept, so a reader that never cached this file still reads it [0123].
    ChunkLocations found = master.readCall("find chunks of " + path,
        c -> c.findChunks(path, firstChunkIndex, count));
    locations.put(path, toReplicas(found.getChunks()), askedAtMillis);
    return found;
  }

  /** The replicas of one chunk: cached, or asked of the master (with the following chunks) [0088-0091]. */
  ChunkReplicas locate(String path, long chunkIndex) throws IOException {
    Optional<ChunkReplicas> cached = locations.get(path, chunkIndex, nowMillis());
    if (cached.isPresent()) {
      return cached.get();
    }
    ChunkLocations found = findChunks(path, chunkIndex);
    for (ChunkLocation chunk : found.getChunks()) {
      if (chunk.getChunkIndex() == chunkIndex) {
        return toReplicas(chunk);
      }
    }
    throw new GfsClientException(ErrorCode.OUT_OF_RANGE, "chunk " + chunkIndex + " of " + path
        + " does not exist: the file has " + found.getFile().getChunkCount() + " chunks now");
  }

  /** The lease for a chunk: cached while valid, else granted by the master [0095-0096]. */
  Lease lease(String path, long chunkIndex) throws IOException {
    Optional<Lease> cached = leases.get(path, chunkIndex, nowMillis());
    if (cached.isPresent()) {
      return cached.get();
    }
    Lease lease = acquireLease(path, chunkIndex);
    if (lease.chunkIndex() != chunkIndex) {
      throw new GfsClientException(ErrorCode.INTERNAL, "asked the master for the lease on chunk " + chunkIndex
          + " of " + path + " and got chunk " + lease.chunkIndex());
    }
    leases.put(path, lease);
    return lease;
  }

  /** Asks the master for a lease; chunkIndex -1 means the file's last chunk. Not cached here. */
  Lease acquireLease(String path, long chunkIndex) throws IOException {
    long askedAtMillis = nowMillis();
    ChunkLease granted = master.call("lease on chunk " + chunkIndex + " of " + path,
        c -> c.acquireLease(path, chunkIndex));
    // The lease runs from the master's reply; counting from before the request keeps the client on the safe side.
    return new Lease(granted.getChunkIndex(), granted.getHandle(), granted.getVersion(),
        RpcErrors.fromThrift(granted.getPrimary()), hostPorts(granted.getSecondaries()), granted.getChunkSizeBytes(),
        askedAtMillis + Math.max(0, granted.getLeaseRemainingMillis()), granted.getAccessToken());
  }

  void reportChunkLength(String path, long chunkIndex, long handle, long lengthBytes) throws IOException {
    master.call("report length of chunk " + chunkIndex + " of " + path, c -> {
      c.reportChunkLength(path, chunkIndex, handle, lengthBytes);
      return null;
    });
  }

  /** After a failure that may mean the server is gone: its pooled connections are not reused. */
  void forget(HostPort server) {
    if (server != null) {
      rpc.forget(server);
    }
  }

  static List<ChunkReplicas> toReplicas(List<ChunkLocation> chunks) {
    List<ChunkReplicas> out = new ArrayList<>(chunks.size());
    for (ChunkLocation chunk : chunks) {
      out.add(toReplicas(chunk));
    }
    return out;
  }

  static ChunkReplicas toReplicas(ChunkLocation chunk) {
    return new ChunkReplicas(chunk.getChunkIndex(), chunk.getHandle(), chunk.getVersion(), chunk.getLengthBytes(),
        hostPorts(chunk.getReplicas()), chunk.getAccessToken());
  }

  /** A token as a call argument (null: none; the chunkserver then refuses if it checks tokens). */
  static java.nio.ByteBuffer token(byte[] accessToken) {
    return accessToken == null ? null : java.nio.ByteBuffer.wrap(accessToken);
  }

  static List<HostPort> hostPorts(List<ServerAddress> addresses) {
    List<HostPort> out = new ArrayList<>(addresses == null ? 0 : addresses.size());
    if (addresses != null) {
      for (ServerAddress address : addresses) {
        out.add(RpcErrors.fromThrift(address));
      }
    }
    return out;
  }

  static List<ServerAddress> toThrift(List<HostPort> addresses) {
    List<ServerAddress> out = new ArrayList<>(addresses.size());
    for (HostPort address : addresses) {
      out.add(RpcErrors.toThrift(address));
    }
    return out;
  }
}
