package io.gfs.common.rpc;

import io.gfs.common.GfsConfigKeys;
import org.apache.thrift.transport.TMemoryInputTransport;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.TTransportFactory;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * Thrift's framed transport with a write buffer kept between messages. libthrift's {@link TFramedTransport} shrinks
 * its buffer back to 1 KiB after every flush, so every 1 MiB pushData piece grew it again by doubling: ten copies and
 * about 2 MiB of garbage per piece, the top CPU consumer of the write path in the benchmark's JFR profile
 * (docs/benchmarks.md); servers had the same on every reply (a 1 MiB read). Reading works as libthrift's (a fresh array
 * per frame, which the binary protocol may hand out without copying), except that a caller may have the next frame
 * read into an array it owns ({@link #readNextFrameInto}); the wire format is the same: a 4-byte big-endian length,
 * then the message.
 *
 * <p>A client's transport ({@link #forCalls}) also sends a big write (a pushed piece) from where it lies instead of
 * copying it into the buffer: the piece is kept by reference at its place in the frame and written between the bytes
 * before and after it when the frame is flushed. Copying it in cost one more 1 MiB copy per piece on the client and on
 * every chunkserver forwarding it. The generated code writes a message and flushes it within one call, and a caller's
 * bytes are not changed while its call runs, so the reference is never read after they change; flush drops it.
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
  /** The frame being read (libthrift's own is private, so reading is done here too, the same way). */
  private final TMemoryInputTransport frame;
  private final byte[] frameLength = new byte[LENGTH_BYTES];
  /** Where the next frame is read if it fits, instead of a fresh array; for that one frame only. */
  private byte[] nextFrameInto;
  /** The next frame is read from the socket as the protocol asks for its bytes instead of whole first. */
  private boolean streamNextFrame;
  /** Bytes of the frame being streamed not yet read from the socket; 0 when no frame is streamed. */
  private int streamedBytesLeft;
  /** Frames streamed, for tests. */
  private long framesStreamed;
  private static final byte[] NO_BYTES = new byte[0];
  /** Writes at least this big are sent from where they lie (a client's transport only): copying pays on small ones. */
  static final int SENT_IN_PLACE_BYTES_MIN = 64 << 10;
  private final boolean sendsInPlace;
  /** A big write's bytes, which belong between buffer[0, inPlaceAt) and buffer[inPlaceAt, used); or null. */
  private byte[] inPlace;
  private int inPlaceFrom;
  private int inPlaceLength;
  private int inPlaceAt;
  /** Writes sent from where they lay, for tests. */
  private long writesSentInPlace;

  KeptBufferFramedTransport(TTransport transport, int frameBytesMax) throws TTransportException {
    this(transport, frameBytesMax, false);
  }

  private KeptBufferFramedTransport(TTransport transport, int frameBytesMax, boolean sendsInPlace)
      throws TTransportException {
    super(transport, frameBytesMax);
    this.frame = new TMemoryInputTransport(transport.getConfiguration(), new byte[0]);
    this.sendsInPlace = sendsInPlace;
  }

  /**
   * A client connection's transport: as the plain one, and a big write is sent from the caller's array at flush
   * instead of being copied in, so the caller must not change those bytes until the message is flushed (a generated
   * client's call writes and flushes its request before it returns).
   */
  static KeptBufferFramedTransport forCalls(TTransport transport, int frameBytesMax) throws TTransportException {
    return new KeptBufferFramedTransport(transport, frameBytesMax, true);
  }

  /**
   * Reads the next frame into {@code target} (from its start) when it fits, instead of a fresh array: for a caller
   * that owns the array and reads the reply's binary fields as views of it (a reader's piece), saving a 1 MiB
   * allocation and its zeroing per piece. The caller must not touch the array until it has read the reply, and
   * nothing else keeps views of it. Applies to the next frame only; null cancels.
   */
  void readNextFrameInto(byte[] target) {
    nextFrameInto = target;
  }

  /**
   * Reads the next frame from the socket as the protocol asks for its bytes, instead of whole into an array first: a
   * big binary field is then read straight from the socket into wherever the protocol puts it
   * ({@link DirectBinaryProtocol#readNextBinaryInto}, a reader's own array), one 1 MiB copy per piece fewer. The
   * frame's length is checked as for any frame and reads never go past its end (the next frame's length is read only
   * once this one is used up, as with a frame read whole). Applies to the next frame only; false cancels.
   */
  void streamNextFrame(boolean stream) {
    streamNextFrame = stream;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws TTransportException {
    if (streamedBytesLeft > 0) {
      return readStreamed(bytes, offset, length);
    }
    int n = frame.read(bytes, offset, length);
    if (n > 0) {
      return n;
    }
    readFrame();
    if (streamedBytesLeft > 0) {
      return readStreamed(bytes, offset, length);
    }
    return frame.read(bytes, offset, length);
  }

  private int readStreamed(byte[] bytes, int offset, int length) throws TTransportException {
    int n = getInnerTransport().read(bytes, offset, Math.min(length, streamedBytesLeft));
    if (n > 0) {
      streamedBytesLeft -= n;
    }
    return n;
  }

  @Override
  public byte[] getBuffer() {
    return frame.getBuffer();
  }

  @Override
  public int getBufferPosition() {
    return frame.getBufferPosition();
  }

  @Override
  public int getBytesRemainingInBuffer() {
    return frame.getBytesRemainingInBuffer();
  }

  @Override
  public void consumeBuffer(int length) {
    frame.consumeBuffer(length);
  }

  @Override
  public void clear() {
    frame.clear();
  }

  /** As libthrift's framed transport reads a frame: its length, checked, then the whole frame at once. */
  private void readFrame() throws TTransportException {
    resetMessageSizeAndConsumedBytes();
    getInnerTransport().readAll(frameLength, 0, LENGTH_BYTES);
    int size = decodeFrameSize(frameLength);
    int max = getInnerTransport().getConfiguration().getMaxFrameSize();
    if (size < 0 || size > max) {
      close();
      throw new TTransportException(TTransportException.CORRUPTED_DATA, "Frame size (" + size + ") outside [0, "
          + max + "]");
    }
    boolean streamed = streamNextFrame;
    streamNextFrame = false;
    if (streamed) {
      nextFrameInto = null;
      streamedBytesLeft = size;
      framesStreamed++;
      frame.reset(NO_BYTES); // nothing in memory: the protocol reads every field through read()
      resetMessageSizeAndConsumedBytes(size);
      return;
    }
    byte[] target = nextFrameInto != null && nextFrameInto.length >= size ? nextFrameInto : new byte[size];
    nextFrameInto = null;
    getInnerTransport().readAll(target, 0, size);
    frame.reset(target, 0, size);
    resetMessageSizeAndConsumedBytes(size);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    if (sendsInPlace && inPlace == null && length >= SENT_IN_PLACE_BYTES_MIN) {
      inPlace = bytes;
      inPlaceFrom = offset;
      inPlaceLength = length;
      inPlaceAt = used;
      return;
    }
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
    byte[] piece = inPlace;
    used = LENGTH_BYTES;
    inPlace = null; // never kept past its message, even when the write below fails
    if (buffer.length > KEPT_BYTES_MAX) {
      buffer = new byte[INITIAL_BYTES];
    }
    if (piece == null) {
      encodeFrameSize(frameLength - LENGTH_BYTES, frame);
      getInnerTransport().write(frame, 0, frameLength);
    } else {
      encodeFrameSize(frameLength - LENGTH_BYTES + inPlaceLength, frame);
      getInnerTransport().write(frame, 0, inPlaceAt);
      getInnerTransport().write(piece, inPlaceFrom, inPlaceLength);
      getInnerTransport().write(frame, inPlaceAt, frameLength - inPlaceAt);
      writesSentInPlace++;
    }
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

  /**
   * Queues what remains of a spliced frame's parts ({@link DirectReply#frameParts}) that {@link DirectReply} began
   * writing: each part's remaining bytes go to the inner transport, a direct part through a small array at a time.
   */
  void writeRest(java.nio.ByteBuffer[] parts) throws TTransportException {
    io.gfs.common.Check.state(used == LENGTH_BYTES, "a framed message is being written");
    byte[] chunk = null;
    for (java.nio.ByteBuffer part : parts) {
      while (part.hasRemaining()) {
        if (chunk == null) {
          chunk = new byte[REST_CHUNK_BYTES];
        }
        int n = Math.min(part.remaining(), chunk.length);
        part.get(chunk, 0, n);
        getInnerTransport().write(chunk, 0, n);
      }
    }
    getInnerTransport().flush();
  }

  /** The piece of a direct part copied out at a time when the socket refused it. */
  private static final int REST_CHUNK_BYTES = 64 << 10;

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

  /** Frames read from the socket as the protocol asked for their bytes ({@link #streamNextFrame}), for tests. */
  long framesStreamed() {
    return framesStreamed;
  }

  /** Big writes sent from where they lay instead of copied into the buffer, for tests. */
  long writesSentInPlace() {
    return writesSentInPlace;
  }
}
