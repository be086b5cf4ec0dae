package io.gfs.client;

import io.gfs.client.RecordAppender.Appended;
import io.gfs.client.state.ChunkMath;
import io.gfs.client.state.ChunkReplicas;
import io.gfs.client.state.ReplicaOrder;
import io.gfs.common.Check;
import io.gfs.common.GfsPaths;
import io.gfs.common.rpc.RpcClients;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ChunkLocations;
import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.FileInfo;
import io.gfs.thrift.gen.ListingEntry;
import io.gfs.thrift.gen.ListingPage;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The gfs client library: namespace operations on the master, and readers, writers and record appends that talk to
 * the master for metadata and leases and to chunkservers for data. One per FileSystem instance; thread-safe.
 *
 * <p>Paths are absolute gfs paths ("/a/b"); a malformed one raises {@link GfsPaths.InvalidPathException} before any
 * call. Server errors arrive as {@link GfsClientException} carrying the error code, NOT_FOUND as
 * java.io.FileNotFoundException.
 */
public final class GfsClient implements AutoCloseable {
  private final ClientContext context;
  private final MasterLocator locator;
  private final MutationSender sender;
  private final RecordAppender appender;
  private volatile boolean closed;

  private GfsClient(ClientContext context, MasterLocator locator) {
    this.context = context;
    this.locator = locator;
    this.sender = new MutationSender(context);
    this.appender = new RecordAppender(context, sender);
  }

  /** A client for the cluster named clusterName (the authority of gfs://CLUSTER/). Connects lazily. */
  public static GfsClient create(String clusterName, GfsClientOptions options) {
    return create(clusterName, options, InstantSource.system(), Sleeper.SYSTEM);
  }

  /** As {@link #create(String, GfsClientOptions)} with the clock and the pause injected (tests). */
  public static GfsClient create(String clusterName, GfsClientOptions options, InstantSource clock,
      Sleeper sleeper) {
    return create(clusterName, options, clock, sleeper, null);
  }

  /**
   * A client acting for caller (issue 7): every master call carries the caller's user name and groups, and the master
   * checks permissions for them. A null caller sends none (the master acts as its own user).
   */
  public static GfsClient create(String clusterName, GfsClientOptions options, io.gfs.common.security.Caller caller) {
    return create(clusterName, options, InstantSource.system(), Sleeper.SYSTEM, caller);
  }

  /** As {@link #create(String, GfsClientOptions, io.gfs.common.security.Caller)} with the clock and pause injected. */
  public static GfsClient create(String clusterName, GfsClientOptions options, InstantSource clock,
      Sleeper sleeper, io.gfs.common.security.Caller caller) {
    Check.notNull(options, "options");
    MasterLocator locator = options.masterAddress().isPresent()
        ? new StaticMasterLocator(options.masterAddress().get())
        : new ZooKeeperMasterLocator(options.zookeeperConnect(), options.zookeeperSessionTimeoutMillis(),
            options.zookeeperRoot(), clusterName);
    RpcClients rpc = new RpcClients(options.rpcLimits());
    MasterClient master = new MasterClient(locator, rpc, options.retryPolicy(), sleeper, caller);
    ReplicaOrder order = new ReplicaOrder(LocalHosts.find(), new SecureRandom().nextLong());
    LongSupplier dataIds = () -> ThreadLocalRandom.current().nextLong();
    return new GfsClient(new ClientContext(options, rpc, master, order, clock, sleeper, dataIds), locator);
  }

  public GfsClientOptions options() {
    return context.options;
  }

  public GfsFileStatus getFileStatus(String path) throws IOException {
    String p = valid(path);
    return GfsFileStatus.of(context.master.readCall("status of " + p, c -> c.getFileInfo(p)));
  }

