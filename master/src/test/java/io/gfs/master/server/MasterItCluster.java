package io.gfs.master.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.Crc32c;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.MasterService;
import io.gfs.thrift.gen.ServerAddress;
import io.gfs.thrift.gen.WriteRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The master ITs' cluster: a real master on a temporary meta dir with fast heartbeats, short leases and frequent
 * replication scans, real in-JVM chunkservers ({@link RealChunkServers}), and the calls those tests repeat - write a
 * chunk the way a client does (lease, push, write, report the length), read a replica, wait (bounded) until a
 * condition or full replication holds. Closed in the test's @AfterEach.
 */
final class MasterItCluster implements AutoCloseable {
  /** The longest any wait lasts before the test fails. */
  static final long AWAIT_SECONDS = 60;

  private final Path chunkDir;
  private final Map<String, String> values;
  private final RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(30_000));
  private MasterServer master;
  private HostPort masterAddress;
  private RealChunkServers chunkServers;

  private MasterItCluster(Path chunkDir, Map<String, String> values) {
    this.chunkDir = chunkDir;
    this.values = Map.copyOf(values);
  }

  /**
   * A master with chunks of chunkBytes, leases of leaseMillis (chunks a writer holds are not cloned while its
   * primary writes), heartbeats every 100 ms, chunkservers dead after 1 s silent, and the extra keys on top.
   */
  static MasterItCluster start(Path metaDir, Path chunkDir, int chunkBytes, long leaseMillis,
      Map<String, String> extra) throws Exception {
    Map<String, String> values = new HashMap<>();
    values.put(GfsConfigKeys.Master.META_DIR.name(), metaDir.toString());
    values.put(GfsConfigKeys.Master.PORT.name(), "0");
    values.put(GfsConfigKeys.Master.HOST.name(), "127.0.0.1");
    values.put(GfsConfigKeys.Master.HEARTBEAT_INTERVAL_MS.name(), "100");
    values.put(GfsConfigKeys.Master.CHUNKSERVER_DEAD_AFTER_MS.name(), "1000");
    values.put(GfsConfigKeys.Master.LEASE_DURATION_MS.name(), Long.toString(leaseMillis));
    values.put(GfsConfigKeys.Master.REPLICATION_SCAN_INTERVAL_MS.name(), "100");
    values.put(GfsConfigKeys.Cluster.CHUNK_SIZE_BYTES.name(), Integer.toString(chunkBytes));
    values.putAll(extra);
    MasterItCluster cluster = new MasterItCluster(chunkDir, values);
    try {
      cluster.master = MasterServer.start(GfsConfig.of(values));
      cluster.masterAddress = cluster.master.address();
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * Stops the master (if still running) and starts it again on its meta dir and its port, where the chunkservers
   * (configured with that address) find it again.
   */
  void restartMaster() throws Exception {
    master.close();
    rpc.forget(masterAddress);
    Map<String, String> samePort = new HashMap<>(values);
    samePort.put(GfsConfigKeys.Master.PORT.name(), Integer.toString(masterAddress.port()));
    master = MasterServer.start(GfsConfig.of(samePort));
    masterAddress = master.address();
  }

  /** Starts count chunkservers set up by setup (racks, capacity, hosts) and waits until the master lists them. */
  RealChunkServers startChunkServers(int count, UnaryOperator<RealChunkServers> setup) throws Exception {
    if (chunkServers == null) {
      chunkServers = setup.apply(new RealChunkServers(chunkDir, () -> masterAddress));
    } else {
      setup.apply(chunkServers);
    }
    int total = chunkServers.count() + count;
    chunkServers.start(count);
    awaitTrue(() -> status().getChunkServers().size() == total, total + " chunkservers registered");
    return chunkServers;
  }

  RealChunkServers startChunkServers(int count) throws Exception {
    return startChunkServers(count, servers -> servers);
  }

  RealChunkServers chunkServers() {
    return chunkServers;
  }

  MasterServer master() {
    return master;
  }

  HostPort masterAddress() {
    return masterAddress;
  }

  RpcClients rpc() {
    return rpc;
  }

  <R> R call(RpcClients.Call<MasterService.Client, R> call) throws Exception {
    return rpc.master(masterAddress, call);
  }

  ClusterStatus status() throws Exception {
    return call(c -> c.getClusterStatus());
  }

  long underReplicated() throws Exception {
    return status().getUnderReplicatedChunks();
  }

  /** Every chunk at its target and no clone running. */
  void awaitFullyReplicated(String what) throws Exception {
    awaitTrue(() -> {
      ClusterStatus status = status();
      return status.getUnderReplicatedChunks() == 0 && status.getClonesInFlight() == 0;
    }, what);
  }

  /** Chunks the master lists on chunkserver index. */
  int chunksOn(int index) throws Exception {
    HostPort address = chunkServers.get(index).address();
    return (int) status().getChunkServers().stream()
        .filter(s -> RpcErrors.fromThrift(s.getAddress()).equals(address)).findFirst().orElseThrow().getChunkCount();
  }

  /** Chunkservers holding the chunk's file on disk. */
  int diskCopies(long handle) {
    int copies = 0;
    for (int i = 0; i < chunkServers.count(); i++) {
      copies += chunkServers.holdsOnDisk(i, handle) ? 1 : 0;
    }
    return copies;
  }

  /**
   * Writes data at offset of chunk chunkIndex of path as a client does; returns the lease it wrote under. The tests'
   * short leases can run out between the grant and the write on a loaded machine (at load 19 RebalanceIT's 2 s lease
   * did): the primary then refuses with LEASE_EXPIRED before applying anything, and, as a client does, the whole
   * mutation is tried again under a fresh lease with a new data id (bounded by {@link #AWAIT_SECONDS}).
   */
  ChunkLease writeChunk(String path, long chunkIndex, long offset, byte[] data) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
    while (true) {
      ChunkLease lease = call(c -> c.acquireLease(path, chunkIndex));
      try {
        writeUnder(lease, offset, data);
      } catch (GfsException e) {
        if (e.getCode() != ErrorCode.LEASE_EXPIRED || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(20); // the master grants anew once it, too, sees the lease over
        continue;
      }
      call(c -> {
        c.reportChunkLength(path, chunkIndex, lease.getHandle(), offset + data.length);
        return null;
      });
      return lease;
    }
  }

  private void writeUnder(ChunkLease lease, long offset, byte[] data) throws Exception {
    long dataId = new Random().nextLong();
    rpc.chunkServer(RpcErrors.fromThrift(lease.getPrimary()), c -> {
      // The trailing nulls are the access tokens of issue 7, which these chunkservers do not ask for.
      c.pushData(dataId, 0, ByteBuffer.wrap(data), true, data.length, Crc32c.of(data, 0, data.length),
          lease.getSecondaries(), null);
      c.write(new WriteRequest(lease.getHandle(), lease.getVersion(), offset, dataId, data.length,
          lease.getSecondaries(), true));
      return null;
    });
  }

  ChunkLease writeChunk(String path, long chunkIndex, byte[] data) throws Exception {
    return writeChunk(path, chunkIndex, 0, data);
  }

  /** The chunk's bytes as this replica returns them. */
  byte[] read(ServerAddress replica, ChunkLocation location) throws Exception {
    ByteBuffer out = ByteBuffer.allocate((int) location.getLengthBytes());
    while (out.hasRemaining()) {
      int at = out.position();
      out.put(rpc.chunkServer(RpcErrors.fromThrift(replica), c -> c.read(location.getHandle(), location.getVersion(),
          at, Math.min(1 << 20, out.remaining()), null)).getData());
    }
    return out.array();
  }

  /** The chunk's bytes as its first listed replica returns them. */
  byte[] read(ChunkLocation location) throws Exception {
    return read(location.getReplicas().get(0), location);
  }

  @FunctionalInterface
  interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Polls every 20 ms until condition holds; fails the test after {@link #AWAIT_SECONDS}. A BUSY answer counts as "not
   * yet", as gfs's own client retries it: a master that just started answers BUSY to lookups of files whose chunk
   * lengths its chunkservers have not reported yet.
   */
  static void awaitTrue(Condition condition, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
    while (!holdsNow(condition)) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
      Thread.sleep(20);
    }
  }

  private static boolean holdsNow(Condition condition) throws Exception {
    try {
      return condition.holds();
    } catch (GfsException e) {
      if (e.getCode() == ErrorCode.BUSY) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    rpc.close();
    if (chunkServers != null) {
      chunkServers.close();
    }
    if (master != null) {
      master.close();
    }
  }
}
