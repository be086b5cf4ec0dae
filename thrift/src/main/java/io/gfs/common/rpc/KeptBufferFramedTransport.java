package io.gfs.common.rpc;

import io.gfs.common.GfsConfigKeys;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.TTransportFactory;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * Thrift's framed transport with a write buffer kept between messages. libthrift's {@link TFramedTransport} shrinks
 * its buffer back to 1 KiB after every flush, so every 1 MiB pushData piece grew it again by doubling: ten copies and
 * about 2 MiB of garbage per piece, the top CPU consumer of the write path in the benchmark's JFR profile
 * (docs/benchmarks.md); servers had the same on every reply (a 1 MiB read). Reading is libthrift's, unchanged (a fresh array per frame, which the binary protocol may hand
 * out without copying), and so is the wire format: a 4-byte big-endian length, then the message.
 */
final class KeptBufferFramedTransport extends TFramedTransport {
  /**
   * A buffer grown past one data piece plus headroom (a pushData call's size) is dropped after its message, so an idle
   * pooled connection holds at most this much.
   */
  static final int KEPT_BYTES_MAX = (int) GfsConfigKeys.DATA_PIECE_BYTES_MAX + (64 << 10);
  private static final int INITIAL_BYTES = 4096;
  private static final int LENGTH_BYTES = 4;
  /**
   * Room left after a write that grows the buffer, for the fields that follow a big binary. Without it, a buffer grown
   * to exactly fit a 1 MiB piece doubled on the next byte (a 2 MiB array and a 1 MiB copy) and, being then over
   * {@link #KEPT_BYTES_MAX}, was dropped: every piece paid for 3 MiB of garbage and two copies.
   */
  static final int GROWTH_HEADROOM_BYTES = 16 << 10;

  private byte[] buffer = new byte[INITIAL_BYTES];
  /** Bytes in the buffer, the 4 reserved for the frame length included. */
  private int used = LENGTH_BYTES;

  KeptBufferFramedTransport(TTransport transport, int frameBytesMax) throws TTransportException {
    super(transport, frameBytesMax);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    if (length > buffer.length - used) {
      long needed = (long) used + length;
      long wanted = Math.max(needed + GROWTH_HEADROOM_BYTES, 2L * buffer.length);
      byte[] grown = new byte[(int) Math.min(wanted, Integer.MAX_VALUE - 8)];
      System.arraycopy(buffer, 0, grown, 0, used);
      buffer = grown;
    }
    System.arraycopy(bytes, offset, buffer, used, length);
    used += length;
  }

  @Override
  public void flush() throws TTransportException {
    byte[] frame = buffer;
    int frameLength = used;
    used = LENGTH_BYTES;
    if (buffer.length > KEPT_BYTES_MAX) {
      buffer = new byte[INITIAL_BYTES];
    }
    encodeFrameSize(frameLength - LENGTH_BYTES, frame);
    getInnerTransport().write(frame, 0, frameLength);
    getInnerTransport().flush();
  }

  /**
   * Queues the rest of a frame that {@link DirectReply} began writing to the socket itself: the bytes go to the inner
   * transport as they are, without a frame header of their own. Nothing may be buffered for a frame of this
   * transport's own.
   */
  void writeRest(byte[] header, int headerFrom, byte[] reply, int replyFrom, int replyTo) throws TTransportException {
    io.gfs.common.Check.state(used == LENGTH_BYTES, "a framed message is being written");
    if (headerFrom < header.length) {
      getInnerTransport().write(header, headerFrom, header.length - headerFrom);
    }
    getInnerTransport().write(reply, replyFrom, replyTo - replyFrom);
    getInnerTransport().flush();
  }

  /** For servers: every connection's output framed with a kept buffer (reading stays libthrift's). */
  static final class Factory extends TTransportFactory {
    private final int frameBytesMax;

    Factory(int frameBytesMax) {
      this.frameBytesMax = frameBytesMax;
    }

    @Override
    public TTransport getTransport(TTransport base) throws TTransportException {
      return new KeptBufferFramedTransport(base, frameBytesMax);
    }
  }

  /** The buffer's capacity now, for tests. */
  int bufferCapacityBytes() {
    return buffer.length;
  }
}
