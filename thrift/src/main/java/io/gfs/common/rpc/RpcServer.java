package io.gfs.common.rpc;

import io.gfs.common.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TThreadedSelectorServer;
import org.apache.thrift.transport.TNonblockingServerSocket;
import org.apache.thrift.transport.TNonblockingSocket;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hardened Thrift server: non-blocking selector threads, a bounded worker queue (a full queue closes the new
 * request's connection instead of growing), framed transport with a frame limit, binary protocol with string and
 * container limits, a cap on memory for frames being read (at most a quarter of the heap), and a reaper (libthrift's
 * non-blocking servers have none) that closes idle connections and, sooner, ones that stalled in the middle of a frame
 * (their declared frame is allocated whole). A garbage, truncated or oversized frame closes that one connection; the
 * server goes on. Accepted connections speak TLS when {@link RpcLimits#tls()} is on ({@link TlsChannel}). Every
 * call is recorded in the server's {@link DiagnosticLog} (file data left out) [0132-0134].
 */
public final class RpcServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);

  private final String name;
  private final SelectorCalls server;
  private final TrackingServerSocket serverSocket;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService reaper;
  private final Thread serveThread;
  private final DiagnosticLog diagnostics;
  private final DiagnosticProcessor logged;

  private RpcServer(String name, HostPort bind, TProcessor processor, RpcLimits limits, DiagnosticLog diagnostics,
      SelectorMethods selectorMethods) throws TTransportException {
    this.name = name;
    this.diagnostics = diagnostics;
    this.logged = new DiagnosticProcessor(processor, diagnostics, limits);
    this.serverSocket = new TrackingServerSocket(new InetSocketAddress(bind.host(), bind.port()), limits);
    AtomicInteger threadCount = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(limits.workerThreads(), limits.workerThreads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(limits.queueLengthMax()),
        r -> daemon(r, name + "-worker-" + threadCount.incrementAndGet()),
        new ThreadPoolExecutor.AbortPolicy());
    TThreadedSelectorServer.Args args = new TThreadedSelectorServer.Args(serverSocket)
        .selectorThreads(limits.selectorThreads())
        .executorService(workers)
        .acceptQueueSizePerThread(64)
        .processor(logged)
        .protocolFactory(new TBinaryProtocol.Factory(true, true, limits.stringBytesMax(),
            limits.containerLengthMax()))
        // Input read in place from the frame the selector read (no second copy), output framed with a kept buffer.
        .inputTransportFactory(new ReceivedFrameTransport.Factory())
        .outputTransportFactory(new KeptBufferFramedTransport.Factory(limits.frameBytesMax()));
    args.maxReadBufferBytes = readBufferBytesMax(name, limits.readBufferBytesMax());
    this.server = new SelectorCalls(args, selectorMethods);
    server.setServerEventHandler(logged.peers());
    this.reaper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-idle-reaper"));
    long stalledMillis = stalledFrameTimeoutMillis(limits);
    long period = Math.max(250, stalledMillis / 4);
    reaper.scheduleWithFixedDelay(() -> serverSocket.reapIdle(limits.idleTimeoutMillis(), stalledMillis), period,
        period, TimeUnit.MILLISECONDS);
    this.serveThread = daemon(server::serve, name + "-serve");
  }

  /** Longest a connection may sit in the middle of a frame without sending a byte (never above the idle timeout). */
  static final long STALLED_FRAME_TIMEOUT_MILLIS_MAX = 15_000;
  /** Share of the heap that frames being read may take, whatever gfs.rpc.read.buffer.bytes.max says. */
  static final int READ_BUFFER_HEAP_DIVISOR = 4;

  static long stalledFrameTimeoutMillis(RpcLimits limits) {
    return Math.min(limits.idleTimeoutMillis(), STALLED_FRAME_TIMEOUT_MILLIS_MAX);
  }

  /**
   * libthrift allocates a frame's whole declared size when its header arrives, so clients that declare big frames and
   * stall hold that memory until they are reaped. A cap above the heap would let them exhaust it and kill the server;
   * a quarter of the heap makes them defer reading (everyone's, for at most the stalled-frame timeout) instead.
   */
  private static long readBufferBytesMax(String name, long configured) {
    long heapShare = Runtime.getRuntime().maxMemory() / READ_BUFFER_HEAP_DIVISOR;
    if (configured > heapShare) {
      LOG.info("{}: frames being read may take {} bytes, a quarter of the heap, not the configured {}", name,
          heapShare, configured);
      return heapShare;
    }
    return configured;
  }

  /** Recent events kept in memory by a server started without diagnostic log settings. */
  public static final int RECENT_EVENTS_DEFAULT = 1000;

  /**
   * Binds, starts serving and returns once the port accepts connections. The diagnostic log keeps only the latest
   * {@link #RECENT_EVENTS_DEFAULT} events in memory; pass {@link DiagnosticLog.Settings} to get the log file too.
   */
  public static RpcServer start(String name, HostPort bind, TProcessor processor, RpcLimits limits)
      throws IOException {
    return start(name, bind, processor, limits, DiagnosticLog.Settings.memoryOnly(RECENT_EVENTS_DEFAULT));
  }

  /**
   * Binds, starts serving and returns once the port accepts connections; every call goes to a diagnostic log kept as
   * {@code diagnostics} says (usually {@code DiagnosticLog.Settings.from(config)}, the gfs.diagnostic.* keys).
   */
  public static RpcServer start(String name, HostPort bind, TProcessor processor, RpcLimits limits,
      DiagnosticLog.Settings diagnostics) throws IOException {
    return start(name, bind, processor, limits, diagnostics, SelectorMethods.NONE);
  }

  /**
   * Like {@link #start(String, HostPort, TProcessor, RpcLimits, DiagnosticLog.Settings)}, and calls of
   * {@code selectorMethods} run on the selector thread that read them instead of a worker ({@link SelectorCalls}).
   */
  public static RpcServer start(String name, HostPort bind, TProcessor processor, RpcLimits limits,
      DiagnosticLog.Settings diagnostics, SelectorMethods selectorMethods) throws IOException {
    DiagnosticLog log = DiagnosticLog.open(name, diagnostics);
    RpcServer rpc;
    try {
      rpc = new RpcServer(name, bind, processor, limits, log, selectorMethods);
    } catch (TTransportException e) {
      log.close();
      throw new IOException(name + ": cannot listen on " + bind + ": " + e.getMessage(), e);
    }
    rpc.serveThread.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!rpc.server.isServing()) {
      if (System.nanoTime() > deadline) {
        rpc.close();
        throw new IOException(name + ": server did not start serving within 30 s");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting " + name, e);
      }
    }
    LOG.info("{} serving on {}:{}", name, bind.host(), rpc.port());
    log.note("serving on " + bind.host() + ":" + rpc.port());
    return rpc;
  }

  /** Every call this server handled: the latest in memory, and (if configured) all of them in rotating files. */
  public DiagnosticLog diagnostics() {
    return diagnostics;
  }

  public int port() {
    return serverSocket.getPort();
  }

  /** Replies whose worker set out to write them to the socket itself (plain TCP; not spliced ones); for tests. */
  public long repliesWrittenByWorkers() {
    return logged.repliesWrittenByWorkers();
  }

  /** Calls that ran on a selector thread instead of a worker ({@link SelectorCalls}); for tests. */
  public long callsRunOnSelector() {
    return server.runOnSelector();
  }

  /** Connections currently open; for tests of the reaper and of bad clients. */
  public int openConnections() {
    return serverSocket.open.size();
  }

  @Override
  public void close() {
    server.stop();
    reaper.shutdownNow();
    serverSocket.close();
    for (TrackedSocket socket : serverSocket.open) {
      socket.close();
    }
    workers.shutdownNow();
    try {
      serveThread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    diagnostics.close();
    LOG.info("{} stopped", name);
  }

  private static Thread daemon(Runnable runnable, String threadName) {
    Thread t = new Thread(runnable, threadName);
    t.setDaemon(true);
    return t;
  }

  /** Hands out sockets that remember when they last read a byte, so the reaper can find idle ones. */
  private static final class TrackingServerSocket extends TNonblockingServerSocket {
    final Set<TrackedSocket> open = ConcurrentHashMap.newKeySet();
    private final RpcLimits limits;

    TrackingServerSocket(InetSocketAddress address, RpcLimits limits) throws TTransportException {
      super(address, 0, limits.frameBytesMax());
      this.limits = limits;
    }

    @Override
    public TNonblockingSocket accept() throws TTransportException {
      TNonblockingSocket accepted = super.accept();
      if (accepted == null) {
        return null;
      }
      try {
        SocketChannel channel = accepted.getSocketChannel();
        TlsChannel tls = limits.tls().enabled() ? new TlsChannel(channel, limits.tls().serverEngine()) : null;
        TrackedSocket tracked = new TrackedSocket(channel, limits.frameBytesMax(), tls);
        open.add(tracked);
        return tracked;
      } catch (IOException e) {
        accepted.close();
        throw new TTransportException(e);
      }
    }

    void reapIdle(long idleTimeoutMillis, long stalledFrameTimeoutMillis) {
      long now = System.nanoTime();
      for (TrackedSocket socket : open) {
        if (!socket.isOpen()) {
          open.remove(socket);
          continue;
        }
        long idleMillis = TimeUnit.NANOSECONDS.toMillis(now - socket.lastReadNanos);
        if (socket.shutdownRequestedNanos != 0
            && now - socket.shutdownRequestedNanos > TimeUnit.SECONDS.toNanos(5)) {
          socket.close(); // the selector did not clean it up after the half-close; close outright
          open.remove(socket);
        } else if (socket.shutdownRequestedNanos == 0 && (idleMillis > idleTimeoutMillis
            || (socket.midFrame && idleMillis > stalledFrameTimeoutMillis))) {
          // Half-close first: the selector thread then reads end-of-stream and releases the connection's
          // buffers through its normal path.
          socket.shutdownInput();
        }
      }
    }
  }

  /** An accepted connection: remembers its last read for the reaper, and speaks TLS when {@code tls} is set. */
  private static final class TrackedSocket extends TNonblockingSocket {
    volatile long lastReadNanos = System.nanoTime();
    volatile long shutdownRequestedNanos;
    /** A frame (or its 4-byte header) is partly read: its sender owes the rest (a stalled sender holds memory). */
    volatile boolean midFrame;
    private final TlsChannel tls;

    TrackedSocket(SocketChannel channel, int frameBytesMax, TlsChannel tls) throws IOException, TTransportException {
      super(channel);
      this.tls = tls;
      getConfiguration().setMaxFrameSize(frameBytesMax);
      getConfiguration().setMaxMessageSize(frameBytesMax);
    }

    @Override
    public int read(ByteBuffer buffer) throws TTransportException {
      int n;
      if (tls == null) {
        n = super.read(buffer);
      } else {
        try {
          n = tls.read(buffer);
        } catch (IOException e) {
          throw new TTransportException(TTransportException.UNKNOWN, "TLS read failed: " + e.getMessage(), e);
        }
      }
      if (n > 0) {
        lastReadNanos = System.nanoTime();
      }
      // The frame buffers read a 4-byte header, then a buffer of the declared size (header included) at once.
      midFrame = buffer.hasRemaining() && (buffer.capacity() > 4 || buffer.position() > 0);
      return n;
    }

    /** A plain-TCP connection's address carries its channel, so the worker answering a big call can write it. */
    @Override
    public java.net.SocketAddress getRemoteSocketAddress() {
      java.net.SocketAddress remote = super.getRemoteSocketAddress();
      return tls == null && remote instanceof InetSocketAddress inet
          ? new DirectReply.Address(inet, getSocketChannel()) : remote;
    }

    @Override
    public int write(ByteBuffer buffer) throws TTransportException {
      if (tls == null) {
        return super.write(buffer);
      }
      try {
        return tls.write(buffer);
      } catch (IOException e) {
        throw new TTransportException(TTransportException.UNKNOWN, "TLS write failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      if (tls != null && isOpen()) {
        tls.closeQuietly();
      }
      super.close();
    }

    void shutdownInput() {
      shutdownRequestedNanos = System.nanoTime();
      try {
        getSocketChannel().shutdownInput();
      } catch (IOException e) {
        close();
      }
    }
  }
}
