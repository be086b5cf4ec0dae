package io.gfs.common.rpc;

import java.nio.ByteBuffer;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;

/**
 * Where a server worker's processor writes one reply before it is logged and sent. A big reply (a 1 MiB read) goes to
 * the worker's own buffer, kept between calls: a fresh one per call was a 1 MiB allocation per read, the largest
 * allocation site of a sequential read in the benchmark's JFR profile (886 MB per GiB read). The worker logs and sends
 * the reply before it takes its next call, so nothing reads a kept buffer after it is reused; a small reply gets a
 * buffer of its own, which the diagnostic log may keep (rendered later). Write-only.
 *
 * <p>A big binary field held in a direct buffer (a read's verified piece, read from the chunk file straight into the
 * worker's direct buffer) is not copied in: it is spliced, kept by reference at its place in the reply, and written to
 * a plain-TCP socket from where it lies ({@link DirectReply}); a connection the worker cannot write itself gets the
 * reply {@link #materialize materialized}. Before this, a 1 MiB piece was copied three times in user space on its way
 * out (the JDK's temporary direct buffer to the worker's array, into this buffer, into the socket's staging buffer).
 */
final class ReplyBuffer extends TTransport {
  /** Replies expected above this size use the worker's kept buffer. */
  static final int KEPT_FROM_BYTES = DiagnosticProcessor.LAZY_BYTES_MAX;
  /** A kept buffer grown past this (more than a piece plus headroom) is dropped after its reply. */
  static final int KEPT_BYTES_MAX = KeptBufferFramedTransport.KEPT_BYTES_MAX;
  private static final ThreadLocal<ReplyBuffer> KEPT = new ThreadLocal<>();

  private final TConfiguration configuration;
  private final boolean kept;
  private byte[] bytes;
  /** Bytes in the array (a spliced segment's are not among them). */
  private int length;
  /** A spliced binary's bytes, which belong between array[0, segmentAt) and array[segmentAt, length); or null. */
  private ByteBuffer segment;
  private int segmentAt;
  /** Binaries smaller than this are copied in: a splice pays for itself only on big ones. */
  static final int SPLICE_BYTES_MIN = 64 << 10;

  private ReplyBuffer(TConfiguration configuration, int capacityBytes, boolean kept) {
    this.configuration = configuration;
    this.bytes = new byte[Math.max(capacityBytes, 64)];
    this.kept = kept;
  }

  /**
   * An empty buffer for a reply expected to be about {@code expectedBytes}: this thread's kept one when that is big,
   * else a fresh one of that size.
   */
  static ReplyBuffer forReply(TConfiguration configuration, int expectedBytes) {
    if (expectedBytes <= KEPT_FROM_BYTES) {
      return new ReplyBuffer(configuration, expectedBytes, false);
    }
    ReplyBuffer buffer = KEPT.get();
    if (buffer == null || buffer.configuration != configuration) {
      buffer = new ReplyBuffer(configuration, expectedBytes, true);
      KEPT.set(buffer);
    }
    buffer.length = 0;
    buffer.segment = null;
    if (buffer.bytes.length > KEPT_BYTES_MAX) {
      buffer.bytes = new byte[Math.min(expectedBytes, KEPT_BYTES_MAX)];
    }
    return buffer;
  }

  /** Whether the array is this thread's, reused by its next reply: whoever keeps the bytes must copy them. */
  boolean kept() {
    return kept;
  }

  byte[] getArray() {
    return bytes;
  }

  /** The reply's bytes, a spliced segment's included. */
  int length() {
    return segment == null ? length : length + segment.remaining();
  }

  /** The bytes in the array: the whole reply unless a segment is spliced. */
  int arrayLength() {
    return length;
  }

  /** The spliced binary's bytes (a view: reading it does not move the original), or null. */
  ByteBuffer segment() {
    return segment == null ? null : segment.duplicate();
  }

  /** Where the spliced segment goes in the array's bytes. */
  int segmentAt() {
    return segmentAt;
  }

  /**
   * Takes {@code binary}'s remaining bytes by reference as the reply's next bytes, if it is big and no other segment
   * is spliced; false means the caller copies them in. The caller keeps the bytes unchanged until the reply is sent
   * (a worker's own buffer, reused only by its next call).
   */
  boolean splice(ByteBuffer binary) {
    if (segment != null || binary.remaining() < SPLICE_BYTES_MIN) {
      return false;
    }
    segment = binary.slice();
    segmentAt = length;
    return true;
  }

  /** Copies a spliced segment into the array at its place, so the array holds the whole reply. */
  void materialize() {
    if (segment == null) {
      return;
    }
    int segmentBytes = segment.remaining();
    int tailBytes = length - segmentAt;
    ensureRoom(segmentBytes);
    System.arraycopy(bytes, segmentAt, bytes, segmentAt + segmentBytes, tailBytes);
    segment.get(0, bytes, segmentAt, segmentBytes);
    length += segmentBytes;
    segment = null;
  }

  private void ensureRoom(int count) {
    if (count > bytes.length - length) {
      long wanted = Math.max((long) length + count, 2L * bytes.length);
      bytes = java.util.Arrays.copyOf(bytes, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
    }
  }

  @Override
  public void write(byte[] source, int offset, int count) {
    ensureRoom(count);
    System.arraycopy(source, offset, bytes, length, count);
    length += count;
  }

  /** Copies {@code source}'s remaining bytes in, its position left alone (a direct one with no temporary array). */
  void writeFrom(ByteBuffer source) {
    int count = source.remaining();
    ensureRoom(count);
    source.get(source.position(), bytes, length, count);
    length += count;
  }

  @Override
  public int read(byte[] target, int offset, int count) throws TTransportException {
    throw new TTransportException(TTransportException.UNKNOWN, "a reply buffer is write-only");
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public void open() {}

  @Override
  public void close() {}

  @Override
  public TConfiguration getConfiguration() {
    return configuration;
  }

  @Override
  public void updateKnownMessageSize(long size) {}

  @Override
  public void resetMessageSizeAndConsumedBytes(long newSize) {}

  @Override
  public void checkReadBytesAvailable(long numBytes) {}
}
