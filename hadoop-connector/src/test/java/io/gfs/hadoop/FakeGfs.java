package io.gfs.hadoop;

import io.gfs.common.Crc32c;
import io.gfs.common.GfsPaths;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.common.rpc.RpcServer;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ChunkLocations;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.FileInfo;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.HeartbeatReply;
import io.gfs.thrift.gen.HeartbeatRequest;
import io.gfs.thrift.gen.MasterService;
import io.gfs.thrift.gen.Mutation;
import io.gfs.thrift.gen.ReadResult;
import io.gfs.thrift.gen.RecordAppendRequest;
import io.gfs.thrift.gen.ServerAddress;
import io.gfs.thrift.gen.WriteRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory stand-in for a master and N chunkservers behind real Thrift servers on loopback, following the protocol
 * contract closely enough to drive the client library end to end, with faults to inject: corrupt reads on one server,
 * failing writes, a stopped server. One lock serialises everything; chunkservers reach each other by direct calls.
 */
final class FakeGfs implements AutoCloseable {
  final long chunkSizeBytes;
  final List<ChunkServer> chunkServers = new ArrayList<>();
  private final Object lock = new Object();
  private final TreeMap<String, Node> namespace = new TreeMap<>();
  private final Map<Long, Chunk> chunks = new HashMap<>();
  private final RpcServer masterServer;
  private long nextHandle = 1;

  FakeGfs(int chunkServerCount, long chunkSizeBytes) throws IOException {
    this.chunkSizeBytes = chunkSizeBytes;
    namespace.put("/", new Node(true));
    for (int i = 0; i < chunkServerCount; i++) {
      ChunkServer server = new ChunkServer();
      server.rpc = RpcServer.start("fake-cs" + i, new HostPort("127.0.0.1", 0),
          new ChunkServerService.Processor<>(server), RpcLimits.defaults());
      server.address = new HostPort("127.0.0.1", server.rpc.port());
      chunkServers.add(server);
    }
    masterServer = RpcServer.start("fake-master", new HostPort("127.0.0.1", 0),
        new MasterService.Processor<>(new Master()), RpcLimits.defaults());
  }

  HostPort masterAddress() {
    return new HostPort("127.0.0.1", masterServer.port());
  }

  ChunkServer byAddress(HostPort address) {
    for (ChunkServer server : chunkServers) {
      if (server.address.equals(address)) {
        return server;
      }
    }
    throw new IllegalArgumentException("no chunkserver " + address);
  }

  @Override
  public void close() {
    masterServer.close();
    for (ChunkServer server : chunkServers) {
      server.rpc.close();
    }
  }

  private static final class Node {
    final boolean directory;
    final List<Long> chunkHandles = new ArrayList<>();
    int replication;

    Node(boolean directory) {
      this.directory = directory;
    }
  }

  private static final class Chunk {
    final long handle;
    long version = 1;
    long knownLengthBytes;
    final List<ChunkServer> replicas;

    Chunk(long handle, List<ChunkServer> replicas) {
      this.handle = handle;
      this.replicas = replicas;
    }
  }

