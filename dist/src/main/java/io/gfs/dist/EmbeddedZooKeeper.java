package io.gfs.dist;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/** A standalone ZooKeeper server inside this JVM, on loopback: the local cluster's and the test cluster's ensemble. */
public final class EmbeddedZooKeeper implements AutoCloseable {
  private static final int TICK_MILLIS = 500;
  private static final int CLIENT_CONNECTIONS_MAX = 200;

  private final ZooKeeperServer server;
  private final ServerCnxnFactory factory;

  private EmbeddedZooKeeper(ZooKeeperServer server, ServerCnxnFactory factory) {
    this.server = server;
    this.factory = factory;
  }

  /** Starts on 127.0.0.1:port (0 picks a free port), keeping its snapshots and log in dataDir. */
  public static EmbeddedZooKeeper start(Path dataDir, int port) throws IOException {
    Files.createDirectories(dataDir);
    // Bounds the total connections (ZooKeeper warns when it is left unset).
    System.setProperty("zookeeper.maxCnxns", Integer.toString(CLIENT_CONNECTIONS_MAX));
    try {
      ZooKeeperServer server = new ZooKeeperServer(dataDir.toFile(), dataDir.toFile(), TICK_MILLIS);
      ServerCnxnFactory factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", port),
          CLIENT_CONNECTIONS_MAX);
      factory.startup(server);
      return new EmbeddedZooKeeper(server, factory);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting ZooKeeper", e);
    }
  }

  /**
   * Expires (as if its client had been silent past the timeout) every session holding an ephemeral znode whose path
   * starts with pathPrefix; the fault-injection suite's "ZooKeeper session expiry". Returns how many it expired.
   */
  public int expireSessionsHolding(String pathPrefix) {
    int expired = 0;
    for (java.util.Map.Entry<Long, java.util.Set<String>> e : server.getZKDatabase().getEphemerals().entrySet()) {
      if (e.getValue().stream().anyMatch(path -> path.startsWith(pathPrefix))) {
        server.expire(e.getKey());
        expired++;
      }
    }
    return expired;
  }

  public String connectString() {
    return "127.0.0.1:" + factory.getLocalPort();
  }

  @Override
  public void close() {
    factory.shutdown();
    server.shutdown();
  }
}
