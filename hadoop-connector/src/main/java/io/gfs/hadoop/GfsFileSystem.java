package io.gfs.hadoop;

import io.gfs.client.GfsClient;
import io.gfs.client.GfsClientOptions;
import io.gfs.client.GfsContentSummary;
import io.gfs.client.GfsFileChecksum;
import io.gfs.client.GfsFileStatus;
import io.gfs.client.GfsFileWriter;
import io.gfs.client.GfsUsage;
import io.gfs.client.state.ChunkReplicas;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.GfsPaths;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.CompositeCrcFileChecksum;
import org.apache.hadoop.fs.ContentSummary;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileChecksum;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.FsStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.impl.PathCapabilitiesSupport;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.util.DataChecksum;
import org.apache.hadoop.util.Progressable;

/**
 * Hadoop's FileSystem for gfs://CLUSTER/path. A thin adapter: paths are qualified and turned into gfs paths, calls go
 * to one {@link GfsClient}, errors are mapped by {@link GfsErrors}. Semantics follow HDFS where the FileSystem
 * specification leaves a choice (rename returns false for a missing source or an existing file destination and moves a
 * source into an existing directory; delete of a missing path returns false). Listings are paged (one master call per
 * 1000 entries, block locations in the same call for listLocatedStatus); checksums are COMPOSITE-CRC32C composed by the
 * chunkservers; owner, group and permission are stored, not enforced. Beyond Hadoop's API:
 * {@link #recordAppend(Path, byte[])} and {@link #listSnapshots(Path)}. docs/user-guide.md says what each call means.
 */
public class GfsFileSystem extends FileSystem {
  public static final String SCHEME = "gfs";
  /** Path capability: this file system supports atomic record append. */
  public static final String CAPABILITY_RECORD_APPEND = "fs.gfs.capability.record-append";

  /** The read-only directory under which a path's snapshots appear, as on HDFS. */
  public static final String SNAPSHOT_DIRECTORY = ".snapshot";
  /** The FileContext binding's key: Hadoop finds an AbstractFileSystem only through configuration. */
  public static final String ABSTRACT_FILE_SYSTEM_KEY = "fs.AbstractFileSystem.gfs.impl";
  /** Defaults every Configuration sees once this class is loaded: the FileContext binding (as HDFS does its own). */
  public static final String DEFAULT_RESOURCE = "gfs-default.xml";

  static {
    Configuration.addDefaultResource(DEFAULT_RESOURCE);
  }

