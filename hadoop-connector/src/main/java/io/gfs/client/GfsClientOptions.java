package io.gfs.client;

import io.gfs.client.state.RetryPolicy;
import io.gfs.common.Check;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys.Client;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcLimits;
import java.util.Optional;

/**
 * Everything the client library is told, read once from {@link Client} keys (fs.gfs.*) and made immutable: the client
 * never sees a Hadoop Configuration.
 *
 * @param masterAddress the master, bypassing ZooKeeper; empty resolves the cluster name through ZooKeeper
 * @param replication replicas of new files' chunks; 0 leaves it to the master
 */
public record GfsClientOptions(
    Optional<HostPort> masterAddress,
    String zookeeperConnect,
    String zookeeperRoot,
    int zookeeperSessionTimeoutMillis,
    int replication,
    int writeBufferBytes,
    long locationCacheTtlMillis,
    int locationPrefetchChunks,
    int retriesMax,
    long retryBackoffMillis,
    RpcLimits rpcLimits) {

  public static final int WRITE_BUFFER_BYTES_MIN = 64 << 10;
  public static final int WRITE_BUFFER_BYTES_MAX = 64 << 20;

  public GfsClientOptions {
    Check.notNull(masterAddress, "masterAddress");
    Check.notNull(zookeeperConnect, "zookeeperConnect");
    Check.notNull(zookeeperRoot, "zookeeperRoot");
    Check.notNull(rpcLimits, "rpcLimits");
    Check.argument(masterAddress.isPresent() || !zookeeperConnect.isBlank(),
        "neither fs.gfs.master.address nor fs.gfs.zookeeper.connect is set: the client cannot find the master");
    Check.argument(replication >= 0 && replication <= 32, "replication %s outside [0, 32]", replication);
    Check.argument(writeBufferBytes >= WRITE_BUFFER_BYTES_MIN && writeBufferBytes <= WRITE_BUFFER_BYTES_MAX,
        "write buffer %s bytes outside [%s, %s]", writeBufferBytes, WRITE_BUFFER_BYTES_MIN, WRITE_BUFFER_BYTES_MAX);
    Check.argument(locationCacheTtlMillis >= 0, "location cache ttl %s ms < 0", locationCacheTtlMillis);
    Check.argument(locationPrefetchChunks >= 1, "prefetch chunks %s < 1", locationPrefetchChunks);
    Check.argument(retriesMax >= 1, "retries max %s < 1", retriesMax);
  }

  public static GfsClientOptions from(GfsConfig config) {
    Optional<HostPort> master = config.isSet(Client.MASTER_ADDRESS)
        ? Optional.of(config.getHostPort(Client.MASTER_ADDRESS))
        : Optional.empty();
    int callTimeoutMillis = (int) config.getMillis(Client.CALL_TIMEOUT_MS, 100, 3_600_000);
    return new GfsClientOptions(
        master,
        config.isSet(Client.ZOOKEEPER_CONNECT) ? config.getString(Client.ZOOKEEPER_CONNECT) : "",
        config.getString(Client.ZOOKEEPER_ROOT),
        (int) config.getMillis(Client.ZOOKEEPER_SESSION_TIMEOUT_MS, 1000, 600_000),
        config.getInt(Client.REPLICATION, 0, 32),
        (int) config.getBytes(Client.WRITE_BUFFER_BYTES, WRITE_BUFFER_BYTES_MIN, WRITE_BUFFER_BYTES_MAX),
        config.getMillis(Client.LOCATION_CACHE_TTL_MS, 0, 3_600_000),
        config.getInt(Client.LOCATION_PREFETCH_CHUNKS, 1, 1024),
        config.getInt(Client.RETRIES_MAX, 1, 100),
        config.getMillis(Client.RETRY_BACKOFF_MS, 0, 60_000),
        RpcLimits.from(config).withCallTimeoutMillis(callTimeoutMillis));
  }

  public RetryPolicy retryPolicy() {
    return new RetryPolicy(retriesMax, retryBackoffMillis);
  }
}
