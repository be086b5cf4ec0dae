package io.gfs.common;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Every configuration key of gfs, with its default and unit. Server keys (gfs.*) are read from the properties file given
 * with --conf; client keys (fs.gfs.*) from the Hadoop Configuration. docs/configuration.md lists the same keys, and a
 * test checks that it does.
 */
public final class GfsConfigKeys {
  private GfsConfigKeys() {}

  /** Bounds that other constants must respect; checked by a unit test. */
  public static final long CHECKSUM_BLOCK_BYTES = 64 * 1024;
  /** The largest piece of chunk data in one RPC (push, read reply) [issue 2: never one 64 MB message]. */
  public static final int DATA_PIECE_BYTES_MAX = 1024 * 1024;
  public static final long CHUNK_SIZE_BYTES_MAX = 1L << 30;

  /** Keys both servers read. */
  public static final class Cluster {
    private Cluster() {}

    public static final ConfigKey NAME = new ConfigKey("gfs.cluster.name", "local",
        "The cluster's canonical name: the authority of gfs://NAME/ paths; letters, digits, '-' and '_'.");
    public static final ConfigKey ACCESS_TOKENS_ENABLED = new ConfigKey("gfs.access.tokens.enabled", "true",
        "Chunk access tokens (issue 7): the master signs an expiring token into every chunk location and lease, and "
            + "chunkservers refuse data and order calls without a valid one; master and chunkservers must agree.");
    public static final ConfigKey ZOOKEEPER_CONNECT = new ConfigKey("gfs.zookeeper.connect", "",
        "ZooKeeper connect string (host:port,...) holding the canonical-name alias; empty runs without ZooKeeper.");
    public static final ConfigKey ZOOKEEPER_ROOT = new ConfigKey("gfs.zookeeper.root", "/gfs",
        "The znode under which all gfs clusters keep their state.");
    public static final ConfigKey ZOOKEEPER_SESSION_TIMEOUT_MS = new ConfigKey("gfs.zookeeper.session.timeout.ms",
        "15000", "ZooKeeper session timeout in milliseconds, 1000 to 600000.");
    public static final ConfigKey ZOOKEEPER_ACL = new ConfigKey("gfs.zookeeper.acl", "open",
        "ACL of the znodes this server creates (issue 4): open (anyone may change them) or creator (only the "
            + "credentials that created a znode may change it, everyone may read it; needs gfs.zookeeper.auth).");
    public static final ConfigKey ZOOKEEPER_AUTH = new ConfigKey("gfs.zookeeper.auth", "",
        "Credentials this server's ZooKeeper session authenticates with, scheme:credentials (e.g. digest:gfs:secret); "
            + "the masters of a cluster share them under gfs.zookeeper.acl=creator. Empty: none.");
    public static final ConfigKey CHUNK_SIZE_BYTES = new ConfigKey("gfs.chunk.size.bytes", "64m",
        "Chunk size in bytes: a multiple of 64 KiB from 1 MiB to 1 GiB; fixed for the life of the cluster.");
    public static final ConfigKey RECORD_SIZE_BYTES_MAX = new ConfigKey("gfs.record.size.bytes.max", "0",
        "Largest record append in bytes, at most a quarter of the chunk size; 0 means a quarter of the chunk size.");
  }

  /** Keys every RPC endpoint reads. */
  public static final class Rpc {
    private Rpc() {}