  private URI uri;
  private GfsClient client;
  private Path workingDirectory;
  private String userName;
  /** The user this file system acts for, as the master sees it (issue 7). */
  private io.gfs.common.security.Caller caller;
  private FileStatuses statuses;
  private volatile long defaultChunkSizeBytes;
  private final UmaskCache umasks = new UmaskCache();

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    setConf(conf);
    String cluster = name.getAuthority();
    if (cluster == null || cluster.isEmpty()) {
      URI fallback = FileSystem.getDefaultUri(conf);
      if (SCHEME.equals(fallback.getScheme()) && fallback.getAuthority() != null) {
        cluster = fallback.getAuthority();
      } else {
        throw new IOException("a gfs URI names its cluster: gfs://CLUSTER/path, not " + name);
      }
    }
    this.uri = URI.create(SCHEME + "://" + cluster);
    UserGroupInformation user = UserGroupInformation.getCurrentUser();
    this.userName = user.getShortUserName();
    // Simple authentication, as HDFS without Kerberos: the master trusts this name and these groups (issue 7).
    this.caller = new io.gfs.common.security.Caller(userName, java.util.Arrays.asList(user.getGroupNames()));
    this.statuses = new FileStatuses(uri, userName);
    try {
      this.client = openClient(cluster, GfsConfiguration.clientOptions(conf));
    } catch (IllegalArgumentException e) {
      throw new IOException("gfs configuration for " + uri + ": " + e.getMessage(), e);
    }
    this.workingDirectory = getHomeDirectory();
  }

  @Override
  public URI getUri() {
    return uri;
  }

  /** No delegation tokens: jobs must not try to fetch any for gfs. */
  @Override
  public String getCanonicalServiceName() {
    return null;
  }

  @Override
  public Path getHomeDirectory() {
    return makeQualified(new Path("/user/" + userName));
  }

  @Override
  public Path getWorkingDirectory() {
    return workingDirectory;
  }

  @Override
  public void setWorkingDirectory(Path directory) {
    this.workingDirectory = makeQualified(directory);
  }

  @Override
  public FSDataInputStream open(Path path, int bufferSize) throws IOException {
    String p = gfsPath(path);
    statistics.incrementReadOps(1);
    try {
      return new FSDataInputStream(new GfsInputStream(client.open(p), statistics));
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OPEN);
    }
  }

  @Override
  public FSDataOutputStream create(Path path, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    return create(path, permission, overwrite, true, replication);
  }

  @Override
  public FSDataOutputStream createNonRecursive(Path path, FsPermission permission, EnumSet<CreateFlag> flags,
      int bufferSize, short replication, long blockSize, Progressable progress) throws IOException {
    return create(path, permission, flags.contains(CreateFlag.OVERWRITE), false, replication);
  }

  private FSDataOutputStream create(Path path, FsPermission permission, boolean overwrite, boolean createParent,
      short replication) throws IOException {
    String p = gfsPath(path);
    // The default replication means "not chosen": fs.gfs.replication or the master's default decides.
    int replicas = replication == getDefaultReplication(path) ? 0 : replication;
    short bits = masked(permission, FsPermission.getFileDefault());
    statistics.incrementWriteOps(1);
    try {
      // As HDFS: the caller owns the file, the group is the parent directory's.
      GfsFileWriter writer = client.create(p, overwrite, createParent, replicas, userName, null, bits);
      return new FSDataOutputStream(new GfsOutputStream(writer), statistics);
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.CREATE);
    }
  }

  @Override
  public FSDataOutputStream append(Path path, int bufferSize, Progressable progress) throws IOException {
    String p = gfsPath(path);
    statistics.incrementWriteOps(1);
    try {
      GfsFileWriter writer = client.append(p);
      return new FSDataOutputStream(new GfsOutputStream(writer), statistics, writer.position());
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OPEN);
    }
  }

  /**
   * Appends one record atomically at an offset gfs chooses [0104-0111] and returns that offset in the file. Many
   * writers may append to one file at once; a record retried after a failure may appear more than once.
   */
  public long recordAppend(Path path, byte[] record) throws IOException {
    String p = gfsPath(path);
    statistics.incrementWriteOps(1);
    try {
      long offset = client.recordAppend(p, record, 0, record.length);
      statistics.incrementBytesWritten(record.length);
      return offset;
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OTHER);
    }
  }

  /** Set once the master answered renameHadoop with UNKNOWN_METHOD (an older master). */
  private volatile boolean masterLacksRenameHadoop;

  @Override
  public boolean rename(Path source, Path destination) throws IOException {
    statistics.incrementWriteOps(1);
    try {
      String s = gfsPath(source);
      String d = gfsPath(destination);
      if (!masterLacksRenameHadoop) {
        try {
          return client.renameHadoop(s, d); // one master call decides HDFS's answers (issue 6)
        } catch (IOException e) {
          if (!GfsClient.unknownMethod(e)) {
            throw e;
          }
          masterLacksRenameHadoop = true; // an older master: apply the rules around its plain rename from now on
        }
      }
      return new Renamer(client).rename(s, d);
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OTHER);
    }
  }

  @Override
  public boolean delete(Path path, boolean recursive) throws IOException {
    String p = gfsPath(path);
    statistics.incrementWriteOps(1);
    try {
      if (p.equals("/")) {
        // The root is never removed (as on HDFS); refusing a non-empty root without recursive still says why.
        if (!recursive && !client.listStatus(p).isEmpty()) {
          throw new PathIsNotEmptyDirectoryException(p);
        }
        return false;
      }
      return client.delete(p, recursive);
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OTHER);
    }
  }

  @Override
  public FileStatus[] listStatus(Path path) throws IOException {
    // Paged like HDFS (1000 entries a call): a huge directory never needs one huge reply. Like HDFS's, a listing of a
    // directory that changes meanwhile may or may not show the entries added or removed during it.
    List<FileStatus> out = new ArrayList<>();
    RemoteIterator<FileStatus> entries = listStatusIterator(path);
    while (entries.hasNext()) {
      out.add(entries.next());
    }
    return out.toArray(new FileStatus[0]);
  }

  /** The listing one page (one master call) at a time. */
  @Override
  public RemoteIterator<FileStatus> listStatusIterator(Path path) throws IOException {
    String p = gfsPath(path);
    statistics.incrementReadOps(1);
    return new PagedListing<FileStatus>(client, p, false, e -> statuses.toFileStatus(e.status(), p)).start();
  }

  /** The listing with every file's block locations, one master call per page (not one per file). */
  @Override
  protected RemoteIterator<LocatedFileStatus> listLocatedStatus(Path path, PathFilter filter)
      throws IOException {
    String p = gfsPath(path);
    statistics.incrementReadOps(1);
    RemoteIterator<LocatedFileStatus> all =
        new PagedListing<LocatedFileStatus>(client, p, true, e -> statuses.toLocated(e.status(), p, e.chunks()))
            .start();
    return filter == null ? all : new FilteredIterator(all, filter);
  }

  @Override
  public boolean mkdirs(Path path, FsPermission permission) throws IOException {
    String p = gfsPath(path);
    statistics.incrementWriteOps(1);
    short bits = masked(permission, FsPermission.getDirDefault());
    try {
      if (client.mkdirs(p, userName, null, bits)) {
        return true;
      }
      if (!statusOf(p).directory()) {
        throw new FileAlreadyExistsException("mkdirs " + p + ": a file exists there");
      }
      return true;
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OTHER);
    }
  }

  @Override
  public FileStatus getFileStatus(Path path) throws IOException {
    String p = gfsPath(path);
    statistics.incrementReadOps(1);
    try {
      return statuses.toFileStatus(statusOf(p), p);
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.LOOKUP);
    }
  }

  @Override
  public void setPermission(Path path, FsPermission permission) throws IOException {
    writeOp(path, p -> client.setPermission(p, permission.toShort()));
  }

  /** Stored, not enforced (enforcement comes with security). A null owner or group leaves it unchanged. */
  @Override
  public void setOwner(Path path, String owner, String group) throws IOException {
    writeOp(path, p -> client.setOwner(p, owner, group));
  }

  /** -1 leaves a time unchanged, as the FileSystem specification says. */
  @Override
  public void setTimes(Path path, long modificationTimeMillis, long accessTimeMillis) throws IOException {
    writeOp(path, p -> client.setTimes(p, modificationTimeMillis, accessTimeMillis));
  }

  /** Records the target replication of a file (false for a directory); re-replication toward it is background work. */
  @Override
  public boolean setReplication(Path path, short replication) throws IOException {
    String p = gfsPath(path);
    statistics.incrementWriteOps(1);
    try {
      return client.setReplication(p, replication);
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OTHER);
    }
  }

  /** Counted by the master in one call. */
  @Override
  public ContentSummary getContentSummary(Path path) throws IOException {
    String p = gfsPath(path);
    statistics.incrementReadOps(1);
    GfsContentSummary summary;
    try {
      summary = client.contentSummary(p);
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.LOOKUP);
    }
    return new ContentSummary.Builder().length(summary.lengthBytes()).fileCount(summary.fileCount())
        .directoryCount(summary.directoryCount()).spaceConsumed(summary.spaceConsumedBytes()).build();
  }

  /** HDFS concat: the sources' chunks move onto target in the master, no data is copied. */
  @Override
  public void concat(Path target, Path[] sources) throws IOException {
    String t = gfsPath(target);
    List<String> s = new ArrayList<>(sources.length);
    for (Path source : sources) {
      s.add(gfsPath(source));
    }
    statistics.incrementWriteOps(1);
    try {
      client.concat(t, s);
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OTHER);
    }
  }

  /**
   * COMPOSITE-CRC32C: the CRC32C of the whole file, composed from the chunkservers' stored block CRCs (no data read).
   * Equal contents give equal checksums whatever the chunk size, and the same value as HDFS's COMPOSITE_CRC mode with
   * CRC32C, so distcp compares gfs and HDFS files without -skipcrccheck.
   */
  @Override
  public FileChecksum getFileChecksum(Path path) throws IOException {
    String p = gfsPath(path);
    statistics.incrementReadOps(1);
    GfsFileChecksum checksum;
    try {
      checksum = client.fileChecksum(p);
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OPEN);
    }
    return new CompositeCrcFileChecksum(checksum.crc32c(), DataChecksum.Type.CRC32C,
        (int) GfsConfigKeys.CHECKSUM_BLOCK_BYTES);
  }

  /** The whole file's checksum when length covers it; null (no checksum, as the specification allows) for a prefix. */
  @Override
  public FileChecksum getFileChecksum(Path path, long length) throws IOException {
    if (length < 0) {
      throw new IllegalArgumentException("checksum length " + length + " < 0");
    }
    if (length == Long.MAX_VALUE || length >= getFileStatus(path).getLen()) {
      return getFileChecksum(path);
    }
    return null;
  }

  /**
   * A read-only snapshot of a directory tree or a file [0113-0116], HDFS style: readable under
   * path/.snapshot/snapshotName (no allowSnapshot step is needed). Returns that path.
   */
  @Override
  public Path createSnapshot(Path path, String snapshotName) throws IOException {
    writeOp(path, p -> client.createSnapshot(p, snapshotName));
    String p = gfsPath(path);
    return makeQualified(new Path(GfsPaths.child(GfsPaths.child(p, SNAPSHOT_DIRECTORY), snapshotName)));
  }

  @Override
  public void renameSnapshot(Path path, String oldName, String newName) throws IOException {
    writeOp(path, p -> client.renameSnapshot(p, oldName, newName));
  }

  @Override
  public void deleteSnapshot(Path path, String snapshotName) throws IOException {
    writeOp(path, p -> client.deleteSnapshot(p, snapshotName));
  }

  /** The snapshot names of a path, in name order (gfs's own call; Hadoop's API has none). */
  public List<String> listSnapshots(Path path) throws IOException {
    String p = gfsPath(path);
    statistics.incrementReadOps(1);
    try {
      return client.listSnapshots(p);
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.LOOKUP);
    }
  }

  /** Capacity and use summed over the live chunkservers (`hadoop fs -df`). */
  @Override
  public FsStatus getStatus(Path path) throws IOException {
    statistics.incrementReadOps(1);
    GfsUsage usage;
    try {
      usage = client.usage();
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OTHER);
    }
    return new FsStatus(usage.capacityBytes(), usage.usedBytes(), usage.remainingBytes());
  }

  /** One location per chunk overlapping [start, start + length): its replicas' hosts, named "host:port". */
  @Override
  public BlockLocation[] getFileBlockLocations(FileStatus file, long start, long length) throws IOException {
    if (file == null) {
      return null;
    }
    if (start < 0 || length < 0) {
      throw new IllegalArgumentException("invalid start " + start + " or length " + length);
    }
    long fileLength = file.getLen();
    if (file.isDirectory() || length == 0 || start >= fileLength) {
      return new BlockLocation[0];
    }
    // A FileStatus built elsewhere may carry no block size; the cluster's chunk size is the same for every file.
    long chunkSize = file.getBlockSize() > 0 ? file.getBlockSize() : getDefaultBlockSize();
    long end = Math.min(fileLength, start + length);
    statistics.incrementReadOps(1);
    List<ChunkReplicas> chunks;
    try {
      chunks = client.chunkLocations(gfsPath(file.getPath()), start / chunkSize, (end - 1) / chunkSize);
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.LOOKUP);
    }
    return BlockLocations.of(chunks, chunkSize, fileLength);
  }

  @Override
  public long getDefaultBlockSize() {
    long known = defaultChunkSizeBytes;
    if (known > 0) {
      return known;
    }
    long size;
    try {
      size = client.getFileStatus("/").chunkSizeBytes();
    } catch (IOException e) {
      size = 0;
    }
    if (size <= 0) {
      size = GfsConfiguration.toGfsConfig(getConf()).getBytes(GfsConfigKeys.Cluster.CHUNK_SIZE_BYTES, 1,
          GfsConfigKeys.CHUNK_SIZE_BYTES_MAX);
    } else {
      defaultChunkSizeBytes = size;
    }
    return size;
  }

  /**
   * What gfs really does: chunk-size blocks, CRC32C per 64 KiB checksum block, 1 MiB data pieces. The trash interval
   * is 0 ("not set by the servers"): Hadoop's trash then follows the client's fs.trash.interval.
   */
  @Override
  @SuppressWarnings("deprecation") // Hadoop still calls the no-argument form through getServerDefaults(Path)
  public FsServerDefaults getServerDefaults() throws IOException {
    return new FsServerDefaults(getDefaultBlockSize(), (int) GfsConfigKeys.CHECKSUM_BLOCK_BYTES,
        GfsConfigKeys.DATA_PIECE_BYTES_MAX, getDefaultReplication(),
        getConf().getInt(CommonConfigurationKeysPublic.IO_FILE_BUFFER_SIZE_KEY,
            CommonConfigurationKeysPublic.IO_FILE_BUFFER_SIZE_DEFAULT),
        false, 0, DataChecksum.Type.CRC32C);
  }

  @Override
  public short getDefaultReplication() {
    int configured = client.options().replication();
    if (configured > 0) {
      return (short) configured;
    }
    return Short.parseShort(GfsConfigKeys.Master.REPLICATION_DEFAULT.defaultValue());
  }

  /**
   * True exactly for what gfs guarantees on every path: append, concat, stored permissions, file checksums,
   * snapshots, record append, and hflush/hsync on its output streams. Symlinks, ACLs, xattrs, path handles,
   * multipart upload and etags are not supported; bulk delete is Hadoop's default one-path-per-page implementation.
   */
  @Override
  public boolean hasPathCapability(Path path, String capability) throws IOException {
    switch (PathCapabilitiesSupport.validatePathCapabilityArgs(makeQualified(path), capability)) {
      case CommonPathCapabilities.FS_APPEND:
      case CommonPathCapabilities.FS_CONCAT:
      case CommonPathCapabilities.FS_PERMISSIONS:
      case CommonPathCapabilities.FS_CHECKSUMS:
      case CommonPathCapabilities.FS_SNAPSHOTS:
      case CAPABILITY_RECORD_APPEND:
      case StreamCapabilities.HFLUSH:
      case StreamCapabilities.HSYNC:
        return true;
      default:
        return super.hasPathCapability(path, capability);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      super.close(); // may delete paths marked deleteOnExit: the client must still be open
    } finally {
      if (client != null) {
        closeClient(client);
      }
    }
  }

  /** The client this file system talks through; its own by default (FileContext's binding shares one per cluster). */
  GfsClient openClient(String cluster, GfsClientOptions options) {
    return GfsClient.create(cluster, options, caller);
  }

  /** Closes what {@link #openClient} opened. */
  void closeClient(GfsClient opened) {
    opened.close();
  }

  @Override
  public String toString() {
    return "GfsFileSystem{" + uri + ", user=" + userName + "}";
  }

  /** The gfs path of a Hadoop path: qualified against the working directory, checked to be this cluster's. */
  String gfsPath(Path path) {
    java.net.URI uri = path.toUri();
    // An absolute path without scheme or authority qualifies to itself: skip building two Paths (URI parsing was a
    // sixth of the benchmark's metadata call on the client, issue 6). Anything else is checked and qualified as before.
    Path qualified = uri.getScheme() == null && uri.getAuthority() == null && uri.getPath().startsWith("/") ? path
        : makeQualified(path);
    try {
      return GfsPaths.normalize(qualified.toUri().getPath());
    } catch (GfsPaths.InvalidPathException e) {
      throw GfsErrors.invalidPath(e);
    }
  }

  private GfsFileStatus statusOf(String p) throws IOException {
    return client.getFileStatus(p);
  }

  /** permission with the configured umask applied; null means the given default (as FileSystem passes it). */
  private short masked(FsPermission permission, FsPermission fallback) {
    FsPermission chosen = permission == null ? fallback : permission;
    return chosen.applyUMask(umasks.umask(getConf())).toShort();
  }

  /** A void write operation on one path: counted as a write, errors mapped in the one place they are. */
  private void writeOp(Path path, PathCall call) throws IOException {
    String p = gfsPath(path);
    statistics.incrementWriteOps(1);
    try {
      call.run(p);
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OTHER);
    }
  }

  @FunctionalInterface
  private interface PathCall {
    void run(String gfsPath) throws IOException;
  }
}
