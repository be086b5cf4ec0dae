package io.gfs.chunkserver.server;

import io.gfs.common.ConfigException;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys.ChunkServer;
import io.gfs.common.GfsConfigKeys.Cluster;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.DiagnosticLog;
import io.gfs.common.rpc.RpcLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A chunkserver's configuration, read and validated once at startup from {@link GfsConfig}.
 *
 * @param masterAddress the master's fixed address, or null to resolve it through ZooKeeper
 * @param capacityBytes bytes offered to the master; 0 means free disk space plus bytes used
 * @param scrubBytesPerSecond the scrubber's read rate; 0 turns the scrubber off [0131]
 * @param scrubIdleMillis how long a chunk stays unmutated before the scrubber verifies it
 * @param scrubPeriodMillis how often each idle chunk is verified (a full pass)
 * @param cloneBytesPerSecond the read rate of a single clone from another chunkserver [0072]
 * @param clonesMax clones from other chunkservers running at once; more get BUSY
 * @param diagnostics how the RPC server keeps its diagnostic log [0132-0134]
 * @param accessTokensEnabled refuse data calls and orders without a valid chunk access token (issue 7)
 * @param advertisedAddress the address told to the master when it differs from the bound one; null: the bound one
 */
public record ChunkServerSettings(
    HostPort bind,
    List<Path> dataDirs,
    HostPort masterAddress,
    String zookeeperConnect,
    String zookeeperRoot,
    String clusterName,
    int zookeeperSessionTimeoutMillis,
    String rack,
    long pushBufferBytesMax,
    long pushBufferTtlMillis,
    long capacityBytes,
    long scrubBytesPerSecond,
    long scrubIdleMillis,
    long scrubPeriodMillis,
    long cloneBytesPerSecond,
    int clonesMax,
    DiagnosticLog.Settings diagnostics,
    RpcLimits rpcLimits,
    boolean accessTokensEnabled,
    HostPort advertisedAddress) {

  public ChunkServerSettings {
    dataDirs = List.copyOf(dataDirs);
    if (dataDirs.isEmpty()) {
      throw new ConfigException("key '" + ChunkServer.DATA_DIRS.name() + "' names no directory");
    }
    if (masterAddress == null && zookeeperConnect.isEmpty()) {
      throw new ConfigException("set '" + ChunkServer.MASTER_ADDRESS.name() + "' or '"
          + Cluster.ZOOKEEPER_CONNECT.name() + "': the chunkserver must find its master");
    }
  }

  /** Reads every chunkserver key; a ConfigException names the bad key. */
  public static ChunkServerSettings from(GfsConfig config) {
    List<Path> dirs = new ArrayList<>();
    for (String dir : config.getList(ChunkServer.DATA_DIRS)) {
      dirs.add(Path.of(dir));
    }
    String host = config.getString(ChunkServer.HOST);
    int port = config.getInt(ChunkServer.PORT, 0, 65535);
    HostPort master = config.isSet(ChunkServer.MASTER_ADDRESS) ? config.getHostPort(ChunkServer.MASTER_ADDRESS)
        : null;
    String zookeeper = config.isSet(Cluster.ZOOKEEPER_CONNECT) ? config.getString(Cluster.ZOOKEEPER_CONNECT) : "";
    return new ChunkServerSettings(
        new HostPort(host, port),
        dirs,
        master,
        zookeeper,
        config.getString(Cluster.ZOOKEEPER_ROOT),
        config.getString(Cluster.NAME),
        config.getInt(Cluster.ZOOKEEPER_SESSION_TIMEOUT_MS, 1000, 600_000),
        config.getString(ChunkServer.RACK),
        config.getBytes(ChunkServer.PUSH_BUFFER_BYTES_MAX, 4L << 20, 64L << 30),
        config.getMillis(ChunkServer.PUSH_BUFFER_TTL_MS, 1000, 3_600_000),
        config.getBytes(ChunkServer.CAPACITY_BYTES, 0, Long.MAX_VALUE),
        config.getBytes(ChunkServer.SCRUB_BYTES_PER_SECOND, 0, 1L << 40),
        config.getMillis(ChunkServer.SCRUB_IDLE_MS, 0, 86_400_000L),
        config.getMillis(ChunkServer.SCRUB_PERIOD_MS, 1000, 31_536_000_000L),
        config.getBytes(ChunkServer.CLONE_BYTES_PER_SECOND, 64L << 10, 1L << 40),
        config.getInt(ChunkServer.CLONES_MAX, 1, 64),
        DiagnosticLog.Settings.from(config),
        RpcLimits.from(config),
        config.getBoolean(Cluster.ACCESS_TOKENS_ENABLED),
        config.isSet(ChunkServer.ADVERTISED_ADDRESS) ? config.getHostPort(ChunkServer.ADVERTISED_ADDRESS) : null);
  }
}
