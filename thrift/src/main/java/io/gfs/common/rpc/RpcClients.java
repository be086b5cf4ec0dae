package io.gfs.common.rpc;

import io.gfs.common.HostPort;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.MasterService;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.TServiceClient;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;

/**
 * Pooled Thrift connections to masters and chunkservers. A connection goes back to the pool after a call that returned
 * or raised a typed {@link GfsException}; after any other failure it is closed, since its stream state is unknown.
 * Connections idle for half the server's idle timeout are not reused (the server may be about to reap them).
 * Thread-safe; one instance per process is enough.
 */
public final class RpcClients implements AutoCloseable {
  /** Connections kept per server once calls finish; more may be open while calls run. */
  public static final int IDLE_CONNECTIONS_PER_SERVER_MAX = 16;
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  @FunctionalInterface
  public interface Call<C, R> {
    R apply(C client) throws TException;
  }

  private final RpcLimits limits;
  private final Map<PoolKey, Deque<Pooled<?>>> pools = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public RpcClients(RpcLimits limits) {
    this.limits = limits;
  }

  public <R> R master(HostPort address, Call<MasterService.Client, R> call) throws TException {
    return call(address, MasterService.Client.class, MasterService.Client::new, call);
  }

  public <R> R chunkServer(HostPort address, Call<ChunkServerService.Client, R> call) throws TException {
    return call(address, ChunkServerService.Client.class, DataPathClient::new, call);
  }

  public <C extends TServiceClient, R> R call(HostPort address, Class<C> type, Function<TProtocol, C> factory,
      Call<C, R> call) throws TException {
    if (closed) {
      throw new TTransportException(TTransportException.NOT_OPEN, "RPC clients closed");
    }
    PoolKey key = new PoolKey(address, type);
    @SuppressWarnings("unchecked")
    Pooled<C> connection = (Pooled<C>) borrow(key);
    if (connection == null) {
      connection = open(address, factory);
    }
    boolean reusable = false;
    try {
      R result = call.apply(connection.client);
      reusable = true;
      return result;
    } catch (GfsException e) {
      reusable = true;
      throw e;
    } finally {
      if (reusable && !closed) {
        giveBack(key, connection);
      } else {
        connection.transport.close();
      }
    }
  }

  /**
   * A chunkserver connection taken out of the pool until {@link Held#release} (back to the pool) or {@link
   * Held#discard} (closed): for a caller that keeps a request outstanding between its own calls, like a reader that
   * asks for the next piece before it hands out this one. Use it from one thread at a time.
   */
  public Held<ChunkServerService.Client> holdChunkServer(HostPort address) throws TException {
    if (closed) {
      throw new TTransportException(TTransportException.NOT_OPEN, "RPC clients closed");
    }
    PoolKey key = new PoolKey(address, ChunkServerService.Client.class);
    @SuppressWarnings("unchecked")
    Pooled<ChunkServerService.Client> connection = (Pooled<ChunkServerService.Client>) borrow(key);
    if (connection == null) {
      connection = open(address, DataPathClient::new);
    }
    return new Held<>(key, connection);
  }

  /** A connection held by one caller; exactly one of release or discard ends it (later calls do nothing). */
  public final class Held<C> {
    private final PoolKey key;
    private final Pooled<C> connection;
    private boolean ended;

    private Held(PoolKey key, Pooled<C> connection) {
      this.key = key;
      this.connection = connection;
    }

    public C client() {
      return connection.client;
    }

    /**
     * The next reply read on this connection goes into {@code target} when it fits (its binary fields are then views
     * of that array), instead of a fresh array; see {@link KeptBufferFramedTransport#readNextFrameInto}. Null cancels.
     */
    public void readNextReplyInto(byte[] target) {
      if (connection.transport instanceof KeptBufferFramedTransport framed) {
        framed.readNextFrameInto(target);
      }
    }

    /**
     * The next reply is read from the socket as it is parsed, and its first binary field (a read's piece) straight into
     * {@code array[offset, offset + room)} when it fits, without passing through a frame array: one 1 MiB copy per
     * piece fewer. The caller must not touch that range until it has read the reply. For the next reply only; null
     * cancels. False when this connection cannot (then nothing changes and the reply is read as usual).
     */
    public boolean readNextBinaryInto(byte[] array, int offset, int room) {
      if (connection.transport instanceof KeptBufferFramedTransport framed
          && connection.client instanceof TServiceClient service
          && service.getInputProtocol() instanceof DirectBinaryProtocol protocol) {
        framed.streamNextFrame(array != null);
        protocol.readNextBinaryInto(array, offset, room);
        return true;
      }
      return false;
    }

