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
import io.gfs.zk.CanonicalName;
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
import org.apache.curator.framework.CuratorFramework;
import org.apache.hadoop.conf.Configuration;
import org.apache.thrift.TException;

/**
 * A whole gfs cluster on loopback — ZooKeeper, a master and N chunkservers — for tests and for {@code gfs local}, in
 * the spirit of HDFS's MiniDFSCluster. Servers run in this JVM (fast) or as separate processes (real crashes:
 * SIGKILL, SIGSTOP). Every server keeps its files under the base directory, so a restarted one finds its data again.
 *
 * <p>High availability (issue 4): {@link Builder#masters(int)} starts several masters of the cluster sharing one meta
 * directory (one elected active, the others standbys that take over when it dies) and {@link Builder#shadows(int)}
 * read-only shadow masters that tail the active master's log; both need ZooKeeper. The defaults stay one master and no
 * shadow, without election.
 */
public final class MiniGfsCluster implements AutoCloseable {
  private final Builder options;
  private final EmbeddedZooKeeper zookeeper;
  /** The embedded ensemble's or the external one's ({@link Builder#zookeeperConnect}); empty without ZooKeeper. */
  private final String zookeeperConnect;
  /** The cluster's own calls (status, waits), with the servers' transport: TLS when gfs.rpc.tls.enabled is set. */
  private final RpcClients rpc;
  private volatile ClusterNode master;
  private volatile HostPort masterAddress;
  /** Master i (HA: index 0 starts first and leads at first); a standby's address is null until it is elected. */
  private final List<ClusterNode> masters = new ArrayList<>();
  private final List<ClusterNode> shadows = new ArrayList<>();
  /** Resolves the alias when several masters (or shadows) run; created on first use. */
  private CuratorFramework aliasClient;
  private final List<ClusterNode> chunkServers = new ArrayList<>();
  private final List<Integer> chunkServerPorts = new ArrayList<>();

  public static Builder builder(Path baseDir) {
    return new Builder(baseDir);
  }

