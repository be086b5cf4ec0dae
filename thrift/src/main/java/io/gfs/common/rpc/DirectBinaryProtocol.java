package io.gfs.common.rpc;

import java.nio.ByteBuffer;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TProtocolException;
import org.apache.thrift.transport.TTransport;

/**
 * libthrift's binary protocol (same wire format, same limits), except that a caller may name the array the next
 * binary field is read into: a sequential reader has the next piece of a read reply land in its caller's array. Over a
 * frame streamed from the socket ({@link KeptBufferFramedTransport#streamNextFrame}) the piece then crosses user space
 * once (the JDK's socket buffer into that array) instead of three times (into the frame, then the caller's array).
 * Otherwise binaries are read as libthrift reads them: a view of the transport's buffer, or a fresh array.
 */
final class DirectBinaryProtocol extends TBinaryProtocol {
  private final long binaryBytesMax;
  private byte[] nextBinaryArray;
  private int nextBinaryOffset;
  private int nextBinaryRoom;

  DirectBinaryProtocol(TTransport transport, long stringBytesMax, long containerLengthMax) {
    super(transport, stringBytesMax, containerLengthMax, true, true);
    this.binaryBytesMax = stringBytesMax;
  }

  /**
   * The next binary field read goes into {@code array[offset, offset + room)} when it fits (a longer one gets an array
   * of its own), and is returned as a view of that range; for that field only. Null cancels.
   */
  void readNextBinaryInto(byte[] array, int offset, int room) {
    io.gfs.common.Check.argument(array == null || (offset >= 0 && room >= 0 && room <= array.length - offset),
        "range [%s, +%s) outside an array of %s", offset, room, array == null ? 0 : array.length);
    nextBinaryArray = array;
    nextBinaryOffset = offset;
    nextBinaryRoom = room;
  }

  @Override
  public ByteBuffer readBinary() throws TException {
    byte[] array = nextBinaryArray;
    if (array == null) {
      return super.readBinary();
    }
    nextBinaryArray = null;
    int size = readI32();
    if (size < 0) {
      throw new TProtocolException(TProtocolException.NEGATIVE_SIZE, "Negative length: " + size);
    }
    getTransport().checkReadBytesAvailable(size);
    if (binaryBytesMax != -1 && size > binaryBytesMax) {
      throw new TProtocolException(TProtocolException.SIZE_LIMIT, "Length exceeded max allowed: " + size);
    }
    if (size > nextBinaryRoom) {
      byte[] own = new byte[size];
      getTransport().readAll(own, 0, size);
      return ByteBuffer.wrap(own);
    }
    getTransport().readAll(array, nextBinaryOffset, size);
    return ByteBuffer.wrap(array, nextBinaryOffset, size).slice();
  }
}
