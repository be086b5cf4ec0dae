package io.gfs.common.rpc;

import java.nio.ByteBuffer;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TProtocolException;
import org.apache.thrift.transport.TTransport;

/**
 * Decodes a request or reply for the diagnostic log, where a binary is only ever shown as its length ({@link
 * ThriftText}): each binary comes back as a read-only view of shared zeros of its length, not of the frame. The
 * decoded struct then holds no file data and pins no frame, so it can be rendered later, off the RPC's thread, like
 * a small call's kept bytes. Everything else (strings included) is read as usual. Reads from a transport that has the
 * whole message in memory (a {@link org.apache.thrift.transport.TMemoryInputTransport}).
 */
class BinaryLengthProtocol extends TBinaryProtocol {
  /** What binaries are views of; replaced by a larger one when a longer binary comes. */
  private static volatile ByteBuffer zeros = ByteBuffer.allocate(8 << 10).asReadOnlyBuffer();
  private long binaryBytes;

  BinaryLengthProtocol(TTransport transport, RpcLimits limits) {
    super(transport, limits.stringBytesMax(), limits.containerLengthMax(), true, true);
  }

  /** Bytes of the binaries read so far, which the decoded struct does not hold. */
  long binaryBytes() {
    return binaryBytes;
  }

  @Override
  public ByteBuffer readBinary() throws TException {
    int size = readI32();
    TTransport transport = getTransport();
    int remaining = transport.getBytesRemainingInBuffer();
    if (size < 0 || size > remaining) {
      throw new TProtocolException(size < 0 ? TProtocolException.NEGATIVE_SIZE : TProtocolException.SIZE_LIMIT,
          "a binary of " + size + " bytes where " + remaining + " are left");
    }
    transport.consumeBuffer(size);
    return zerosOfLength(size);
  }

  /** A binary of {@code size} bytes that lives elsewhere (a spliced reply's segment): its length, no bytes. */
  ByteBuffer binaryElsewhere(int size) {
    return zerosOfLength(size);
  }

  private ByteBuffer zerosOfLength(int size) {
    binaryBytes += size;
    ByteBuffer shared = zeros;
    if (shared.capacity() < size) {
      // Grown by doubling at least, so a server sees a handful of these at most (binaries are bounded by the frame).
      shared = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8L, Math.max(size, 2L * shared.capacity())))
          .asReadOnlyBuffer();
      zeros = shared;
    }
    return shared.slice(0, size);
  }
}