  private MiniGfsCluster(Builder options) throws IOException {
    this.options = options;
    this.rpc = new RpcClients(RpcLimits.from(GfsConfig.of(options.extraConfig)).withCallTimeoutMillis(10_000));
    Files.createDirectories(options.baseDir);
    this.zookeeper = options.zookeeper && options.zookeeperConnect.isEmpty()
        ? EmbeddedZooKeeper.start(options.baseDir.resolve("zookeeper"), 0) : null;
    this.zookeeperConnect = !options.zookeeper ? ""
        : options.zookeeperConnect.isEmpty() ? zookeeper.connectString() : options.zookeeperConnect;
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
    if (zookeeperConnect.isEmpty()) {
      startMaster(0);
    } else {
      starters.add(starter("start-master", this::startMasters, failures));
      // Shadows need only ZooKeeper and their own meta dir: they start beside the masters (the active master
      // catches them up from its segments once it lists them).
      for (int i = 0; i < options.shadows; i++) {
        int index = i;
        shadows.add(null);
        starters.add(starter("start-shadow" + i, () -> startShadow(index), failures));
      }
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

  /** Master 0 first (so it leads), then the standbys, not waited for: they serve once elected. */
  private void startMasters() throws IOException {
    startMaster(0);
    for (int i = 1; i < options.masters; i++) {
      ProcessNode standby = launchMaster(i);
      synchronized (masters) {
        masters.add(standby);
      }
    }
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
    c.put(GfsConfigKeys.Cluster.ZOOKEEPER_CONNECT.name(), zookeeperConnect);
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
    if (ha()) {
      // Issue 4: the masters elect one active; a short session makes a takeover take seconds, not the default 15 s.
      c.put(GfsConfigKeys.Master.HA_ENABLED.name(), "true");
      c.put(GfsConfigKeys.Cluster.ZOOKEEPER_SESSION_TIMEOUT_MS.name(),
          Long.toString(options.masterSessionTimeoutMillis));
    }
    c.putAll(options.masterConfig);
    return c;
  }

  /** Election on: several masters, or shadows (only an elected master feeds shadows its log). */
  private boolean ha() {
    return !zookeeperConnect.isEmpty() && (options.masters > 1 || options.shadows > 0);
  }

  private Map<String, String> chunkServerConfig(int index) {
    Map<String, String> c = commonConfig();
    c.put(GfsConfigKeys.ChunkServer.HOST.name(), "127.0.0.1");
    c.put(GfsConfigKeys.ChunkServer.PORT.name(), Integer.toString(chunkServerPorts.get(index)));
    c.put(GfsConfigKeys.ChunkServer.DATA_DIRS.name(), chunkServerDataDir(index).toString());
    c.put(GfsConfigKeys.ChunkServer.MASTER_ADDRESS.name(), zookeeperConnect.isEmpty() ? masterAddress.toString() : "");
    c.put(GfsConfigKeys.ChunkServer.RACK.name(), "/rack" + (index % options.racks));
    c.putAll(options.chunkServerConfig);
    c.putAll(options.oneChunkServerConfig.getOrDefault(index, Map.of()));
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
    synchronized (masters) {
      if (masters.isEmpty()) {
        masters.add(master);
      } else {
        masters.set(0, master);
      }
    }
  }

  /** HA: master i as a process that waits as a standby until elected (same meta dir, its own port). */
  private ProcessNode launchMaster(int index) throws IOException {
    return ProcessNode.launch("master" + index, "io.gfs.master.MasterMain",
        writeConf("master" + index, masterConfig(0)), options.baseDir.resolve("logs/master" + index + ".log"),
        options.classpath, options.jvmOptions);
  }

  /** Shadow i [0123]: its own meta dir, filled from the active master's log stream. */
  private void startShadow(int index) throws IOException {
    Map<String, String> config = masterConfig(0);
    config.put(GfsConfigKeys.Master.SHADOW.name(), "true");
    config.put(GfsConfigKeys.Master.META_DIR.name(), options.baseDir.resolve("shadow" + index).toString());
    ClusterNode node;
    if (options.separateProcesses) {
      node = ProcessNode.start("shadow" + index, "io.gfs.master.MasterMain", writeConf("shadow" + index, config),
          options.baseDir.resolve("logs/shadow" + index + ".log"), options.classpath, options.jvmOptions);
    } else {
      MasterServer server = MasterServer.start(GfsConfig.of(config));
      node = new InJvmNode(server::close, server.address());
    }
    synchronized (shadows) {
      shadows.set(index, node);
    }
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
    HostPort active = masterAddress();
    try {
      return rpc.master(active, MasterService.Client::getClusterStatus);
    } catch (TException e) {
      throw new IOException("cluster status from " + active + ": " + e.getMessage(), e);
    }
  }

  public List<ChunkServerStatus> liveChunkServers() throws IOException {
    return clusterStatus().getChunkServers();
  }

  /** SIGKILL of the active master (with several masters a standby then takes over). */
  public void killMaster() {
    killMaster(activeMaster());
  }

  public void stopMaster() {
    stopMaster(activeMaster());
  }

  private int activeMaster() {
    try {
      return activeMasterIndex();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Starts the master again, recovering from its log and checkpoints: the one master on its old port; with several,
   * every master that is down, as standbys (waits until one of them leads if none does).
   */
  public void restartMaster() throws IOException {
    if (options.masters == 1) {
      if (master.alive()) {
        master.stop();
      }
      startMaster(masterAddress.port());
      return;
    }
    for (int i = 0; i < masterCount(); i++) {
      if (!masterNode(i).alive()) {
        restartMaster(i);
      }
    }
    masterAddress();
  }

  // --- several masters and shadows (issue 4) --------------------------------------------------------------------

  public int masterCount() {
    synchronized (masters) {
      return masters.size();
    }
  }

  /** Index of the active master: the one whose address the cluster's alias names (waits up to 60 s for one). */
  public int activeMasterIndex() throws IOException {
    if (!ha()) {
      return 0;
    }
    HostPort active = masterAddress();
    for (int i = 0; i < masterCount(); i++) {
      if (active.equals(masterNode(i).address())) {
        return i;
      }
    }
    throw new IOException("the alias names " + active + ", which is none of this cluster's masters");
  }

  public void killMaster(int index) {
    masterNode(index).kill();
  }

  public void stopMaster(int index) {
    masterNode(index).stop();
  }

  /** SIGSTOP of master i (processes only); {@link #resumeMaster} sends SIGCONT. */
  public void pauseMaster(int index) {
    masterNode(index).pause();
  }

  public void resumeMaster(int index) {
    masterNode(index).resume();
  }

  /** Master i again (stopped first if running), as a standby: it serves once elected. Processes only. */
  public void restartMaster(int index) throws IOException {
    Check.argument(options.masters > 1, "restartMaster(index) needs masters(n > 1); use restartMaster()");
    ClusterNode node = masterNode(index);
    if (node.alive()) {
      node.stop();
    }
    ProcessNode relaunched = launchMaster(index);
    synchronized (masters) {
      masters.set(index, relaunched);
    }
  }

  private ClusterNode masterNode(int index) {
    synchronized (masters) {
      Check.argument(index >= 0 && index < masters.size(), "no master %s", index);
      return masters.get(index);
    }
  }

  public int shadowCount() {
    synchronized (shadows) {
      return shadows.size();
    }
  }

  public HostPort shadowAddress(int index) {
    return shadowNode(index).address();
  }

  public void killShadow(int index) {
    shadowNode(index).kill();
  }

  /** Shadow i again on its meta dir (stopped first if running); the active master catches it up. */
  public void restartShadow(int index) throws IOException {
    ClusterNode node = shadowNode(index);
    if (node.alive()) {
      node.stop();
    }
    startShadow(index);
  }

  private ClusterNode shadowNode(int index) {
    synchronized (shadows) {
      Check.argument(index >= 0 && index < shadows.size(), "no shadow %s", index);
      return shadows.get(index);
    }
  }

  /** The address the alias names, once a live master of this cluster serves there (bounded wait, 60 s). */
  private HostPort awaitActiveMaster() throws IOException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    String last = "no alias yet";
    while (System.nanoTime() < deadline) {
      try {
        HostPort alias = CanonicalName.resolve(aliasClient(), options.zookeeperRoot(), options.clusterName);
        // After a crash the dead master's ephemeral alias stays until its session expires: wait for a live one.
        for (int i = 0; i < masterCount(); i++) {
          ClusterNode node = masterNode(i);
          if (node.alive() && alias.equals(node.address())) {
            return alias;
          }
        }
        last = "alias names " + alias + ", not a live master";
      } catch (IOException noAlias) {
        last = noAlias.getMessage();
      }
      sleep(20);
    }
    throw new IOException("no live active master within 60 s: " + last);
  }

  private synchronized CuratorFramework aliasClient() throws IOException {
    if (aliasClient == null) {
      aliasClient = CanonicalName.connect(zookeeperConnect, 15_000);
    }
    return aliasClient;
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

  /**
   * The active master's address; with several masters it follows the alias (waits for a live one, 60 s at most;
   * UncheckedIOException if none).
   */
  public HostPort masterAddress() {
    if (!ha() || options.masters == 1) {
      return masterAddress;
    }
    try {
      return awaitActiveMaster();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
    return zookeeperConnect;
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
    if (!zookeeperConnect.isEmpty()) {
      s.put(GfsConfigKeys.Client.ZOOKEEPER_CONNECT.name(), zookeeperConnect);
    } else {
      s.put(GfsConfigKeys.Client.MASTER_ADDRESS.name(), masterAddress.toString());
    }
    // Clients speak the servers' transport: TLS settings given with config(key, value) go to them too.
    options.extraConfig.forEach((key, value) -> {
      if (key.startsWith("gfs.rpc.tls.")) {
        s.put(key, value);
      }
    });
    return s;
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (ClusterNode node : chunkServers) {
      first = stopQuietly(node, first);
    }
    for (ClusterNode shadow : shadows) {
      first = stopQuietly(shadow, first);
    }
    // Standbys first: stopping the active master first would only make one of them take over.
    List<ClusterNode> allMasters;
    synchronized (masters) {
      allMasters = new ArrayList<>(masters);
    }
    for (ClusterNode m : allMasters) {
      if (m != master) {
        first = stopQuietly(m, first);
      }
    }
    first = stopQuietly(master, first);
    synchronized (this) {
      if (aliasClient != null) {
        aliasClient.close();
      }
    }
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
    private String zookeeperConnect = "";
    private int masters = 1;
    private int shadows;
    private long masterSessionTimeoutMillis = 3_000;
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
    private final Map<Integer, Map<String, String>> oneChunkServerConfig = new LinkedHashMap<>();

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

    /**
     * Several masters of the cluster (issue 4) sharing one meta directory: the first leads, the others wait as
     * standbys and take over when it dies. Needs ZooKeeper and separate processes; 1 (the default) runs no election.
     */
    public Builder masters(int count) {
      Check.argument(count >= 1 && count <= 5, "master count %s outside [1, 5]", count);
      this.masters = count;
      return this;
    }

    /** Read-only shadow masters [0123] tailing the active master's log; needs ZooKeeper. Default 0. */
    public Builder shadows(int count) {
      Check.argument(count >= 0 && count <= 5, "shadow count %s outside [0, 5]", count);
      this.shadows = count;
      return this;
    }

    /** An external ZooKeeper ensemble (host:port,...) instead of the embedded one. */
    public Builder zookeeperConnect(String connectString) {
      this.zookeeperConnect = Check.notNull(connectString, "connectString").trim();
      return this;
    }

    /** The masters' ZooKeeper session timeout when they elect (several masters or shadows); default 3000 ms. */
    public Builder masterSessionTimeoutMillis(long millis) {
      Check.argument(millis >= 1000, "session timeout %s ms < 1000", millis);
      this.masterSessionTimeoutMillis = millis;
      return this;
    }

    String zookeeperRoot() {
      String root = masterConfig.getOrDefault(GfsConfigKeys.Cluster.ZOOKEEPER_ROOT.name(),
          extraConfig.get(GfsConfigKeys.Cluster.ZOOKEEPER_ROOT.name()));
      return root == null ? GfsConfigKeys.Cluster.ZOOKEEPER_ROOT.defaultValue() : root;
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

    /** A key for chunkserver {@code index} only (e.g. the advertised address of a proxy in front of it). */
    public Builder chunkServerConfig(int index, String key, String value) {
      oneChunkServerConfig.computeIfAbsent(index, i -> new LinkedHashMap<>()).put(key, value);
      return this;
    }

    public MiniGfsCluster build() throws IOException {
      Check.argument(zookeeper || (masters == 1 && shadows == 0), "several masters or shadows need ZooKeeper");
      Check.argument(separateProcesses || masters == 1,
          "several masters need separateProcesses(true): a standby blocks until elected, a real crash needs SIGKILL");
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
