package io.gfs.dist;

import io.gfs.chunkserver.server.ChunkServer;
import io.gfs.common.Check;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.master.server.MasterServer;
import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.MasterService;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.thrift.TException;

/**
 * A whole gfs cluster on loopback — ZooKeeper, a master and N chunkservers — for tests and for {@code gfs local}, in
 * the spirit of HDFS's MiniDFSCluster. Servers run in this JVM (fast) or as separate processes (real crashes:
 * SIGKILL, SIGSTOP). Every server keeps its files under the base directory, so a restarted one finds its data again.
 */
public final class MiniGfsCluster implements AutoCloseable {
  private final Builder options;
  private final EmbeddedZooKeeper zookeeper;
  private final RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(10_000));
  private volatile ClusterNode master;
  private volatile HostPort masterAddress;
  private final List<ClusterNode> chunkServers = new ArrayList<>();
  private final List<Integer> chunkServerPorts = new ArrayList<>();

  public static Builder builder(Path baseDir) {
    return new Builder(baseDir);
  }

  private MiniGfsCluster(Builder options) throws IOException {
    this.options = options;
    Files.createDirectories(options.baseDir);
    this.zookeeper = options.zookeeper ? EmbeddedZooKeeper.start(options.baseDir.resolve("zookeeper"), 0) : null;
  }

  private void startAll() throws IOException {
    for (int i = 0; i < options.chunkServers; i++) {
      chunkServerPorts.add(0);
      chunkServers.add(null);
    }
    List<IOException> failures = new ArrayList<>();
    List<Thread> starters = new ArrayList<>();
    // With ZooKeeper the chunkservers find the master through its alias, so everything starts at once; without it
    // they need the master's address first.
    if (zookeeper == null) {
      startMaster(0);
    } else {
      starters.add(starter("start-master", () -> startMaster(0), failures));
    }
    for (int i = 0; i < options.chunkServers; i++) {
      int index = i;
      starters.add(starter("start-cs" + i, () -> startChunkServer(index), failures));
    }
    for (Thread t : starters) {
      join(t);
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    waitForChunkServers(options.chunkServers);
  }

  private interface Start {
    void run() throws IOException;
  }

  private static Thread starter(String name, Start start, List<IOException> failures) {
    Thread t = new Thread(() -> {
      try {
        start.run();
      } catch (IOException | RuntimeException e) {
        synchronized (failures) {
          failures.add(e instanceof IOException io ? io : new IOException(name + ": " + e.getMessage(), e));
        }
      }
    }, name);
    t.start();
    return t;
  }

  private static void join(Thread t) throws IOException {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  // --- configuration ---------------------------------------------------------------------------------------------

  private Map<String, String> commonConfig() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(GfsConfigKeys.Cluster.NAME.name(), options.clusterName);
    c.put(GfsConfigKeys.Cluster.ZOOKEEPER_CONNECT.name(), zookeeper == null ? "" : zookeeper.connectString());
    c.put(GfsConfigKeys.Cluster.CHUNK_SIZE_BYTES.name(), Long.toString(options.chunkSizeBytes));
    c.putAll(options.extraConfig);
    return c;
  }

  private Map<String, String> masterConfig(int port) {
    Map<String, String> c = commonConfig();
    c.put(GfsConfigKeys.Master.HOST.name(), "127.0.0.1");
    c.put(GfsConfigKeys.Master.PORT.name(), Integer.toString(port));
    c.put(GfsConfigKeys.Master.META_DIR.name(), options.baseDir.resolve("master").toString());
    c.put(GfsConfigKeys.Master.LEASE_DURATION_MS.name(), Long.toString(options.leaseDurationMillis));
    c.put(GfsConfigKeys.Master.HEARTBEAT_INTERVAL_MS.name(), Long.toString(options.heartbeatIntervalMillis));
    c.put(GfsConfigKeys.Master.CHUNKSERVER_DEAD_AFTER_MS.name(), Long.toString(options.chunkServerDeadAfterMillis));
    c.putAll(options.masterConfig);
    return c;
  }

  private Map<String, String> chunkServerConfig(int index) {
    Map<String, String> c = commonConfig();
    c.put(GfsConfigKeys.ChunkServer.HOST.name(), "127.0.0.1");
    c.put(GfsConfigKeys.ChunkServer.PORT.name(), Integer.toString(chunkServerPorts.get(index)));
    c.put(GfsConfigKeys.ChunkServer.DATA_DIRS.name(), chunkServerDataDir(index).toString());
    c.put(GfsConfigKeys.ChunkServer.MASTER_ADDRESS.name(), zookeeper == null ? masterAddress.toString() : "");
    c.put(GfsConfigKeys.ChunkServer.RACK.name(), "/rack" + (index % options.racks));
    c.putAll(options.chunkServerConfig);
    return c;
  }

  private Path writeConf(String name, Map<String, String> values) throws IOException {
    Path file = options.baseDir.resolve("conf").resolve(name + ".properties");
    Files.createDirectories(file.getParent());
    Properties p = new Properties();
    p.putAll(values);
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(w, "written by MiniGfsCluster");
    }
    return file;
  }

  // --- servers ---------------------------------------------------------------------------------------------------

  private void startMaster(int port) throws IOException {
    Map<String, String> config = masterConfig(port);
    if (options.separateProcesses) {
      master = ProcessNode.start("master", "io.gfs.master.MasterMain", writeConf("master", config),
          options.baseDir.resolve("logs/master.log"), options.classpath, options.jvmOptions);
    } else {
      MasterServer server = MasterServer.start(GfsConfig.of(config));
      master = new InJvmNode(server::close, server.address());
    }
    masterAddress = master.address();
  }

  private void startChunkServer(int index) throws IOException {
    Map<String, String> config = chunkServerConfig(index);
    ClusterNode node;
    if (options.separateProcesses) {
      node = ProcessNode.start("cs" + index, "io.gfs.chunkserver.ChunkServerMain",
          writeConf("chunkserver" + index, config), options.baseDir.resolve("logs/chunkserver" + index + ".log"),
          options.classpath, options.jvmOptions);
    } else {
      ChunkServer server = ChunkServer.start(GfsConfig.of(config));
      node = new InJvmNode(server::close, server.address());
    }
    synchronized (chunkServers) {
      chunkServers.set(index, node);
      // A restarted chunkserver keeps its port, so the replica addresses clients cached stay meaningful.
      chunkServerPorts.set(index, node.address().port());
    }
  }

  /** Waits until the master lists at least {@code count} live chunkservers. */
  public void waitForChunkServers(int count) throws IOException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    int seen = -1;
    while (System.nanoTime() < deadline) {
      try {
        seen = clusterStatus().getChunkServersSize();
        if (seen >= count) {
          return;
        }
      } catch (IOException notYet) {
        // the master may be restarting
      }
      sleep(50);
    }
    throw new IOException("only " + seen + " of " + count + " chunkservers registered within 60 s");
  }

  public ClusterStatus clusterStatus() throws IOException {
    try {
      return rpc.master(masterAddress, MasterService.Client::getClusterStatus);
    } catch (TException e) {
      throw new IOException("cluster status from " + masterAddress + ": " + e.getMessage(), e);
    }
  }

  public List<ChunkServerStatus> liveChunkServers() throws IOException {
    return clusterStatus().getChunkServers();
  }

  public void killMaster() {
    master.kill();
  }

  public void stopMaster() {
    master.stop();
  }

  /** Starts the master again on the same port, recovering from its log and checkpoints. */
  public void restartMaster() throws IOException {
    if (master.alive()) {
      master.stop();
    }
    startMaster(masterAddress.port());
  }

  public void killChunkServer(int index) {
    chunkServer(index).kill();
  }

  public void stopChunkServer(int index) {
    chunkServer(index).stop();
  }

  public void pauseChunkServer(int index) {
    chunkServer(index).pause();
  }

  public void resumeChunkServer(int index) {
    chunkServer(index).resume();
  }

  public void restartChunkServer(int index) throws IOException {
    ClusterNode node = chunkServer(index);
    if (node.alive()) {
      node.stop();
    }
    startChunkServer(index);
  }

  private ClusterNode chunkServer(int index) {
    Check.argument(index >= 0 && index < chunkServers.size(), "no chunkserver %s", index);
    return chunkServers.get(index);
  }

  // --- what clients need -----------------------------------------------------------------------------------------

  public URI uri() {
    return URI.create("gfs://" + options.clusterName + "/");
  }

  public HostPort masterAddress() {
    return masterAddress;
  }

  public HostPort chunkServerAddress(int index) {
    return chunkServer(index).address();
  }

  public Path chunkServerDataDir(int index) {
    return options.baseDir.resolve("chunkserver" + index);
  }

  public Path baseDir() {
    return options.baseDir;
  }

  public String zookeeperConnectString() {
    return zookeeper == null ? "" : zookeeper.connectString();
  }

  /**
   * Expires the ZooKeeper sessions holding an ephemeral znode under pathPrefix (e.g. the cluster's alias or election
   * node), as a network partition from ZooKeeper longer than the session timeout would; 0 without ZooKeeper.
   */
  public int expireZooKeeperSessionsHolding(String pathPrefix) {
    return zookeeper == null ? 0 : zookeeper.expireSessionsHolding(pathPrefix);
  }

  public long chunkSizeBytes() {
    return options.chunkSizeBytes;
  }

  /** A Hadoop configuration that reaches this cluster: fs.defaultFS and the fs.gfs.* keys. */
  public Configuration clientConfiguration() {
    Configuration conf = new Configuration();
    for (Map.Entry<String, String> e : clientSettings().entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    return conf;
  }

  /** The client settings as plain keys and values (what {@code gfs local} writes to core-site.xml). */
  public Map<String, String> clientSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("fs.defaultFS", uri().toString());
    // FileContext users (Spark checkpoints) find the binding only through this key.
    s.put("fs.AbstractFileSystem.gfs.impl", "io.gfs.hadoop.Gfs");
    if (zookeeper != null) {
      s.put(GfsConfigKeys.Client.ZOOKEEPER_CONNECT.name(), zookeeper.connectString());
    } else {
      s.put(GfsConfigKeys.Client.MASTER_ADDRESS.name(), masterAddress.toString());
    }
    return s;
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (ClusterNode node : chunkServers) {
      first = stopQuietly(node, first);
    }
    first = stopQuietly(master, first);
    rpc.close();
    if (zookeeper != null) {
      zookeeper.close();
    }
    if (first != null) {
      throw first;
    }
  }

  private static RuntimeException stopQuietly(ClusterNode node, RuntimeException first) {
    if (node == null || !node.alive()) {
      return first;
    }
    try {
      node.resume();
    } catch (RuntimeException notPausedOrInJvm) {
      // only paused processes need SIGCONT before SIGTERM
    }
    try {
      node.stop();
    } catch (RuntimeException e) {
      return first == null ? e : first;
    }
    return first;
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Options; build() starts the cluster and returns once every chunkserver has registered. */
  public static final class Builder {
    private final Path baseDir;
    private int chunkServers = 3;
    private int racks = 1;
    private long chunkSizeBytes = 64L << 20;
    private boolean separateProcesses;
    private boolean zookeeper = true;
    private String clusterName = "mini";
    private long leaseDurationMillis = 60_000;
    private long heartbeatIntervalMillis = 500;
    private long chunkServerDeadAfterMillis = 5_000;
    private String classpath = System.getProperty("java.class.path");
    private List<String> jvmOptions = List.of("-Xms32m", "-Xmx384m", "-XX:+UseSerialGC",
        "-XX:+ExitOnOutOfMemoryError", "-Dorg.slf4j.simpleLogger.showDateTime=true");
    private final Map<String, String> extraConfig = new LinkedHashMap<>();
    private final Map<String, String> masterConfig = new LinkedHashMap<>();
    private final Map<String, String> chunkServerConfig = new LinkedHashMap<>();

    private Builder(Path baseDir) {
      this.baseDir = Check.notNull(baseDir, "baseDir").toAbsolutePath();
    }

    public Builder chunkServers(int count) {
      Check.argument(count >= 0 && count <= 64, "chunkserver count %s outside [0, 64]", count);
      this.chunkServers = count;
      return this;
    }

    public Builder racks(int count) {
      Check.argument(count >= 1, "racks %s < 1", count);
      this.racks = count;
      return this;
    }

    public Builder chunkSizeBytes(long bytes) {
      Check.argument(bytes > 0 && bytes % GfsConfigKeys.CHECKSUM_BLOCK_BYTES == 0,
          "chunk size %s must be a positive multiple of 64 KiB", bytes);
      this.chunkSizeBytes = bytes;
      return this;
    }

    public Builder separateProcesses(boolean separate) {
      this.separateProcesses = separate;
      return this;
    }

    public Builder zookeeper(boolean useZooKeeper) {
      this.zookeeper = useZooKeeper;
      return this;
    }

    public Builder clusterName(String name) {
      this.clusterName = name;
      return this;
    }

    public Builder leaseDurationMillis(long millis) {
      this.leaseDurationMillis = millis;
      return this;
    }

    public Builder heartbeatIntervalMillis(long millis) {
      this.heartbeatIntervalMillis = millis;
      return this;
    }

    public Builder chunkServerDeadAfterMillis(long millis) {
      this.chunkServerDeadAfterMillis = millis;
      return this;
    }

    /** The classpath of server processes; by default this JVM's. */
    public Builder classpath(String path) {
      this.classpath = path;
      return this;
    }

    public Builder jvmOptions(List<String> options) {
      this.jvmOptions = List.copyOf(options);
      return this;
    }

    /** A key for every server. */
    public Builder config(String key, String value) {
      extraConfig.put(key, value);
      return this;
    }

    public Builder masterConfig(String key, String value) {
      masterConfig.put(key, value);
      return this;
    }

    public Builder chunkServerConfig(String key, String value) {
      chunkServerConfig.put(key, value);
      return this;
    }

    public MiniGfsCluster build() throws IOException {
      MiniGfsCluster cluster = new MiniGfsCluster(this);
      try {
        cluster.startAll();
        return cluster;
      } catch (IOException | RuntimeException e) {
        try {
          cluster.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }
}
