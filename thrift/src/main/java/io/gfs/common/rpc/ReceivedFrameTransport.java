package io.gfs.common.rpc;

import org.apache.thrift.TConfiguration;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.TTransportFactory;

/**
 * A server's input: the frame the selector thread has already read whole, read in place. libthrift's nonblocking
 * server reads each frame, its 4-byte length included, into a fresh array and hands it over as a memory transport; a
 * {@link org.apache.thrift.transport.layered.TFramedTransport} on top (the usual input factory) read the length and
 * then copied the whole frame into a second fresh array - every 1 MiB pushData piece was allocated and copied twice on
 * every chunkserver of the chain (the largest allocation site of the write path in the benchmark's JFR profile). This
 * transport skips the length and reads the first array directly, so a binary field (a pushed piece) is a view of it,
 * which nobody overwrites: the server allocates the next frame anew. The frame size was checked against the limit when
 * the selector read the length.
 */
final class ReceivedFrameTransport extends TTransport {
  private static final int LENGTH_BYTES = 4;
  private final TTransport frame;

  ReceivedFrameTransport(TTransport frame) {
    this.frame = frame;
  }

  /** Each invocation resets the memory transport to a new frame at position 0: step over its length prefix. */
  private void skipLength() {
    if (frame.getBufferPosition() == 0 && frame.getBytesRemainingInBuffer() >= LENGTH_BYTES) {
      frame.consumeBuffer(LENGTH_BYTES);
    }
  }

  @Override
  public boolean isOpen() {
    return frame.isOpen();
  }

  @Override
  public void open() throws TTransportException {
    frame.open();
  }

  @Override
  public void close() {
    frame.close();
  }

  @Override
  public int read(byte[] buf, int off, int len) throws TTransportException {
    skipLength();
    return frame.read(buf, off, len);
  }

  @Override
  public void write(byte[] buf, int off, int len) throws TTransportException {
    throw new TTransportException(TTransportException.UNKNOWN, "a received frame is read-only");
  }

  @Override
  public byte[] getBuffer() {
    skipLength();
    return frame.getBuffer();
  }

  @Override
  public int getBufferPosition() {
    skipLength();
    return frame.getBufferPosition();
  }

  @Override
  public int getBytesRemainingInBuffer() {
    skipLength();
    return frame.getBytesRemainingInBuffer();
  }

  @Override
  public void consumeBuffer(int len) {
    skipLength();
    frame.consumeBuffer(len);
  }

  @Override
  public TConfiguration getConfiguration() {
    return frame.getConfiguration();
  }

  @Override
  public void updateKnownMessageSize(long size) throws TTransportException {
    frame.updateKnownMessageSize(size);
  }

  @Override
  public void resetMessageSizeAndConsumedBytes(long newSize) throws TTransportException {
    frame.resetMessageSizeAndConsumedBytes(newSize);
  }

  @Override
  public void checkReadBytesAvailable(long numBytes) throws TTransportException {
    skipLength();
    frame.checkReadBytesAvailable(numBytes);
  }

  /** The input factory of an {@link RpcServer}. */
  static final class Factory extends TTransportFactory {
    @Override
    public TTransport getTransport(TTransport frame) {
      return new ReceivedFrameTransport(frame);
    }
  }
}
