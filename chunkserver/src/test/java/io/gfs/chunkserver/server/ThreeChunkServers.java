package io.gfs.chunkserver.server;

import io.gfs.chunkserver.store.FileChunkStore;
import io.gfs.common.Crc32c;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.ServerAddress;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.thrift.TException;

/**
 * Three real chunkservers on loopback, with files in a temporary directory and one clock the test can move. The
 * master address points where nothing listens: their heartbeats fail and retry, and the test plays master and client
 * over Thrift itself.
 */
final class ThreeChunkServers implements AutoCloseable {
  static final int PIECE = GfsConfigKeys.DATA_PIECE_BYTES_MAX;

  final Path baseDir;
  final HostPort deadMaster;
  final AtomicLong clockOffsetMillis = new AtomicLong();
  /** How the servers wait in throttled background work; tests may swap it before starting a clone. */
  volatile Sleeper sleeper = Sleeper.REAL;
  final List<ChunkServer> servers = new ArrayList<>();
  final RpcClients client = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(30_000));

  final Map<String, String> extraConfig;

  ThreeChunkServers(Path baseDir) throws IOException {
    this(baseDir, Map.of());
  }

  /** With more configuration keys for every server (they override the defaults here). */
  ThreeChunkServers(Path baseDir, Map<String, String> extraConfig) throws IOException {
    this.baseDir = baseDir;
    this.extraConfig = Map.copyOf(extraConfig);
    this.deadMaster = new HostPort("127.0.0.1", freePort());
    try {
      for (int i = 0; i < 3; i++) {
        servers.add(start(i));
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  long nowMillis() {
    return System.nanoTime() / 1_000_000 + clockOffsetMillis.get();
  }

  ChunkServer start(int index) throws IOException {
    Map<String, String> config = new TreeMap<>();
    config.put(GfsConfigKeys.ChunkServer.HOST.name(), "127.0.0.1");
    config.put(GfsConfigKeys.ChunkServer.PORT.name(), "0");
    config.put(GfsConfigKeys.ChunkServer.DATA_DIRS.name(), dataDir(index).toString());
    config.put(GfsConfigKeys.ChunkServer.MASTER_ADDRESS.name(), deadMaster.toString());
    config.put(GfsConfigKeys.ChunkServer.PUSH_BUFFER_BYTES_MAX.name(), "128m");
    config.put(GfsConfigKeys.Rpc.CALL_TIMEOUT_MS.name(), "30000");
    // No master hands out access keys here: these tests speak the data protocol itself (tokens: dist's AccessTokenIT).
    config.put(GfsConfigKeys.Cluster.ACCESS_TOKENS_ENABLED.name(), "false");
    config.putAll(extraConfig);
    ChunkServerSettings settings = ChunkServerSettings.from(GfsConfig.of(config));
    FileChunkStore store = new FileChunkStore(settings.dataDirs());
    String id = io.gfs.chunkserver.store.ServerIdFile.loadOrCreate(settings.dataDirs().get(0), 1000L + index);
    return ChunkServer.start(settings, store, id, this::nowMillis, millis -> sleeper.sleep(millis));
  }

  Path dataDir(int index) {
    return baseDir.resolve("cs" + index);
  }

  /** Restarts one server on its directories (on a new port). */
  void restart(int index) throws IOException {
    servers.get(index).close();
    servers.set(index, start(index));
  }

  ChunkServer get(int index) {
    return servers.get(index);
  }

  HostPort address(int index) {
    return servers.get(index).address();
  }

  ServerAddress wire(int index) {
    return RpcErrors.toThrift(address(index));
  }

  <R> R call(int index, RpcClients.Call<ChunkServerService.Client, R> call) throws TException {
    return client.chunkServer(address(index), call);
  }

  <R> R call(HostPort address, RpcClients.Call<ChunkServerService.Client, R> call) throws TException {
    return client.chunkServer(address, call);
  }

  /** The master's part before a lease: every replica gets the version, replica {@code primary} the lease. */
  void assign(long handle, long version, boolean create, int primary, long leaseMillis, int... replicas)
      throws TException {
    for (int r : replicas) {
      long lease = r == primary ? leaseMillis : 0;
      call(r, c -> {
        c.assignVersion(handle, version, create, lease, 0L, null);
        return null;
      });
    }
  }

  /** The client's push: pieces to the head of the chain, which forwards them along the rest. */
  void push(long dataId, byte[] data, List<HostPort> chain) throws TException {
    int crc = Crc32c.of(data, 0, data.length);
    List<ServerAddress> rest = new ArrayList<>();
    for (HostPort hop : chain.subList(1, chain.size())) {
      rest.add(RpcErrors.toThrift(hop));
    }
    for (int offset = 0; offset < data.length; offset += PIECE) {
      int length = Math.min(PIECE, data.length - offset);
      boolean last = offset + length == data.length;
      ByteBuffer piece = ByteBuffer.wrap(data, offset, length);
      long at = offset;
      call(chain.get(0), c -> {
        c.pushData(dataId, at, piece, last, data.length, crc, rest, null);
        return null;
      });
    }
  }

  List<HostPort> chain(int... indexes) {
    List<HostPort> out = new ArrayList<>();
    for (int i : indexes) {
      out.add(address(i));
    }
    return out;
  }

  /** Reads [offset, offset + length) of a replica in piece-sized calls. */
  byte[] read(int index, long handle, long version, long offset, int length) throws TException {
    byte[] out = new byte[length];
    int done = 0;
    while (done < length) {
      int want = Math.min(PIECE, length - done);
      long at = offset + done;
      ByteBuffer piece = call(index, c -> c.read(handle, version, at, want, null)).bufferForData();
      if (piece.remaining() == 0) {
        throw new IllegalStateException("replica " + index + " of chunk " + handle + " ends before " + at);
      }
      int n = piece.remaining();
      piece.get(out, done, n);
      done += n;
    }
    return out;
  }

  /** Flips the bits of {@code mask} in one byte of a replica's data file, behind the server's back. */
  void flipOnDisk(int index, long handle, long offset, int mask) throws IOException {
    Path file = ((FileChunkStore) get(index).store()).dataFile(handle);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ mask);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Closes everything; first checks every server's invariants (the check's failure fails the test). */
  @Override
  public void close() {
    try {
      for (ChunkServer server : servers) {
        server.state().checkInvariants();
        server.pushBuffer().checkInvariants();
      }
    } finally {
      for (ChunkServer server : servers) {
        server.close();
      }
      client.close();
    }
  }
}