  /** The directory's entries; for a file, the file itself. */
  public List<GfsFileStatus> listStatus(String path) throws IOException {
    String p = valid(path);
    List<FileInfo> infos = context.master.readCall("list " + p, c -> c.listStatus(p));
    List<GfsFileStatus> out = new ArrayList<>(infos.size());
    for (FileInfo info : infos) {
      out.add(GfsFileStatus.of(info));
    }
    return out;
  }

  /** Creates the directory and missing parents; true when it exists as a directory afterwards. */
  public boolean mkdirs(String path) throws IOException {
    return mkdirs(path, null, null, GfsFileStatus.PERMISSION_UNKNOWN);
  }

  /**
   * As {@link #mkdirs(String)}, stored with the given owner, group and permission bits (the caller applies its umask);
   * null owner or group take the parent directory's, a negative permission the master's default (0755).
   */
  public boolean mkdirs(String path, String owner, String group, short permission) throws IOException {
    String p = valid(path);
    return context.master.call("mkdirs " + p, c -> c.mkdirs(p, owner, group, permission));
  }

  /** false when nothing was at the path. */
  public boolean delete(String path, boolean recursive) throws IOException {
    String p = valid(path);
    boolean removed = context.master.call("delete " + p, c -> c.remove(p, recursive));
    forgetCaches();
    return removed;
  }

  /** Renames atomically; the destination must not exist and its parent must (the master checks). */
  public void rename(String source, String destination) throws IOException {
    String s = valid(source);
    String d = valid(destination);
    context.master.call("rename " + s + " to " + d, c -> {
      c.rename(s, d);
      return null;
    });
    forgetCaches();
  }

  /**
   * Hadoop's rename in one master call (issue 6): false when HDFS's rules answer false (source missing, destination
   * an existing file or below the source, its parent missing or a file); an existing directory receives the source
   * under its own name. An older master without the call fails with INTERNAL caused by a TApplicationException of
   * type UNKNOWN_METHOD (see {@link #unknownMethod}).
   */
  public boolean renameHadoop(String source, String destination) throws IOException {
    String s = valid(source);
    String d = valid(destination);
    boolean renamed = context.master.call("rename " + s + " to " + d, c -> c.renameHadoop(s, d));
    forgetCaches();
    return renamed;
  }

  /** Whether the master refused a call because it does not know it (an older master). */
  public static boolean unknownMethod(IOException e) {
    return e instanceof GfsClientException && e.getCause() instanceof org.apache.thrift.TApplicationException t
        && t.getType() == org.apache.thrift.TApplicationException.UNKNOWN_METHOD;
  }

  /** One page of the listing of path (a file lists itself), entries after startAfter ("" for the first page). */
  public GfsListingPage listPage(String path, String startAfter, int entriesMax, boolean withLocations)
      throws IOException {
    String p = valid(path);
    Check.argument(entriesMax > 0, "entries max %s <= 0", entriesMax);
    Check.notNull(startAfter, "startAfter");
    ListingPage page = context.master.readCall("list " + p + " after '" + startAfter + "'",
        c -> c.listStatusPage(p, startAfter, entriesMax, withLocations));
    List<GfsListingPage.Entry> entries = new ArrayList<>(page.getEntriesSize());
    for (ListingEntry entry : page.getEntries()) {
      List<ChunkReplicas> chunks = entry.isSetChunks() ? ClientContext.toReplicas(entry.getChunks()) : List.of();
      entries.add(new GfsListingPage.Entry(GfsFileStatus.of(entry.getFile()), chunks));
    }
    return new GfsListingPage(entries, page.isHasMore());
  }

  /** Stores the permission bits (0 to 07777) of a file or directory. */
  public void setPermission(String path, short permission) throws IOException {
    String p = valid(path);
    Check.argument(permission >= 0 && permission <= 07777, "permission %s outside [0, 07777]", permission);
    context.master.call("set permission of " + p, c -> {
      c.setPermission(p, permission);
      return null;
    });
  }

  /** Stores the owner and/or the group; null leaves that one unchanged. */
  public void setOwner(String path, String owner, String group) throws IOException {
    String p = valid(path);
    context.master.call("set owner of " + p, c -> {
      c.setOwner(p, owner, group);
      return null;
    });
  }

