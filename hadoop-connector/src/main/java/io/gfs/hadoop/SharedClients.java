package io.gfs.hadoop;

import io.gfs.client.GfsClient;
import io.gfs.client.GfsClientOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link GfsClient} per (cluster, options) for the FileContext binding. Hadoop creates an AbstractFileSystem for
 * every FileContext and never closes it, so a client per FileContext would leak its connections (and its ZooKeeper
 * session) each time; shared clients live as long as the JVM, like FileSystem's cache. Thread-safe.
 */
final class SharedClients {
  /** Distinct clients kept at most: a program that keeps changing options must not grow this without bound. */
  static final int CLIENTS_MAX = 64;

  private record Key(String cluster, GfsClientOptions options) {}

  private static final Map<Key, GfsClient> CLIENTS = new HashMap<>();

  private SharedClients() {}

  static synchronized GfsClient get(String cluster, GfsClientOptions options) {
    Key key = new Key(cluster, options);
    GfsClient client = CLIENTS.get(key);
    if (client == null || client.isClosed()) {
      if (client == null && CLIENTS.size() >= CLIENTS_MAX) {
        throw new IllegalStateException("more than " + CLIENTS_MAX + " distinct gfs client configurations in one"
            + " JVM through FileContext; use FileSystem.newInstance (and close it) for one-off options");
      }
      client = GfsClient.create(cluster, options);
      CLIENTS.put(key, client);
    }
    return client;
  }

  static synchronized int size() {
    return CLIENTS.size();
  }
}
