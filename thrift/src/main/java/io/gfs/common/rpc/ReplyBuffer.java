package io.gfs.common.rpc;

import org.apache.thrift.TConfiguration;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;

/**
 * Where a server worker's processor writes one reply before it is logged and sent. A big reply (a 1 MiB read) goes to
 * the worker's own buffer, kept between calls: a fresh one per call was a 1 MiB allocation per read, the largest
 * allocation site of a sequential read in the benchmark's JFR profile (886 MB per GiB read). The worker logs and sends
 * the reply before it takes its next call, so nothing reads a kept buffer after it is reused; a small reply gets a
 * buffer of its own, which the diagnostic log may keep (rendered later). Write-only.
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
  private int length;

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

  int length() {
    return length;
  }

  @Override
  public void write(byte[] source, int offset, int count) {
    if (count > bytes.length - length) {
      long wanted = Math.max((long) length + count, 2L * bytes.length);
      bytes = java.util.Arrays.copyOf(bytes, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
    }
    System.arraycopy(source, offset, bytes, length, count);
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