    public static final ConfigKey FRAME_BYTES_MAX = new ConfigKey("gfs.rpc.frame.bytes.max", "8m",
        "Largest Thrift frame (one request or reply) in bytes, 2 MiB to 256 MiB; larger frames close the connection.");
    public static final ConfigKey STRING_BYTES_MAX = new ConfigKey("gfs.rpc.string.bytes.max", "2m",
        "Largest string or binary field in one message, in bytes, 64 KiB to 256 MiB.");
    public static final ConfigKey CONTAINER_LENGTH_MAX = new ConfigKey("gfs.rpc.container.length.max", "1000000",
        "Most elements in one list, set or map of a message, 1000 to 100000000.");
    public static final ConfigKey WORKER_THREADS = new ConfigKey("gfs.rpc.worker.threads", "32",
        "Threads that run RPC handlers, 1 to 1024.");
    public static final ConfigKey SELECTOR_THREADS = new ConfigKey("gfs.rpc.selector.threads", "2",
        "Threads that read and write sockets, 1 to 64.");
    public static final ConfigKey QUEUE_LENGTH_MAX = new ConfigKey("gfs.rpc.queue.length.max", "1024",
        "Requests waiting for a worker thread before new ones are refused, 1 to 1000000.");
    public static final ConfigKey READ_BUFFER_BYTES_MAX = new ConfigKey("gfs.rpc.read.buffer.bytes.max", "512m",
        "Memory for frames being read, over all connections, in bytes; reading pauses beyond it.");
    public static final ConfigKey IDLE_TIMEOUT_MS = new ConfigKey("gfs.rpc.idle.timeout.ms", "300000",
        "A connection without a request for this many milliseconds is closed, 1000 to 86400000.");
    public static final ConfigKey CALL_TIMEOUT_MS = new ConfigKey("gfs.rpc.call.timeout.ms", "60000",
        "Socket read timeout of an outgoing call in milliseconds, 100 to 3600000.");
    public static final ConfigKey TLS_ENABLED = new ConfigKey("gfs.rpc.tls.enabled", "false",
        "true: every Thrift port and every outgoing call speaks TLS (all servers and clients of a cluster alike).");
    public static final ConfigKey TLS_KEYSTORE_PATH = new ConfigKey("gfs.rpc.tls.keystore.path", "",
        "PKCS12 or JKS key store with this process's private key and certificate; every server needs one.");
    public static final ConfigKey TLS_KEYSTORE_PASSWORD = new ConfigKey("gfs.rpc.tls.keystore.password", "",
        "Password of the key store and of the key in it.");
    public static final ConfigKey TLS_TRUSTSTORE_PATH = new ConfigKey("gfs.rpc.tls.truststore.path", "",
        "Key store with the certificates (or their CA) peers must present; empty uses the JDK's default trust.");
    public static final ConfigKey TLS_TRUSTSTORE_PASSWORD = new ConfigKey("gfs.rpc.tls.truststore.password", "",
        "Password of the trust store.");
    public static final ConfigKey TLS_CLIENT_AUTH = new ConfigKey("gfs.rpc.tls.client.auth", "false",
        "true: servers also require a client certificate the trust store vouches for (mutual TLS).");
  }

  /** Keys of the diagnostic RPC log every server keeps [0132-0134]. */
  public static final class Diagnostic {
    private Diagnostic() {}

    public static final ConfigKey LOG_DIR = new ConfigKey("gfs.diagnostic.log.dir", "",
        "Directory of the rotating log of every RPC request and reply (never file data); empty keeps no file.");
    public static final ConfigKey LOG_BYTES_MAX = new ConfigKey("gfs.diagnostic.log.bytes.max", "64m",
        "Size in bytes at which a diagnostic log file is rotated, 64 KiB to 64 GiB.");
    public static final ConfigKey LOG_FILES_MAX = new ConfigKey("gfs.diagnostic.log.files.max", "10",
        "Diagnostic log files kept per server, the current one included, 1 to 1000; the oldest goes first.");
    public static final ConfigKey RECENT_EVENTS_MAX = new ConfigKey("gfs.diagnostic.recent.events.max", "1000",
        "Latest RPC events each server keeps in memory for on-line monitoring, 0 to 1000000.");
    public static final ConfigKey SAMPLE_INTERVAL_MS = new ConfigKey("gfs.diagnostic.sample.interval.ms", "5000",
        "How often a server samples capacity and throughput for the charts on its status page, in milliseconds, 100 to"
        + " 3600000; the last 720 samples are kept.");
  }

  public static final class Master {
    private Master() {}

