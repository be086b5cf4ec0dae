package io.gfs.master.web;

import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ClusterStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the status pages are (issue 8): this master's own, and each chunkserver's as its heartbeats announce it, so
 * getClusterStatus (and the master's chunkserver table) can link to them. One entry per chunkserver id ever seen,
 * replaced by its latest heartbeat.
 */
public final class WebAddresses {
  /** Chunkserver ids remembered at most; beyond it (a churn of short-lived test servers) the map starts afresh. */
  static final int SERVERS_MAX = 100_000;

  private final Map<String, String> chunkServers = new ConcurrentHashMap<>();
  private volatile String master;

  /** A heartbeat from {@code serverId}; a null address (pages off, or an older chunkserver) forgets it. */
  public void heartbeat(String serverId, String httpAddress) {
    if (serverId == null) {
      return;
    }
    if (httpAddress == null || httpAddress.isEmpty()) {
      chunkServers.remove(serverId);
      return;
    }
    if (chunkServers.size() >= SERVERS_MAX && !chunkServers.containsKey(serverId)) {
      chunkServers.clear();
    }
    chunkServers.put(serverId, httpAddress);
  }

  /** This master's own pages (null: off). */
  public void master(String httpAddress) {
    master = httpAddress;
  }

  public String master() {
    return master;
  }

  public String chunkServer(String serverId) {
    return chunkServers.get(serverId);
  }

  /** Fills in the http addresses of a getClusterStatus answer. */
  public void decorate(ClusterStatus status) {
    String own = master;
    if (own != null) {
      status.setHttpAddress(own);
    }
    if (status.getChunkServers() != null) {
      for (ChunkServerStatus server : status.getChunkServers()) {
        String address = chunkServers.get(server.getServerId());
        if (address != null) {
          server.setHttpAddress(address);
        }
      }
    }
  }
}
