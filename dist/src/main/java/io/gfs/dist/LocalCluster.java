package io.gfs.dist;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code gfs local}: ZooKeeper in this JVM (or an external ensemble with {@code --zk}), two masters (one active, one
 * standby sharing its meta directory: kill the active one and the standby takes over, issue 4), one read-only shadow
 * master and chunkservers, all as separate processes on loopback; data under one directory (found again on the next
 * start), and the client configuration that {@code gfs fs} reads.
 */
public final class LocalCluster {
  private static final String USAGE =
      "usage: gfs local [--dir DIR] [--chunkservers N] [--chunk-size BYTES] [--zk HOST:PORT,...]";
  static final int MASTERS = 2;
  static final int SHADOWS = 1;

  private LocalCluster() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Path dir = Path.of(System.getenv().getOrDefault("GFS_LOCAL_DIR", "local-cluster"));
    int chunkServers = 3;
    long chunkSizeBytes = 64L << 20;
    String zookeeper = "";
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--dir" -> dir = Path.of(value(args, ++i));
          case "--chunkservers" -> chunkServers = Integer.parseInt(value(args, ++i));
          case "--chunk-size" -> chunkSizeBytes = Long.parseLong(value(args, ++i));
          case "--zk" -> zookeeper = value(args, ++i);
          case "-h", "--help" -> {
            System.out.println(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("gfs local: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    }
    dir = dir.toAbsolutePath().normalize();
    PrintStream out = System.out;
    out.println("gfs local cluster: data under " + dir);
    MiniGfsCluster cluster;
    try {
      cluster = MiniGfsCluster.builder(dir)
          .clusterName("local")
          .chunkServers(chunkServers)
          .chunkSizeBytes(chunkSizeBytes)
          .separateProcesses(true)
          .zookeeper(true)
          .zookeeperConnect(zookeeper)
          .masters(MASTERS)
          .shadows(SHADOWS)
          .heartbeatIntervalMillis(1000)
          .chunkServerDeadAfterMillis(10_000)
          .build();
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("gfs local: could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("stopping the local cluster...");
      try {
        cluster.close();
      } finally {
        out.println("stopped.");
        stopped.countDown();
      }
    }, "local-cluster-stop"));
    Path clientConf = writeClientConfiguration(dir.resolve("conf"), cluster.clientSettings());
    out.println("active master " + cluster.masterAddress() + " (+" + (MASTERS - 1) + " standby), shadow "
        + cluster.shadowAddress(0) + ", " + chunkServers + " chunkservers, ZooKeeper "
        + cluster.zookeeperConnectString() + (zookeeper.isEmpty() ? " (embedded)" : " (external)") + "; logs in "
        + dir.resolve("logs"));
    printStatusPages(out, cluster); // issue 8
    out.println("client configuration: " + clientConf + " (./bin/gfs fs reads it)");
    out.println("ready: " + cluster.uri());
    out.flush();
    stopped.await();
  }

  /** Issue 8: where the active master's status pages are (each chunkserver's are linked from there). */
  private static void printStatusPages(PrintStream out, MiniGfsCluster cluster) {
    try {
      io.gfs.thrift.gen.ClusterStatus status = cluster.clusterStatus();
      if (status.isSetHttpAddress()) {
        out.println("status pages: http://" + status.getHttpAddress() + "/ (metrics at /metrics)");
      }
    } catch (IOException e) {
      out.println("status pages: unknown (" + e.getMessage() + ")");
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  static Path writeClientConfiguration(Path confDir, Map<String, String> settings) throws IOException {
    Files.createDirectories(confDir);
    Path file = confDir.resolve("core-site.xml");
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("<?xml version=\"1.0\"?>\n<!-- Written by gfs local at each start. -->\n<configuration>\n");
      for (Map.Entry<String, String> e : settings.entrySet()) {
        w.write("  <property><name>" + e.getKey() + "</name><value>" + e.getValue() + "</value></property>\n");
      }
      w.write("</configuration>\n");
    }
    return file;
  }
}