  /** Sets the modification and access times; -1 leaves that time unchanged. */
  public void setTimes(String path, long modificationTimeMillis, long accessTimeMillis) throws IOException {
    String p = valid(path);
    context.master.call("set times of " + p, c -> {
      c.setTimes(p, modificationTimeMillis, accessTimeMillis);
      return null;
    });
  }

  /** Records a file's target replication; false for a directory. */
  public boolean setReplication(String path, int replication) throws IOException {
    String p = valid(path);
    return context.master.call("set replication of " + p, c -> c.setReplication(p, replication));
  }

  public GfsContentSummary contentSummary(String path) throws IOException {
    String p = valid(path);
    return GfsContentSummary.of(context.master.readCall("content summary of " + p, c -> c.getContentSummary(p)));
  }

  /** Appends the sources' chunks to target and removes the sources (HDFS concat), in the master only. */
  public void concat(String target, List<String> sources) throws IOException {
    String t = valid(target);
    List<String> s = new ArrayList<>(sources.size());
    for (String source : sources) {
      s.add(valid(source));
    }
    context.master.call("concat " + s + " onto " + t, c -> {
      c.concat(t, s);
      return null;
    });
    forgetCaches();
  }

  /**
   * Takes a read-only snapshot of path [0113-0116], readable afterwards under path/.snapshot/snapshotName; chunks are
   * shared until a write copies them.
   */
  public void createSnapshot(String path, String snapshotName) throws IOException {
    String p = valid(path);
    context.master.call("snapshot " + snapshotName + " of " + p, c -> {
      c.createSnapshot(p, snapshotName);
      return null;
    });
    // Writers must take new leases: the master revoked those on the snapshotted chunks.
    forgetCaches();
  }

  public void deleteSnapshot(String path, String snapshotName) throws IOException {
    String p = valid(path);
    context.master.call("delete snapshot " + snapshotName + " of " + p, c -> {
      c.deleteSnapshot(p, snapshotName);
      return null;
    });
    forgetCaches();
  }

  public void renameSnapshot(String path, String oldName, String newName) throws IOException {
    String p = valid(path);
    context.master.call("rename snapshot " + oldName + " of " + p + " to " + newName, c -> {
      c.renameSnapshot(p, oldName, newName);
      return null;
    });
    forgetCaches();
  }

  /** The snapshot names of path, in name order. */
  public List<String> listSnapshots(String path) throws IOException {
    String p = valid(path);
    return List.copyOf(context.master.call("list snapshots of " + p, c -> c.listSnapshots(p)));
  }

  /** The CRC32C of the whole file, composed from the chunkservers' stored checksums (no data read). */
  public GfsFileChecksum fileChecksum(String path) throws IOException {
    return new FileChecksums(context).of(valid(path));
  }

  /** Capacity and use summed over the live chunkservers. */
  public GfsUsage usage() throws IOException {
    ensureOpen();
    ClusterStatus status = context.master.call("cluster status", c -> c.getClusterStatus());
    long capacity = 0;
    long used = 0;
    for (ChunkServerStatus server : status.getChunkServers()) {
      capacity += server.getCapacityBytes();
      used += server.getUsedBytes();
    }
    return new GfsUsage(capacity, used, status.getChunkServersSize());
  }

  /**
   * Creates a file and returns its writer.
   *
   * @param replication replicas of its chunks; 0 takes fs.gfs.replication, and when that is 0 the master's default
   */
  public GfsFileWriter create(String path, boolean overwrite, boolean createParent, int replication)
      throws IOException {
    return create(path, overwrite, createParent, replication, null, null, GfsFileStatus.PERMISSION_UNKNOWN);
  }

