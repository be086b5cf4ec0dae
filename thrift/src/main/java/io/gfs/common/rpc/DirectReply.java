package io.gfs.common.rpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A reply written by the worker that made it (of any size, since issue 6's metadata work), straight from its buffer
 * to the connection, as far as the socket takes it at once. libthrift's nonblocking server has the worker copy a
 * reply into a fresh per-connection array (through the framed transport's buffer) and wake the selector thread to
 * write it; for a 1 MiB read reply that was two copies, a 1 MiB allocation and a thread hand-off per piece, most of
 * the chunkserver workers' samples in a sequential read profile. Only the part the socket refuses is handed to the
 * selector as before, so a client that stops reading never blocks a worker. Plain TCP only: a TLS connection's
 * engine belongs to the selector thread.
 *
 * <p>Safe because the selector leaves a connection alone while its frame is processed (libthrift clears the key's
 * interest until the worker's reply is ready), and the reply's rest is queued before the selector is woken.
 */
final class DirectReply {
  private static final int LENGTH_BYTES = 4;

  private DirectReply() {}

  /** The remote address of an accepted plain-TCP connection, carrying its channel to the worker answering on it. */
  static final class Address extends InetSocketAddress {
    private static final long serialVersionUID = 1L;
    final transient SocketChannel channel;

    Address(InetSocketAddress remote, SocketChannel channel) {
      super(remote.getAddress(), remote.getPort());
      this.channel = channel;
    }
  }

  /** The frame length that goes before a reply of {@code length} bytes. */
  static byte[] header(int length) {
    return ByteBuffer.allocate(LENGTH_BYTES).putInt(length).array();
  }

  /**
   * Writes the frame of reply[0, length) - its 4-byte length, then the bytes - to the channel as far as the socket
   * takes it without waiting, and returns how many of the frame's bytes went (0 to length + 4): the caller queues
   * the rest, unframed, for the selector. The bytes go through this thread's direct buffer a slice at a time (a heap
   * buffer handed to the channel is copied whole into a temporary direct one on every partial write).
   */
  static long writeAtOnce(SocketChannel channel, byte[] reply, int length) throws IOException {
    ByteBuffer staging = STAGING.get();
    long frameBytes = LENGTH_BYTES + (long) length;
    long written = 0;
    int from = 0; // next reply byte to stage
    staging.clear().putInt(length);
    while (true) {
      int slice = Math.min(staging.remaining(), length - from);
      staging.put(reply, from, slice).flip();
      from += slice;
      int staged = staging.remaining();
      int n = channel.write(staging);
      written += n;
      if (n < staged || written == frameBytes) {
        return written;
      }
      staging.clear();
    }
  }

  /**
   * Writes the frame of a reply with a spliced segment as far as the socket takes it at once, like
   * {@link #writeAtOnce(SocketChannel, byte[], int)}: one gathering write of the frame length and the array's head
   * (staged), the segment from where it lies (a direct buffer goes to the socket without any copy in user space), and
   * the array's tail (staged). Returns how many of the frame's bytes went; {@link #frameParts} gives the rest.
   */
  static long writeAtOnce(SocketChannel channel, ReplyBuffer reply) throws IOException {
    ByteBuffer[] parts = frameParts(reply, STAGING.get());
    long frameBytes = LENGTH_BYTES + (long) reply.length();
    long written = 0;
    while (written < frameBytes) {
      long offered = frameBytes - written;
      long n = channel.write(parts);
      written += n;
      if (n < offered) {
        return written;
      }
    }
    return written;
  }

  /**
   * The frame of a spliced reply as three buffers: the frame length and the array's head, the segment, the array's
   * tail. The head and tail are staged in {@code staging}, which must hold the array's bytes and the length.
   */
  static ByteBuffer[] frameParts(ReplyBuffer reply, ByteBuffer staging) {
    io.gfs.common.Check.state(reply.segment() != null, "no segment spliced");
    io.gfs.common.Check.argument(reply.arrayLength() + LENGTH_BYTES <= staging.capacity(),
        "head and tail of %s bytes do not fit a staging buffer of %s", reply.arrayLength(), staging.capacity());
    byte[] array = reply.getArray();
    int at = reply.segmentAt();
    staging.clear().putInt(reply.length()).put(array, 0, at);
    ByteBuffer head = staging.flip().slice();
    staging.limit(staging.capacity()).position(head.limit());
    staging.put(array, at, reply.arrayLength() - at);
    ByteBuffer tail = staging.flip().position(head.limit()).slice();
    return new ByteBuffer[] {head, reply.segment(), tail};
  }

  /** Whether a spliced reply's head and tail fit the staging buffer (else it is materialized and sent whole). */
  static boolean stageable(ReplyBuffer reply) {
    return reply.arrayLength() + LENGTH_BYTES <= SLICE_BYTES;
  }

  /** Bytes staged per socket write. */
  static final int SLICE_BYTES = 256 << 10;
  private static final ThreadLocal<ByteBuffer> STAGING =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(SLICE_BYTES));
}
