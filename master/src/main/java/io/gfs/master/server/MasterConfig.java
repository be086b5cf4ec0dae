package io.gfs.master.server;

import io.gfs.common.ConfigException;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.GfsConfigKeys.Cluster;
import io.gfs.common.GfsConfigKeys.Master;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.master.state.MasterState;
import java.nio.file.Path;

/**
 * The master's configuration, read and range-checked once at start; racks is the topology mapping the keys name (its
 * table read now, so a bad one stops the start).
 */
record MasterConfig(
    HostPort bind,
    Path metaDir,
    String clusterName,
    String zookeeperConnect,
    String zookeeperRoot,
    int zookeeperSessionTimeoutMillis,
    long chunkSizeBytes,
    int replicationDefault,
    long leaseDurationMillis,
    long heartbeatIntervalMillis,
    long chunkServerDeadAfterMillis,
    long checkpointRecords,
    int checkpointsKept,
    long gcRetentionMillis,
    long gcScanIntervalMillis,
    int replicationClonesMax,
    int replicationClonesPerServerMax,
    long replicationScanIntervalMillis,
    RpcLimits rpcLimits,
    long accessTimePrecisionMillis,
    RackResolver racks) {

  static MasterConfig from(GfsConfig config) {
    long chunkSizeBytes = config.getBytes(Cluster.CHUNK_SIZE_BYTES, 1L << 20, GfsConfigKeys.CHUNK_SIZE_BYTES_MAX);
    if (chunkSizeBytes % GfsConfigKeys.CHECKSUM_BLOCK_BYTES != 0) {
      throw new ConfigException("key '" + Cluster.CHUNK_SIZE_BYTES.name() + "': " + chunkSizeBytes
          + " is not a multiple of " + GfsConfigKeys.CHECKSUM_BLOCK_BYTES);
    }
    String cluster = config.getString(Cluster.NAME);
    if (!cluster.matches("[A-Za-z0-9_-]+")) {
      throw new ConfigException("key '" + Cluster.NAME.name() + "': '" + cluster + "' has characters other than "
          + "letters, digits, '-' and '_'");
    }
    String host = config.getString(Master.HOST);
    int port = config.getInt(Master.PORT, 0, 65535);
    long heartbeatIntervalMillis = config.getMillis(Master.HEARTBEAT_INTERVAL_MS, 100, 600_000);
    long deadAfterMillis = config.getMillis(Master.CHUNKSERVER_DEAD_AFTER_MS, 500, 3_600_000);
    if (deadAfterMillis <= heartbeatIntervalMillis) {
      throw new ConfigException("key '" + Master.CHUNKSERVER_DEAD_AFTER_MS.name() + "' (" + deadAfterMillis
          + ") must exceed '" + Master.HEARTBEAT_INTERVAL_MS.name() + "' (" + heartbeatIntervalMillis + ")");
    }
    return new MasterConfig(
        new HostPort(host, port),
        Path.of(config.getString(Master.META_DIR)),
        cluster,
        config.isSet(Cluster.ZOOKEEPER_CONNECT) ? config.getString(Cluster.ZOOKEEPER_CONNECT) : "",
        config.getString(Cluster.ZOOKEEPER_ROOT),
        config.getInt(Cluster.ZOOKEEPER_SESSION_TIMEOUT_MS, 1000, 600_000),
        chunkSizeBytes,
        config.getInt(Master.REPLICATION_DEFAULT, 1, MasterState.REPLICATION_MAX),
        config.getMillis(Master.LEASE_DURATION_MS, 1000, 3_600_000),
        heartbeatIntervalMillis,
        deadAfterMillis,
        config.getLong(Master.CHECKPOINT_RECORDS, 1, 1_000_000_000),
        config.getInt(Master.CHECKPOINTS_KEPT, 1, 100),
        config.getMillis(Master.GC_RETENTION_MS, 0, 31_536_000_000L),
        config.getMillis(Master.GC_SCAN_INTERVAL_MS, 100, 86_400_000),
        config.getInt(Master.REPLICATION_CLONES_MAX, 1, 10_000),
        config.getInt(Master.REPLICATION_CLONES_PER_SERVER_MAX, 1, 1000),
        config.getMillis(Master.REPLICATION_SCAN_INTERVAL_MS, 100, 600_000),
        RpcLimits.from(config),
        config.getMillis(Master.ACCESS_TIME_PRECISION_MS, 0, 86_400_000),
        RackResolver.from(config.getString(Master.TOPOLOGY_TABLE), config.getString(Master.TOPOLOGY_SCRIPT)));
  }

  MasterState.Settings stateSettings() {
    return new MasterState.Settings(chunkSizeBytes, leaseDurationMillis, chunkServerDeadAfterMillis,
        replicationDefault, gcRetentionMillis);
  }
}