  private static GfsException error(ErrorCode code, String message) {
    return RpcErrors.error(code, message);
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  private static String valid(String path) throws GfsException {
    try {
      return GfsPaths.normalize(path);
    } catch (GfsPaths.InvalidPathException e) {
      throw error(ErrorCode.INVALID_PATH, e.getMessage());
    }
  }

  /** The master's side: namespace, chunk table, leases (the first replica is always primary). */
  private final class Master implements MasterService.Iface {
    @Override
    public ClusterStatus getClusterStatus() {
      return new ClusterStatus("fake", List.of(), 0, 0, 0, 0);
    }

    @Override
    public FileInfo getFileInfo(String path) throws GfsException {
      synchronized (lock) {
        String p = valid(path);
        return info(p, existing(p));
      }
    }

    @Override
    public List<FileInfo> listStatus(String path) throws GfsException {
      synchronized (lock) {
        String p = valid(path);
        Node node = existing(p);
        if (!node.directory) {
          return List.of(info(p, node));
        }
        List<FileInfo> out = new ArrayList<>();
        String prefix = p.equals("/") ? "/" : p + "/";
        for (Map.Entry<String, Node> e : namespace.tailMap(prefix, false).entrySet()) {
          if (!e.getKey().startsWith(prefix)) {
            break;
          }
          if (e.getKey().indexOf('/', prefix.length()) < 0) {
            out.add(info(e.getKey(), e.getValue()));
          }
        }
        return out;
      }
    }

    @Override
    public boolean mkdirs(String path) throws GfsException {
      synchronized (lock) {
        String p = valid(path);
        Node node = namespace.get(p);
        if (node != null) {
          if (!node.directory) {
            throw error(ErrorCode.ALREADY_EXISTS, p + " is a file");
          }
          return true;
        }
        if (!p.equals("/")) {
          mkdirs(parent(p));
        }
        namespace.put(p, new Node(true));
        return true;
      }
    }

    @Override
    public FileInfo create(String path, boolean overwrite, boolean createParent, int replication)
        throws GfsException {
      synchronized (lock) {
        String p = valid(path);
        Node existing = namespace.get(p);
        if (existing != null && existing.directory) {
          throw error(ErrorCode.IS_DIRECTORY, p);
        }
        if (existing != null && !overwrite) {
          throw error(ErrorCode.ALREADY_EXISTS, p);
        }
        Node parent = namespace.get(parent(p));
        if (parent == null) {
          if (!createParent) {
            throw error(ErrorCode.NOT_FOUND, "parent of " + p);
          }
          checkNoFileAbove(parent(p));
          mkdirs(parent(p));
        } else if (!parent.directory) {
          throw error(ErrorCode.PARENT_NOT_DIRECTORY, p);
        }
        Node file = new Node(false);
        file.replication = replication > 0 ? Math.min(replication, chunkServers.size()) : chunkServers.size();
        namespace.put(p, file);
        return info(p, file);
      }
    }

    private void checkNoFileAbove(String p) throws GfsException {
      for (String at = p; !at.equals("/"); at = parent(at)) {
        Node node = namespace.get(at);
        if (node != null && !node.directory) {
          throw error(ErrorCode.PARENT_NOT_DIRECTORY, at + " is a file");
        }
      }
    }

    @Override
    public boolean remove(String path, boolean recursive) throws GfsException {
      synchronized (lock) {
        String p = valid(path);
        Node node = namespace.get(p);
        if (node == null) {
          return false;
        }
        String prefix = p + "/";
        boolean hasChildren = namespace.tailMap(prefix, false).keySet().stream().anyMatch(k -> k.startsWith(prefix));
        if (hasChildren && !recursive) {
          throw error(ErrorCode.DIRECTORY_NOT_EMPTY, p);
        }
        namespace.keySet().removeIf(k -> k.equals(p) || k.startsWith(prefix));
        return true;
      }
    }

    @Override
    public void rename(String source, String destination) throws GfsException {
      synchronized (lock) {
        String s = valid(source);
        String d = valid(destination);
        existing(s);
        if (namespace.containsKey(d)) {
          throw error(ErrorCode.ALREADY_EXISTS, d);
        }
        Node parent = namespace.get(parent(d));
        if (parent == null) {
          throw error(ErrorCode.NOT_FOUND, "parent of " + d);
        }
        if (d.startsWith(s + "/")) {
          throw error(ErrorCode.INVALID_ARGUMENT, d + " is inside " + s);
        }
        TreeMap<String, Node> moved = new TreeMap<>();
        namespace.entrySet().removeIf(e -> {
          if (e.getKey().equals(s) || e.getKey().startsWith(s + "/")) {
            moved.put(d + e.getKey().substring(s.length()), e.getValue());
            return true;
          }
          return false;
        });
        namespace.putAll(moved);
      }
    }

    @Override
    public ChunkLocations findChunks(String path, long firstChunkIndex, int chunkCountMax) throws GfsException {
      synchronized (lock) {
        String p = valid(path);
        Node node = existing(p);
        List<ChunkLocation> out = new ArrayList<>();
        for (long i = firstChunkIndex; i < node.chunkHandles.size() && out.size() < chunkCountMax; i++) {
          Chunk chunk = chunks.get(node.chunkHandles.get((int) i));
          List<ServerAddress> replicas = new ArrayList<>();
          chunk.replicas.forEach(r -> replicas.add(RpcErrors.toThrift(r.address)));
          out.add(new ChunkLocation(i, chunk.handle, chunk.version, chunk.knownLengthBytes, replicas));
        }
        return new ChunkLocations(info(p, node), out);
      }
    }

    @Override
    public ChunkLease acquireLease(String path, long chunkIndex) throws GfsException {
      synchronized (lock) {
        String p = valid(path);
        Node node = existing(p);
        if (node.directory) {
          throw error(ErrorCode.IS_DIRECTORY, p);
        }
        long index = chunkIndex == -1 ? Math.max(0, node.chunkHandles.size() - 1) : chunkIndex;
        if (index > node.chunkHandles.size()) {
          throw error(ErrorCode.OUT_OF_RANGE, "chunk " + index + " of " + p);
        }
        if (index == node.chunkHandles.size()) {
          Chunk chunk = new Chunk(nextHandle++, List.copyOf(chunkServers.subList(0, node.replication)));
          chunks.put(chunk.handle, chunk);
          node.chunkHandles.add(chunk.handle);
          chunk.replicas.forEach(r -> r.data.put(chunk.handle, new byte[0]));
        }
        Chunk chunk = chunks.get(node.chunkHandles.get((int) index));
        chunk.replicas.forEach(r -> r.versions.put(chunk.handle, chunk.version));
        List<ServerAddress> secondaries = new ArrayList<>();
        chunk.replicas.subList(1, chunk.replicas.size()).forEach(r -> secondaries.add(RpcErrors.toThrift(r.address)));
        return new ChunkLease(index, chunk.handle, chunk.version, RpcErrors.toThrift(chunk.replicas.get(0).address),
            secondaries, 60_000, chunkSizeBytes);
      }
    }

    @Override
    public void reportChunkLength(String path, long chunkIndex, long handle, long lengthBytes) throws GfsException {
      synchronized (lock) {
        Chunk chunk = chunks.get(handle);
        if (chunk == null) {
          throw error(ErrorCode.UNKNOWN_CHUNK, "handle " + handle);
        }
        chunk.knownLengthBytes = Math.max(chunk.knownLengthBytes, lengthBytes);
      }
    }

    @Override
    public HeartbeatReply heartbeat(HeartbeatRequest request) {
      return new HeartbeatReply(List.of(), List.of(), 1000);
    }

    private Node existing(String p) throws GfsException {
      Node node = namespace.get(p);
      if (node == null) {
        throw error(ErrorCode.NOT_FOUND, p);
      }
      return node;
    }

    private FileInfo info(String p, Node node) {
      long length = 0;
      for (long handle : node.chunkHandles) {
        length += chunks.get(handle).knownLengthBytes;
      }
      return new FileInfo(p, node.directory, length, node.replication, node.directory ? 0 : chunkSizeBytes, 0,
          node.chunkHandles.size());
    }
  }

  /** One chunkserver: chunk bytes in memory, a push buffer, and switches for faults. */
  final class ChunkServer implements ChunkServerService.Iface {
    RpcServer rpc;
    HostPort address;
    final Map<Long, byte[]> data = new HashMap<>();
    final Map<Long, Long> versions = new HashMap<>();
    final Map<Long, byte[]> pushed = new HashMap<>();
    volatile boolean corruptReads;
    volatile int writesToFail;
    int readCalls;

    @Override
    public void pushData(long dataId, long pieceOffsetBytes, ByteBuffer piece, boolean last, int totalLengthBytes,
        int crc32c, List<ServerAddress> forwardTo) throws GfsException {
      synchronized (lock) {
        byte[] buffer = pushed.computeIfAbsent(dataId, id -> new byte[totalLengthBytes]);
        piece.duplicate().get(buffer, (int) pieceOffsetBytes, piece.remaining());
        if (!forwardTo.isEmpty()) {
          byAddress(RpcErrors.fromThrift(forwardTo.get(0))).pushData(dataId, pieceOffsetBytes, piece, last,
              totalLengthBytes, crc32c, forwardTo.subList(1, forwardTo.size()));
        }
        if (last && Crc32c.of(buffer, 0, buffer.length) != crc32c) {
          pushed.remove(dataId);
          throw error(ErrorCode.CHECKSUM_MISMATCH, "data " + dataId);
        }
      }
    }

    @Override
    public void write(WriteRequest request) throws GfsException {
      synchronized (lock) {
        if (writesToFail > 0) {
          writesToFail--;
          throw error(ErrorCode.IO_ERROR, address + ": injected write failure");
        }
        Chunk chunk = checkedChunk(request.getHandle(), request.getVersion());
        for (ChunkServer replica : chunk.replicas) {
          replica.apply(request.getHandle(), request.getOffsetBytes(), request.getDataId(), request.getLengthBytes());
        }
      }
    }

    @Override
    public long recordAppend(RecordAppendRequest request) throws GfsException {
      synchronized (lock) {
        Chunk chunk = checkedChunk(request.getHandle(), request.getVersion());
        long size = request.getChunkSizeBytes();
        if (request.getLengthBytes() > size / 4) {
          throw error(ErrorCode.RECORD_TOO_LARGE, "record of " + request.getLengthBytes());
        }
        long offset = data.get(request.getHandle()).length;
        if (offset + request.getLengthBytes() > size) {
          for (ChunkServer replica : chunk.replicas) {
            replica.data.put(request.getHandle(), Arrays.copyOf(replica.data.get(request.getHandle()), (int) size));
          }
          throw error(ErrorCode.CHUNK_FULL, "padded");
        }
        for (ChunkServer replica : chunk.replicas) {
          replica.apply(request.getHandle(), offset, request.getDataId(), request.getLengthBytes());
        }
        return offset;
      }
    }

    @Override
    public void applyMutation(Mutation mutation) {
      throw new UnsupportedOperationException("the fake applies mutations by direct calls");
    }

    @Override
    public ReadResult read(long handle, long version, long offsetBytes, int lengthBytes) throws GfsException {
      synchronized (lock) {
        readCalls++;
        byte[] chunk = data.get(handle);
        if (chunk == null) {
          throw error(ErrorCode.UNKNOWN_CHUNK, "handle " + handle);
        }
        if (corruptReads) {
          throw error(ErrorCode.CHECKSUM_MISMATCH, address + ": injected corruption");
        }
        int from = (int) Math.min(offsetBytes, chunk.length);
        int to = (int) Math.min(offsetBytes + lengthBytes, chunk.length);
        return new ReadResult(ByteBuffer.wrap(Arrays.copyOfRange(chunk, from, to)), chunk.length);
      }
    }

    @Override
    public void assignVersion(long handle, long version, boolean create, long leaseDurationMillis) {
      throw new UnsupportedOperationException("the fake master sets versions directly");
    }

    private Chunk checkedChunk(long handle, long version) throws GfsException {
      Chunk chunk = chunks.get(handle);
      if (chunk == null || chunk.replicas.get(0) != this) {
        throw error(ErrorCode.NOT_PRIMARY, address + " is not primary for " + handle);
      }
      if (chunk.version != version) {
        throw error(ErrorCode.STALE_VERSION, "version " + version + " != " + chunk.version);
      }
      return chunk;
    }

    private void apply(long handle, long offset, long dataId, int length) throws GfsException {
      byte[] bytes = pushed.remove(dataId);
      if (bytes == null || bytes.length != length) {
        throw error(ErrorCode.DATA_NOT_FOUND, address + ": data " + dataId);
      }
      byte[] chunk = data.get(handle);
      if (chunk.length < offset + length) {
        chunk = Arrays.copyOf(chunk, (int) (offset + length));
      }
      System.arraycopy(bytes, 0, chunk, (int) offset, length);
      data.put(handle, chunk);
    }
  }
}
