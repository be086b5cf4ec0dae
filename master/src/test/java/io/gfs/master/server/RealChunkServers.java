package io.gfs.master.server;

import io.gfs.chunkserver.server.ChunkServer;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Real chunkservers (io.gfs.chunkserver.server.ChunkServer) for the master's integration tests, each on its own data
 * directory and a free port, heartbeating to the master's address. Faults are real: {@link #stop} closes a server,
 * {@link #restart} starts it again on the same data directory (same server id, its chunks still on disk).
 */
final class RealChunkServers implements AutoCloseable {
  private final Path baseDir;
  private final Supplier<HostPort> master;
  private final List<ChunkServer> servers = new ArrayList<>();
  private long capacityBytes = 1L << 40;
  private final Map<Integer, String> racks = new java.util.HashMap<>();
  private final Map<Integer, String> hosts = new java.util.HashMap<>();

  RealChunkServers(Path baseDir, Supplier<HostPort> master) {
    this.baseDir = baseDir;
    this.master = master;
  }

  /** The capacity the servers started from now on report (utilisation = used / capacity); returns this. */
  RealChunkServers capacityBytes(long bytes) {
    this.capacityBytes = bytes;
    return this;
  }

  /** The rack server index reports (gfs.chunkserver.rack) when it next starts; returns this. */
  RealChunkServers rack(int index, String rack) {
    racks.put(index, rack);
    return this;
  }

  /**
   * The loopback address server index binds to and advertises (127.0.0.1 unless set, any 127.x.y.z works on Linux),
   * so a topology table can tell servers apart by host; returns this.
   */
  RealChunkServers host(int index, String host) {
    hosts.put(index, host);
    return this;
  }

  /** Starts count more chunkservers; returns this. */
  RealChunkServers start(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      servers.add(null);
      restart(servers.size() - 1);
    }
    return this;
  }

  ChunkServer get(int index) {
    ChunkServer server = servers.get(index);
    if (server == null) {
      throw new IllegalStateException("chunkserver " + index + " is stopped");
    }
    return server;
  }

  int count() {
    return servers.size();
  }

  /** The index of the running server at this address, or -1. */
  int indexOf(HostPort address) {
    for (int i = 0; i < servers.size(); i++) {
      if (servers.get(i) != null && servers.get(i).address().equals(address)) {
        return i;
      }
    }
    return -1;
  }

  Path dataDir(int index) {
    return baseDir.resolve("cs" + index);
  }

  /** Whether the chunk's data file is on this server's disk. */
  boolean holdsOnDisk(int index, long handle) {
    return Files.exists(dataDir(index).resolve(handle + ".chunk"));
  }

  /** Really stops the server: its RPC port closes and its heartbeats end. */
  void stop(int index) {
    ChunkServer server = servers.set(index, null);
    if (server != null) {
      server.close();
    }
  }

  /** Starts the server (again) on its data directory; a new port, the same server id. */
  ChunkServer restart(int index) throws IOException {
    stop(index);
    Files.createDirectories(dataDir(index));
    Map<String, String> values = new java.util.HashMap<>(Map.of(
        GfsConfigKeys.ChunkServer.DATA_DIRS.name(), dataDir(index).toString(),
        GfsConfigKeys.ChunkServer.HOST.name(), hosts.getOrDefault(index, "127.0.0.1"),
        GfsConfigKeys.ChunkServer.PORT.name(), "0",
        GfsConfigKeys.ChunkServer.MASTER_ADDRESS.name(), master.get().toString(),
        GfsConfigKeys.ChunkServer.CAPACITY_BYTES.name(), Long.toString(capacityBytes),
        // These tests call chunkservers directly, as the client library would, without its access tokens (issue 7).
        GfsConfigKeys.Cluster.ACCESS_TOKENS_ENABLED.name(), "false"));
    if (racks.containsKey(index)) {
      values.put(GfsConfigKeys.ChunkServer.RACK.name(), racks.get(index));
    }
    ChunkServer server = ChunkServer.start(GfsConfig.of(values));
    servers.set(index, server);
    return server;
  }

  @Override
  public void close() {
    for (int i = 0; i < servers.size(); i++) {
      stop(i);
    }
  }
}
