package io.gfs.client;

import io.gfs.common.Check;
import io.gfs.common.GfsPaths;
import io.gfs.common.rpc.RpcClients;
import io.gfs.thrift.gen.AdminAction;
import io.gfs.thrift.gen.BalancerStatus;
import io.gfs.thrift.gen.ChunkLocations;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.DecommissionStatus;
import io.gfs.thrift.gen.DirectoryPolicy;
import io.gfs.thrift.gen.FileInfo;
import io.gfs.thrift.gen.ListingPage;
import io.gfs.thrift.gen.SafeModeStatus;
import java.io.IOException;
import java.util.List;

/**
 * The master's operator calls for the admin CLI (issue 8): cluster status, safe mode, balancer, decommission, deleted
 * entries, snapshots, directory policies and located listings for fsck. It finds the active master as {@link GfsClient}
 * does (ZooKeeper alias or a fixed address, with the same retries), and answers with the wire types: an operator tool
 * shows them as they are.
 */
public final class GfsAdmin implements AutoCloseable {
  private final MasterLocator locator;
  private final RpcClients rpc;
  private final MasterClient master;

  private GfsAdmin(MasterLocator locator, RpcClients rpc, MasterClient master) {
    this.locator = locator;
    this.rpc = rpc;
    this.master = master;
  }

  /** Connects lazily to the master of the cluster clusterName (the authority of gfs://CLUSTER/). */
  public static GfsAdmin create(String clusterName, GfsClientOptions options) {
    Check.notNull(options, "options");
    MasterLocator locator = options.masterAddress().isPresent()
        ? new StaticMasterLocator(options.masterAddress().get())
        : new ZooKeeperMasterLocator(options.zookeeperConnect(), options.zookeeperSessionTimeoutMillis(),
            options.zookeeperRoot(), clusterName);
    RpcClients rpc = new RpcClients(options.rpcLimits());
    return new GfsAdmin(locator, rpc, new MasterClient(locator, rpc, options.retryPolicy(), Sleeper.SYSTEM));
  }

  public ClusterStatus clusterStatus() throws IOException {
    return master.call("cluster status", c -> c.getClusterStatus());
  }

  public SafeModeStatus safeMode(AdminAction action) throws IOException {
    return master.call("safe mode " + action, c -> c.safeMode(action));
  }

  public BalancerStatus balancer(AdminAction action) throws IOException {
    return master.call("balancer " + action, c -> c.balancer(action));
  }

  public DecommissionStatus decommission(String server, AdminAction action) throws IOException {
    return master.call("decommission " + action + " " + server, c -> c.decommission(server, action));
  }

  public FileInfo fileInfo(String path) throws IOException {
    String p = GfsPaths.normalize(path);
    return master.call("getFileInfo " + p, c -> c.getFileInfo(p));
  }

  /** One page of a listing, with each file's chunks and their live replicas when withLocations. */
  public ListingPage listPage(String path, String startAfter, int entriesMax, boolean withLocations)
      throws IOException {
    String p = GfsPaths.normalize(path);
    return master.call("list " + p, c -> c.listStatusPage(p, startAfter, entriesMax, withLocations));
  }

  /** The chunks from firstChunkIndex on (at most chunkCountMax) with their live replicas. */
  public ChunkLocations findChunks(String path, long firstChunkIndex, int chunkCountMax) throws IOException {
    String p = GfsPaths.normalize(path);
    return master.call("findChunks " + p, c -> c.findChunks(p, firstChunkIndex, chunkCountMax));
  }

  public List<FileInfo> listDeleted(String directory) throws IOException {
    String p = GfsPaths.normalize(directory);
    return master.call("listDeleted " + p, c -> c.listDeleted(p));
  }

  public boolean undelete(String path) throws IOException {
    String p = GfsPaths.normalize(path);
    return master.call("undelete " + p, c -> c.undelete(p));
  }

  public List<String> listSnapshots(String path) throws IOException {
    String p = GfsPaths.normalize(path);
    return master.call("listSnapshots " + p, c -> c.listSnapshots(p));
  }

  public DirectoryPolicy policy(String path) throws IOException {
    String p = GfsPaths.normalize(path);
    return master.call("getPolicy " + p, c -> c.getPolicy(p));
  }

  /** replication -1 and gcRetentionMillis -1 inherit from the parent (see the IDL's setPolicy). */
  public void setPolicy(String path, int replication, long gcRetentionMillis) throws IOException {
    String p = GfsPaths.normalize(path);
    master.call("setPolicy " + p, c -> {
      c.setPolicy(p, replication, gcRetentionMillis);
      return null;
    });
  }

  @Override
  public void close() {
    try {
      locator.close();
    } finally {
      rpc.close();
    }
  }
}