    public static final ConfigKey HOST = new ConfigKey("gfs.master.host", "127.0.0.1",
        "Address the master binds to and advertises.");
    public static final ConfigKey PORT = new ConfigKey("gfs.master.port", "7700",
        "TCP port of the master's RPC service, 0 to 65535 (0 picks a free one).");
    public static final ConfigKey HTTP_ADDRESS = new ConfigKey("gfs.master.http.address", "127.0.0.1:0",
        "host:port of the master's status pages and Prometheus /metrics (port 0 picks a free one, printed at start-up);"
        + " empty turns them off.");
    public static final ConfigKey META_DIR = new ConfigKey("gfs.master.meta.dir", null,
        "Directory for the operation log and checkpoints.");
    public static final ConfigKey REPLICATION_DEFAULT = new ConfigKey("gfs.master.replication.default", "3",
        "Replicas of each chunk when the client does not say, 1 to 32.");
    public static final ConfigKey LEASE_DURATION_MS = new ConfigKey("gfs.master.lease.duration.ms", "60000",
        "Length of a primary's lease in milliseconds, 1000 to 3600000 [0093].");
    public static final ConfigKey HEARTBEAT_INTERVAL_MS = new ConfigKey("gfs.master.heartbeat.interval.ms", "1000",
        "How often chunkservers heartbeat, in milliseconds, 100 to 600000.");
    public static final ConfigKey CHUNKSERVER_DEAD_AFTER_MS = new ConfigKey("gfs.master.chunkserver.dead.after.ms",
        "10000", "A chunkserver silent this long, in milliseconds, is taken as down, 500 to 3600000.");
    public static final ConfigKey CHECKPOINT_RECORDS = new ConfigKey("gfs.master.checkpoint.records", "100000",
        "Log records after which a new checkpoint is written, 1 to 1000000000.");
    public static final ConfigKey CHECKPOINTS_KEPT = new ConfigKey("gfs.master.checkpoints.kept", "2",
        "Complete checkpoints (and the log segments after the oldest) kept on disk, 1 to 100.");
    public static final ConfigKey GC_RETENTION_MS = new ConfigKey("gfs.master.gc.retention.ms", "259200000",
        "How long a deleted file stays hidden and undeletable before the namespace scan purges it, in milliseconds, "
            + "0 (purge at once) to 31536000000 [0075].");
    public static final ConfigKey GC_SCAN_INTERVAL_MS = new ConfigKey("gfs.master.gc.scan.interval.ms", "60000",
        "How often the namespace scan looks for deleted files past their retention, in milliseconds, 100 to "
            + "86400000 [0076].");
    public static final ConfigKey ACCESS_TIME_PRECISION_MS = new ConfigKey("gfs.master.access.time.precision.ms",
        "3600000", "A file's access time is updated by reads (findChunks) at most this often, batched in one logged "
            + "record per file, in milliseconds, 0 (reads never update it, as HDFS with precision 0) to 86400000.");
    public static final ConfigKey REPLICATION_CLONES_MAX = new ConfigKey("gfs.master.replication.clones.max", "16",
        "Chunk clones for re-replication running at once across the cluster, 1 to 10000 [0072].");
    public static final ConfigKey REPLICATION_CLONES_PER_SERVER_MAX = new ConfigKey(
        "gfs.master.replication.clones.per.server.max", "2",
        "Clones one chunkserver takes part in at once, as source or as target, 1 to 1000 [0072].");
    public static final ConfigKey REPLICATION_SCAN_INTERVAL_MS = new ConfigKey(
        "gfs.master.replication.scan.interval.ms", "1000",
        "How often the master looks for chunks below their replication target, in milliseconds, 100 to 600000 "
            + "[0069].");
    public static final ConfigKey TOPOLOGY_TABLE = new ConfigKey("gfs.master.topology.table", "",
        "File mapping chunkservers to racks, one host-and-rack pair per line (# comments), like Hadoop's "
            + "net.topology.table.file.name; a host is a name or address, optionally with :port [0066].");
    public static final ConfigKey TOPOLOGY_SCRIPT = new ConfigKey("gfs.master.topology.script", "",
        "Executable the master runs with a chunkserver's host (and host:port) as arguments, printing its rack on the "
            + "first line, like Hadoop's net.topology.script.file.name; tried after the table, once per host (cached). "
            + "Unresolved chunkservers keep the rack they declare (gfs.chunkserver.rack), else /default-rack.");
    public static final ConfigKey HA_ENABLED = new ConfigKey("gfs.master.ha.enabled", "false",
        "With ZooKeeper: several masters of the cluster elect one active master, which alone serves, registers the "
            + "canonical name and opens a new fencing epoch per term; the others wait as standbys (issue 4).");
    public static final ConfigKey LOG_REPLICAS = new ConfigKey("gfs.master.log.replicas", "",
        "Comma-separated host:port of the other masters the active master ships its op log to [0121]; empty: none "
            + "(a standby then needs the meta dir shared with the active master).");
    public static final ConfigKey LOG_ACKS_REQUIRED = new ConfigKey("gfs.master.log.acks.required", "all",
        "Replicas that must have flushed a record before its mutation is acknowledged: all (the seed's rule) or "
            + "majority (of the masters, the active one counted); see docs/operations.md for what each risks.");
    public static final ConfigKey PERMISSIONS_ENABLED = new ConfigKey("gfs.master.permissions.enabled", "true",
        "Check owner, group and mode bits on every namespace operation, as HDFS's dfs.permissions.enabled; false "
            + "stores them without checking.");
    public static final ConfigKey PERMISSIONS_SUPERGROUP = new ConfigKey("gfs.master.permissions.supergroup",
        "supergroup", "Members of this group, like the master's own OS user, pass every permission check (HDFS's "
            + "dfs.permissions.superusergroup).");
    public static final ConfigKey ACCESS_TOKEN_LIFETIME_MS = new ConfigKey("gfs.master.access.token.lifetime.ms",
        "600000", "How long a chunk access token stays valid, in milliseconds, 1000 to 86400000; clients ask again "
            + "after it.");
    public static final ConfigKey ACCESS_KEY_ROTATION_MS = new ConfigKey("gfs.master.access.key.rotation.ms",
        "3600000", "How often the master starts signing tokens with a new key, in milliseconds, 1000 to 604800000; "
            + "old keys stay valid until their tokens expire.");
    public static final ConfigKey RETRY_CACHE_ENTRIES_MAX = new ConfigKey("gfs.master.retry.cache.entries.max",
        "100000", "Most calls the master's retry cache remembers by request id (issue 4), so a retried create, rename "
            + "or delete whose reply was lost gets its original outcome; the oldest are forgotten first.");
    public static final ConfigKey RETRY_CACHE_EXPIRY_MS = new ConfigKey("gfs.master.retry.cache.expiry.ms", "600000",
        "How long the retry cache remembers a call, in milliseconds (HDFS: dfs.namenode.retrycache.expirytime.millis).");
    public static final ConfigKey SHADOW = new ConfigKey("gfs.master.shadow", "false",
        "Run as a shadow master [0123-0124]: tail the active master's op log (not counted for acks), serve read-only "
            + "metadata, answer mutations READ_ONLY_SHADOW, and register under the cluster's shadows znode.");
  }