  /**
   * As {@link #create(String, boolean, boolean, int)}, stored with the given owner, group and permission bits (the
   * caller applies its umask); null owner or group take the parent directory's, a negative permission 0644.
   */
  public GfsFileWriter create(String path, boolean overwrite, boolean createParent, int replication, String owner,
      String group, short permission) throws IOException {
    String p = valid(path);
    int replicas = replication > 0 ? replication : context.options.replication();
    FileInfo info = context.master.call("create " + p,
        c -> c.create(p, overwrite, createParent, replicas, owner, group, permission));
    context.leases.dropFile(p);
    context.locations.invalidate(p);
    return new GfsFileWriter(context, p, 0, info.getChunkSizeBytes());
  }

  /** A writer that continues the file at its current length as the master knows it. */
  public GfsFileWriter append(String path) throws IOException {
    GfsFileStatus status = getFileStatus(path);
    if (status.directory()) {
      throw new GfsClientException(ErrorCode.IS_DIRECTORY, "append " + status.path() + ": is a directory");
    }
    return new GfsFileWriter(context, status.path(), status.lengthBytes(), status.chunkSizeBytes());
  }

  /** A reader of the file as long as it is now. */
  public GfsFileReader open(String path) throws IOException {
    String p = valid(path);
    ChunkLocations found = context.findChunks(p, 0);
    FileInfo file = found.getFile();
    if (file.isDirectory()) {
      throw new GfsClientException(ErrorCode.IS_DIRECTORY, "open " + p + ": is a directory");
    }
    return new GfsFileReader(context, p, file.getLengthBytes(), file.getChunkSizeBytes());
  }

  /**
   * Appends one record atomically where the primary chooses [0104-0111]; once it returns, the master's length of the
   * file covers the record: the primary reported it for the record's group (issue 6), or, when it did not (an older
   * chunkserver, or its report failed), this reports it. A record retried after a failure may appear more than once.
   *
   * @return the record's offset in the file
   */
  public long recordAppend(String path, byte[] record, int offset, int length) throws IOException {
    String p = valid(path);
    Appended appended = appender.append(p, record, offset, length);
    if (!appended.lengthReported()) {
      context.reportChunkLength(p, appended.chunkIndex(), appended.handle(),
          appended.offsetInChunk() + appended.lengthBytes());
    }
    return appended.fileOffset();
  }

  /** The chunks of the file from firstChunkIndex to lastChunkIndex (inclusive) that exist, with their replicas. */
  public List<ChunkReplicas> chunkLocations(String path, long firstChunkIndex, long lastChunkIndex)
      throws IOException {
    String p = valid(path);
    Check.argument(firstChunkIndex >= 0 && firstChunkIndex <= lastChunkIndex, "chunk range [%s, %s]",
        firstChunkIndex, lastChunkIndex);
    List<ChunkReplicas> out = new ArrayList<>();
    long next = firstChunkIndex;
    while (next <= lastChunkIndex) {
      long progressed = next;
      for (ChunkLocation chunk : context.findChunks(p, next).getChunks()) {
        if (chunk.getChunkIndex() >= next && chunk.getChunkIndex() <= lastChunkIndex) {
          out.add(ClientContext.toReplicas(chunk));
          progressed = Math.max(progressed, chunk.getChunkIndex() + 1);
        }
      }
      if (progressed == next) {
        break; // no chunk at or after next: the file ends before lastChunkIndex
      }
      next = progressed;
    }
    return out;
  }

  /** The chunk index of a file offset, for callers mapping byte ranges to chunks. */
  public static long chunkIndex(long fileOffset, long chunkSizeBytes) {
    return ChunkMath.chunkIndex(fileOffset, chunkSizeBytes);
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      locator.close();
    } finally {
      context.rpc.close();
    }
  }

  private void forgetCaches() {
    // Deletes and renames of directories move or remove files below them: drop everything, it is cheap to refetch.
    context.locations.invalidateAll();
    context.leases.dropAll();
  }

  private String valid(String path) throws IOException {
    ensureOpen();
    return GfsPaths.normalize(path);
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("gfs client is closed");
    }
  }
}
