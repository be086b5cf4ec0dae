package io.gfs.dist.reliability;

import io.gfs.common.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A TCP proxy on loopback that the harness puts between clients and a server, so it can cut or slow the network
 * without privileges: {@link #cut} resets every open connection and refuses new ones while it lasts, {@link #delay}
 * holds every forwarded chunk of bytes for a while (latency, not loss). Each connection is two blocking pump threads.
 * In front of a chunkserver (which advertises the proxy's address, gfs.chunkserver.advertised.address) it carries
 * everything sent to that chunkserver: clients' pushes, reads and mutations, other chunkservers' forwarded pieces,
 * mutations and clone reads, and the master's instructions.
 */
final class LoopbackProxy implements AutoCloseable {
  private static final int BUFFER_BYTES = 64 << 10;

  private final Supplier<HostPort> upstream;
  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong connectionsAccepted = new AtomicLong();
  private volatile boolean refusing;
  private volatile long delayMillis;
  private volatile boolean closed;

  private LoopbackProxy(Supplier<HostPort> upstream, ServerSocket listener) {
    this.upstream = upstream;
    this.listener = listener;
  }

  /** Listens on a free loopback port and forwards each connection to upstream. */
  static LoopbackProxy start(HostPort upstream) throws IOException {
    return start(() -> upstream);
  }

  /**
   * Listens on a free loopback port and forwards each connection to where upstream says at that moment (null: not
   * known yet, the connection is reset) - a proxy whose address a server must be configured with before it starts.
   */
  static LoopbackProxy start(Supplier<HostPort> upstream) throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    LoopbackProxy proxy = new LoopbackProxy(upstream, listener);
    Thread acceptor = new Thread(proxy::acceptLoop, "proxy-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
    return proxy;
  }

  HostPort address() {
    return new HostPort("127.0.0.1", listener.getLocalPort());
  }

  long connectionsAccepted() {
    return connectionsAccepted.get();
  }

  /** Resets every open connection; while refusing, new connections are closed as soon as they are accepted. */
  void cut(boolean refuseNew) {
    refusing = refuseNew;
    for (Socket s : open) {
      closeQuietly(s, true);
    }
  }

  void heal() {
    refusing = false;
    delayMillis = 0;
  }

  void delay(long millis) {
    delayMillis = millis;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        connectionsAccepted.incrementAndGet();
        if (refusing) {
          closeQuietly(client, true);
          continue;
        }
        connect(client);
      } catch (IOException e) {
        if (!closed) {
          // a failed accept or upstream connect drops that one connection; the proxy keeps listening
          continue;
        }
      }
    }
  }

  private void connect(Socket client) throws IOException {
    Socket server = new Socket();
    try {
      HostPort to;
      try {
        to = upstream.get();
      } catch (RuntimeException notKnown) {
        to = null; // e.g. the server is between a kill and its restart; the acceptor must live on
      }
      if (to == null) {
        throw new IOException("the proxy's upstream is not known yet");
      }
      server.connect(new InetSocketAddress(to.host(), to.port()), 5_000);
    } catch (IOException e) {
      closeQuietly(client, true);
      closeQuietly(server, true);
      throw e;
    }
    client.setTcpNoDelay(true);
    server.setTcpNoDelay(true);
    open.add(client);
    open.add(server);
    pump(client, server, "up");
    pump(server, client, "down");
  }

  private void pump(Socket from, Socket to, String direction) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[BUFFER_BYTES];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          long pause = delayMillis;
          if (pause > 0) {
            Thread.sleep(pause);
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // a reset or close on either side ends both directions below
      } finally {
        closeQuietly(from, false);
        closeQuietly(to, false);
      }
    }, "proxy-" + direction + "-" + from.getPort());
    t.setDaemon(true);
    t.start();
  }

  private void closeQuietly(Socket s, boolean reset) {
    open.remove(s);
    try {
      if (reset && !s.isClosed()) {
        s.setSoLinger(true, 0); // RST, as a cut cable or a crashed peer's kernel would send
      }
      s.close();
    } catch (SocketException alreadyClosed) {
      // closing a reset socket
    } catch (IOException e) {
      // nothing to do: the connection is gone either way
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // closing
    }
    cut(true);
  }
}