  public static final class ChunkServer {
    private ChunkServer() {}

    public static final ConfigKey HOST = new ConfigKey("gfs.chunkserver.host", "127.0.0.1",
        "Address the chunkserver binds to and advertises.");
    public static final ConfigKey PORT = new ConfigKey("gfs.chunkserver.port", "7710",
        "TCP port of the chunkserver's RPC service, 0 to 65535 (0 picks a free one).");
    public static final ConfigKey ADVERTISED_ADDRESS = new ConfigKey("gfs.chunkserver.advertised.address", "",
        "host:port the chunkserver tells the master (and, through it, clients and other chunkservers) to reach it at, "
            + "when that is not the address it binds to (NAT, a forwarded port, a proxy; like Kafka's advertised "
            + "listeners); empty advertises gfs.chunkserver.host and the bound port.");
    public static final ConfigKey HTTP_ADDRESS = new ConfigKey("gfs.chunkserver.http.address", "127.0.0.1:0",
        "host:port of the chunkserver's status page and Prometheus /metrics (port 0 picks a free one, printed at"
        + " start-up and sent to the master); empty turns them off.");
    public static final ConfigKey DATA_DIRS = new ConfigKey("gfs.chunkserver.data.dirs", null,
        "Comma-separated directories holding chunk files, one per disk.");
    public static final ConfigKey MASTER_ADDRESS = new ConfigKey("gfs.chunkserver.master.address", "",
        "host:port of the master; empty resolves it through ZooKeeper's canonical-name alias.");
    public static final ConfigKey RACK = new ConfigKey("gfs.chunkserver.rack", "/default-rack",
        "The rack this chunkserver sits in, as a path like /dc1/rack7.");
    public static final ConfigKey PUSH_BUFFER_BYTES_MAX = new ConfigKey("gfs.chunkserver.push.buffer.bytes.max",
        "256m", "Memory for pushed data not yet written, in bytes, 4 MiB to 64 GiB [0098].");
    public static final ConfigKey PUSH_BUFFER_TTL_MS = new ConfigKey("gfs.chunkserver.push.buffer.ttl.ms", "60000",
        "Pushed data unused for this many milliseconds is dropped, 1000 to 3600000.");
    public static final ConfigKey CAPACITY_BYTES = new ConfigKey("gfs.chunkserver.capacity.bytes", "0",
        "Bytes this chunkserver offers; 0 means the free space of its data directories plus what it uses.");
    public static final ConfigKey SCRUB_BYTES_PER_SECOND = new ConfigKey("gfs.chunkserver.scrub.bytes.per.second",
        "32m", "Bytes per second the scrubber reads to verify idle chunks, to 1 TiB; 0 turns it off [0131].");
    public static final ConfigKey SCRUB_IDLE_MS = new ConfigKey("gfs.chunkserver.scrub.idle.ms", "300000",
        "A chunk not mutated for this many milliseconds is idle and may be scrubbed, 0 to 86400000.");
    public static final ConfigKey SCRUB_PERIOD_MS = new ConfigKey("gfs.chunkserver.scrub.period.ms", "604800000",
        "Each idle chunk is verified again this many milliseconds after its last check, 1000 to 31536000000.");
    public static final ConfigKey CLONE_BYTES_PER_SECOND = new ConfigKey("gfs.chunkserver.clone.bytes.per.second",
        "32m", "Bytes per second a single clone pulls from its source chunkserver, 64 KiB to 1 TiB [0072].");
    public static final ConfigKey CLONES_MAX = new ConfigKey("gfs.chunkserver.clones.max", "2",
        "Clones from other chunkservers running at once, 1 to 64; the master's next one gets BUSY [0072].");
  }