    /** Back to the pool: every request sent on it has had its reply read. */
    public void release() {
      if (!ended) {
        ended = true;
        if (closed) {
          connection.transport.close();
        } else {
          giveBack(key, connection);
        }
      }
    }

    /** Closed: a failure, or a reply still owed that nobody will read. */
    public void discard() {
      if (!ended) {
        ended = true;
        connection.transport.close();
      }
    }
  }

  private Pooled<?> borrow(PoolKey key) {
    Deque<Pooled<?>> pool = pools.get(key);
    if (pool == null) {
      return null;
    }
    long staleBefore = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(limits.idleTimeoutMillis() / 2);
    synchronized (pool) {
      while (!pool.isEmpty()) {
        Pooled<?> candidate = pool.pollFirst();
        if (candidate.returnedNanos >= staleBefore && candidate.transport.isOpen()) {
          return candidate;
        }
        candidate.transport.close();
      }
    }
    return null;
  }

  private void giveBack(PoolKey key, Pooled<?> connection) {
    connection.returnedNanos = System.nanoTime();
    Deque<Pooled<?>> pool = pools.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (pool) {
      if (pool.size() < IDLE_CONNECTIONS_PER_SERVER_MAX) {
        pool.addFirst(connection);
        return;
      }
    }
    connection.transport.close();
  }

  private <C extends TServiceClient> Pooled<C> open(HostPort address, Function<TProtocol, C> factory)
      throws TTransportException {
    TConfiguration configuration = new TConfiguration(limits.frameBytesMax(), limits.frameBytesMax(),
        TConfiguration.DEFAULT_RECURSION_DEPTH);
    TTransport transport;
    if (limits.tls().enabled()) {
      transport = KeptBufferFramedTransport.forCalls(openTls(address, configuration), limits.frameBytesMax());
    } else {
      TSocket socket = new TSocket(configuration, address.host(), address.port(), limits.callTimeoutMillis(),
          CONNECT_TIMEOUT_MILLIS);
      transport = KeptBufferFramedTransport.forCalls(socket, limits.frameBytesMax());
      try {
        transport.open();
      } catch (TTransportException e) {
        transport.close();
        throw new TTransportException(e.getType(), "cannot connect to " + address + ": " + e.getMessage(), e);
      }
    }
    TProtocol protocol = new DirectBinaryProtocol(transport, limits.stringBytesMax(), limits.containerLengthMax());
    return new Pooled<>(factory.apply(protocol), transport);
  }

  /** A TLS socket with the handshake done (a failed handshake, e.g. a plain-TCP server, is NOT_OPEN). */
  private TSocket openTls(HostPort address, TConfiguration configuration) throws TTransportException {
    try {
      TSocket socket = new TSocket(limits.tls().connect(address, CONNECT_TIMEOUT_MILLIS, limits.callTimeoutMillis()));
      socket.getConfiguration().setMaxFrameSize(configuration.getMaxFrameSize());
      socket.getConfiguration().setMaxMessageSize(configuration.getMaxMessageSize());
      return socket;
    } catch (java.io.IOException e) {
      throw new TTransportException(TTransportException.NOT_OPEN, "cannot connect to " + address + ": "
          + e.getMessage(), e);
    }
  }

  /** Closes every pooled connection to one server, after it was found down. */
  public void forget(HostPort address) {
    pools.forEach((key, pool) -> {
      if (key.address.equals(address)) {
        synchronized (pool) {
          pool.forEach(p -> p.transport.close());
          pool.clear();
        }
      }
    });
  }

  @Override
  public void close() {
    closed = true;
    pools.values().forEach(pool -> {
      synchronized (pool) {
        pool.forEach(p -> p.transport.close());
        pool.clear();
      }
    });
  }

  private record PoolKey(HostPort address, Class<?> type) {}

  private static final class Pooled<C> {
    final C client;
    final TTransport transport;
    volatile long returnedNanos;

    Pooled(C client, TTransport transport) {
      this.client = client;
      this.transport = transport;
    }
  }
}
