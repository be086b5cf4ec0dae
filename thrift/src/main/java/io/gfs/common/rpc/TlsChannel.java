package io.gfs.common.rpc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * TLS over one accepted non-blocking socket, for the selector server (libthrift's non-blocking transports have no
 * TLS). Reads and writes keep the non-blocking contract the server's frame buffers rely on: {@link #read} returns the
 * plaintext bytes available now (0 if none, -1 at end of stream) and {@link #write} the plaintext bytes consumed.
 *
 * <p>Two details keep the selector loop from stalling. A read decrypts everything the socket holds until the caller's
 * buffer is full, so no complete request waits in this object for a socket event that will not come (gfs clients
 * send one request and wait for its reply). A write whose encrypted bytes the socket did not take at once reports
 * its last plaintext byte as not yet written: the server then keeps the connection interested in writability and
 * calls again, which sends the rest before that byte is reported. Handshake messages (a few KiB) are written
 * directly, waiting at most {@link #HANDSHAKE_WRITE_WAIT_MILLIS}; a peer that does not read them is dropped.
 */
final class TlsChannel {
  static final long HANDSHAKE_WRITE_WAIT_MILLIS = 2000;
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final SocketChannel channel;
  private final SSLEngine engine;
  /** Encrypted bytes read and not yet decrypted (write mode). */
  private ByteBuffer netIn;
  /** Decrypted bytes not yet handed out (read mode). */
  private ByteBuffer appIn;
  /** Encrypted bytes not yet sent (read mode). */
  private ByteBuffer netOut;
  /** The last byte of the caller's buffer, reported unwritten until {@link #netOut} drained. */
  private boolean heldBack;

  TlsChannel(SocketChannel channel, SSLEngine engine) {
    this.channel = channel;
    this.engine = engine;
    this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
    this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize()).flip();
  }

  int read(ByteBuffer dst) throws IOException {
    int n = drainAppIn(dst);
    while (dst.hasRemaining()) {
      SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
      if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
        runTasks();
        continue;
      }
      if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
        wrapHandshake();
        continue;
      }
      if (netIn.position() == 0) {
        int got = channel.read(netIn);
        if (got < 0) {
          return n > 0 ? n : -1;
        }
        if (got == 0) {
          return n;
        }
      }
      netIn.flip();
      appIn.compact();
      SSLEngineResult result;
      try {
        result = engine.unwrap(netIn, appIn);
      } finally {
        appIn.flip();
        netIn.compact();
      }
      switch (result.getStatus()) {
        case OK -> n += drainAppIn(dst);
        case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize(), true);
        case BUFFER_UNDERFLOW -> {
          if (!netIn.hasRemaining()) {
            netIn = grow(netIn, engine.getSession().getPacketBufferSize(), false);
          }
          int got = channel.read(netIn);
          if (got < 0) {
            return n > 0 ? n : -1;
          }
          if (got == 0) {
            return n;
          }
        }
        case CLOSED -> {
          return n > 0 ? n : -1;
        }
        default -> throw new SSLException("unexpected TLS status " + result.getStatus());
      }
    }
    return n;
  }

  int write(ByteBuffer src) throws IOException {
    if (!flushSome()) {
      return 0;
    }
    if (heldBack) {
      heldBack = false;
      src.position(src.position() + 1);
      return 1;
    }
    int consumed = 0;
    while (src.hasRemaining()) {
      netOut.clear();
      SSLEngineResult result;
      try {
        result = engine.wrap(src, netOut);
      } finally {
        netOut.flip();
      }
      consumed += result.bytesConsumed();
      switch (result.getStatus()) {
        case OK -> {
          if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            runTasks();
          }
        }
        case BUFFER_OVERFLOW -> netOut = grow(netOut, engine.getSession().getPacketBufferSize(), true);
        case CLOSED -> throw new SSLException("TLS connection closed");
        default -> throw new SSLException("unexpected TLS status " + result.getStatus());
      }
      if (!flushSome()) {
        if (!src.hasRemaining() && consumed > 0) {
          src.position(src.position() - 1);
          consumed--;
          heldBack = true;
        }
        break;
      }
    }
    return consumed;
  }

  /** Sends a close_notify if the socket takes it now; the caller closes the socket after. */
  void closeQuietly() {
    try {
      engine.closeOutbound();
      if (flushSome()) {
        netOut.clear();
        engine.wrap(EMPTY, netOut);
        netOut.flip();
        flushSome();
      }
    } catch (IOException | RuntimeException ignored) {
      // the connection is going away either way
    }
  }

  private int drainAppIn(ByteBuffer dst) {
    int n = Math.min(appIn.remaining(), dst.remaining());
    if (n > 0) {
      ByteBuffer slice = appIn.slice(appIn.position(), n);
      dst.put(slice);
      appIn.position(appIn.position() + n);
    }
    return n;
  }

  private void wrapHandshake() throws IOException {
    flushWaiting();
    netOut.clear();
    SSLEngineResult result;
    try {
      result = engine.wrap(EMPTY, netOut);
    } finally {
      netOut.flip();
    }
    if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
      netOut = grow(netOut, engine.getSession().getPacketBufferSize(), true);
    } else if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
      throw new SSLException("TLS connection closed during the handshake");
    }
    flushWaiting();
  }

  /** Writes what the socket takes now; true when nothing is left pending. */
  private boolean flushSome() throws IOException {
    while (netOut.hasRemaining()) {
      if (channel.write(netOut) == 0) {
        return false;
      }
    }
    return true;
  }

  private void flushWaiting() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HANDSHAKE_WRITE_WAIT_MILLIS);
    while (!flushSome()) {
      if (System.nanoTime() > deadline) {
        throw new SSLException("the peer does not read its TLS handshake");
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SSLException("interrupted during a TLS handshake");
      }
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
  }

  /** A larger copy; {@code readMode} buffers keep their unread bytes readable, write-mode ones their written bytes. */
  private static ByteBuffer grow(ByteBuffer buffer, int atLeast, boolean readMode) {
    ByteBuffer grown = ByteBuffer.allocate(Math.max(atLeast, buffer.capacity() * 2));
    if (readMode) {
      grown.put(buffer).flip();
    } else {
      grown.put(buffer.flip());
    }
    return grown;
  }
}