  /** Client keys, read from the Hadoop Configuration. */
  public static final class Client {
    private Client() {}

    public static final ConfigKey ZOOKEEPER_CONNECT = new ConfigKey("fs.gfs.zookeeper.connect", "",
        "ZooKeeper connect string used to resolve gfs://CLUSTER/ to the master's address.");
    public static final ConfigKey ZOOKEEPER_ROOT = new ConfigKey("fs.gfs.zookeeper.root", "/gfs",
        "The znode under which gfs clusters register, as gfs.zookeeper.root on the servers.");
    public static final ConfigKey ZOOKEEPER_SESSION_TIMEOUT_MS = new ConfigKey("fs.gfs.zookeeper.session.timeout.ms",
        "15000", "ZooKeeper session timeout of the client's master lookups in milliseconds, 1000 to 600000.");
    public static final ConfigKey MASTER_ADDRESS = new ConfigKey("fs.gfs.master.address", "",
        "host:port of the master, bypassing ZooKeeper; for tests and single-master setups.");
    public static final ConfigKey REPLICATION = new ConfigKey("fs.gfs.replication", "0",
        "Replicas of new files' chunks, 0 to 32; 0 leaves it to the master's default.");
    public static final ConfigKey WRITE_BUFFER_BYTES = new ConfigKey("fs.gfs.write.buffer.bytes", "4m",
        "Bytes an output stream gathers before it pushes them as one mutation, 64 KiB to 64 MiB.");
    public static final ConfigKey LOCATION_CACHE_TTL_MS = new ConfigKey("fs.gfs.location.cache.ttl.ms", "60000",
        "How long, in milliseconds, the client trusts cached chunk locations, 0 to 3600000 [0089].");
    public static final ConfigKey LOCATION_PREFETCH_CHUNKS = new ConfigKey("fs.gfs.location.prefetch.chunks", "16",
        "Chunks whose locations one lookup returns, 1 to 1024 [0091].");
    public static final ConfigKey RETRIES_MAX = new ConfigKey("fs.gfs.retries.max", "8",
        "Attempts at one read, write or record append before the error reaches the caller, 1 to 100.");
    public static final ConfigKey RETRY_BACKOFF_MS = new ConfigKey("fs.gfs.retry.backoff.ms", "100",
        "First pause between attempts in milliseconds, doubling each time, 0 to 60000.");
    public static final ConfigKey CALL_TIMEOUT_MS = new ConfigKey("fs.gfs.rpc.call.timeout.ms", "60000",
        "Socket read timeout of the client's calls in milliseconds, 100 to 3600000.");
  }

  /** Every key declared above, in declaration order. */
  public static List<ConfigKey> all() {
    List<ConfigKey> keys = new ArrayList<>();
    for (Class<?> group : GfsConfigKeys.class.getDeclaredClasses()) {
      for (Field field : group.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigKey.class) {
          try {
            keys.add((ConfigKey) field.get(null));
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    return List.copyOf(keys);
  }

  public static ConfigKey find(String name) {
    for (ConfigKey key : all()) {
      if (key.name().equals(name)) {
        return key;
      }
    }
    return null;
  }
}
