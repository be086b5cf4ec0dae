package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.transport.TMemoryBuffer;
import org.apache.thrift.transport.TMemoryInputTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.Test;

/** Frames as libthrift's framed transport writes them, with the write buffer kept (up to a bound) between messages. */
class KeptBufferFramedTransportTest {
  private static final int FRAME_MAX = 16 << 20;

  @Test
  void framesAreWhatTFramedTransportReadsAndTheBufferIsKept() throws Exception {
    TMemoryBuffer wire = new TMemoryBuffer(new TConfiguration(FRAME_MAX, FRAME_MAX, 64), 1024);
    KeptBufferFramedTransport out = new KeptBufferFramedTransport(wire, FRAME_MAX);
    byte[] piece = new byte[1 << 20];
    Arrays.fill(piece, (byte) 7);
    out.write(new byte[] {1, 2, 3}, 0, 3);
    out.write(piece, 0, piece.length);
    out.flush();
    int kept = out.bufferCapacityBytes();
    assertTrue(kept >= piece.length + 3 && kept <= KeptBufferFramedTransport.KEPT_BYTES_MAX, "kept " + kept);
    out.write(new byte[] {9}, 0, 1);
    out.flush();
    assertEquals(kept, out.bufferCapacityBytes(), "a small message after a big one reuses the buffer");

    byte[] bytes = Arrays.copyOf(wire.getArray(), wire.length());
    assertEquals(4 + 3 + piece.length + 4 + 1, bytes.length);
    assertEquals(3 + piece.length, ByteBuffer.wrap(bytes, 0, 4).getInt(), "big-endian frame length");
    TFramedTransport in = new TFramedTransport(new TMemoryInputTransport(new TConfiguration(FRAME_MAX, FRAME_MAX,
        64), bytes), FRAME_MAX);
    byte[] first = new byte[3 + piece.length];
    in.readAll(first, 0, first.length);
    assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(first, 3));
    assertEquals(7, first[first.length - 1]);
    byte[] second = new byte[1];
    in.readAll(second, 0, 1);
    assertEquals(9, second[0]);
  }

  @Test
  void aBufferGrownPastTheBoundIsDroppedAfterItsMessage() throws Exception {
    TMemoryBuffer wire = new TMemoryBuffer(new TConfiguration(FRAME_MAX, FRAME_MAX, 64), 1024);
    KeptBufferFramedTransport out = new KeptBufferFramedTransport(wire, FRAME_MAX);
    byte[] big = new byte[KeptBufferFramedTransport.KEPT_BYTES_MAX + 1];
    out.write(big, 0, big.length);
    out.flush();
    assertTrue(out.bufferCapacityBytes() < 1 << 20, "dropped: " + out.bufferCapacityBytes());
    assertEquals(4 + big.length, wire.length());
  }

  @Test
  void fieldsAfterABigBinaryDoNotRegrowTheBuffer() throws Exception {
    TMemoryBuffer wire = new TMemoryBuffer(new TConfiguration(FRAME_MAX, FRAME_MAX, 64), 1024);
    KeptBufferFramedTransport out = new KeptBufferFramedTransport(wire, FRAME_MAX);
    byte[] piece = new byte[1 << 20];
    byte[] trailer = new byte[200]; // pushData's fields after the piece: last, lengths, CRC, chain, token
    for (int message = 0; message < 3; message++) {
      out.write(new byte[40], 0, 40);
      out.write(piece, 0, piece.length);
      out.write(trailer, 0, trailer.length);
      out.flush();
    }
    int kept = out.bufferCapacityBytes();
    assertTrue(kept >= 40 + piece.length + trailer.length && kept <= KeptBufferFramedTransport.KEPT_BYTES_MAX,
        "a pushData-sized message is kept, not doubled past the bound and dropped: " + kept);
    assertEquals(3 * (4 + 40 + piece.length + trailer.length), wire.length());
  }

  /**
   * Reading, as libthrift's framed transport reads: frames of the wire in order; one asked to land in the caller's
   * array lands there when it fits (views of it are views of that array), and a frame too big for it, or the next one,
   * gets an array of its own.
   */
  @Test
  void aFrameIsReadIntoTheCallersArrayOnlyWhenAskedAndWhenItFits() throws Exception {
    TConfiguration configuration = new TConfiguration(FRAME_MAX, FRAME_MAX, 64);
    TMemoryBuffer wire = new TMemoryBuffer(configuration, 1024);
    KeptBufferFramedTransport out = new KeptBufferFramedTransport(wire, FRAME_MAX);
    byte[][] messages = {{1, 2, 3}, new byte[100_000], {4, 5}, {6}};
    Arrays.fill(messages[1], (byte) 9);
    for (byte[] message : messages) {
      out.write(message, 0, message.length);
      out.flush();
    }
    KeptBufferFramedTransport in = new KeptBufferFramedTransport(new TMemoryInputTransport(configuration,
        Arrays.copyOf(wire.getArray(), wire.length())), FRAME_MAX);
    byte[] mine = new byte[10];
    in.readNextFrameInto(mine);
    byte[] first = new byte[3];
    in.readAll(first, 0, 3);
    assertArrayEquals(messages[0], first);
    assertTrue(in.getBuffer() == mine, "the first frame was read into the caller's array");
    assertArrayEquals(messages[0], Arrays.copyOf(mine, 3));

    in.readNextFrameInto(mine); // too small for the 100,000-byte frame: that one gets its own array
    byte[] second = new byte[messages[1].length];
    in.readAll(second, 0, second.length);
    assertArrayEquals(messages[1], second);
    assertTrue(in.getBuffer() != mine);
    assertArrayEquals(messages[0], Arrays.copyOf(mine, 3), "the caller's array is left alone");

    byte[] third = new byte[2];
    in.readAll(third, 0, 2); // not asked: a fresh array
    assertArrayEquals(messages[2], third);
    assertTrue(in.getBuffer() != mine);
    in.readNextFrameInto(mine);
    assertEquals(6, in.read(new byte[1], 0, 1) == 1 ? in.getBuffer()[0] : -1);
    assertTrue(in.getBuffer() == mine);
  }

  /** A wire that keeps every array it was handed (to see which were sent from where they lay) and can fail a write. */
  private static final class RecordingWire extends TMemoryBuffer {
    final List<byte[]> arraysWritten = new ArrayList<>();
    boolean failWrites;

    RecordingWire() throws TTransportException {
      super(new TConfiguration(FRAME_MAX, FRAME_MAX, 64), 1024);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      if (failWrites) {
        throw new IllegalStateException("the wire is down");
      }
      arraysWritten.add(bytes);
      super.write(bytes, offset, length);
    }

    byte[] bytes() {
      return Arrays.copyOf(getArray(), length());
    }
  }

  /** A pushData-like message: fields before the piece, the piece, fields after it. */
  private static void writeMessage(KeptBufferFramedTransport out, int message, byte[] piece, int from, int length)
      throws TTransportException {
    byte[] head = new byte[40];
    Arrays.fill(head, (byte) message);
    out.write(head, 0, head.length);
    out.write(piece, from, length);
    byte[] trailer = new byte[200];
    Arrays.fill(trailer, (byte) -message);
    out.write(trailer, 0, trailer.length);
    out.flush();
  }

  /**
   * A client's transport sends a big write from the caller's array (the array itself reaches the wire, the buffer does
   * not grow to hold it) and the frames are byte for byte the plain transport's, for many messages on one connection
   * whose caller refills the same array between them (as the push buffer reuses its arrays); smaller writes are copied.
   */
  @Test
  void aClientSendsABigWriteFromWhereItLiesAndTheFramesAreTheSame() throws Exception {
    RecordingWire inPlaceWire = new RecordingWire();
    TMemoryBuffer copiedWire = new TMemoryBuffer(new TConfiguration(FRAME_MAX, FRAME_MAX, 64), 1024);
    KeptBufferFramedTransport inPlace = KeptBufferFramedTransport.forCalls(inPlaceWire, FRAME_MAX);
    KeptBufferFramedTransport copied = new KeptBufferFramedTransport(copiedWire, FRAME_MAX);
    int min = KeptBufferFramedTransport.SENT_IN_PLACE_BYTES_MIN;
    int[] lengths = {1 << 20, min, min - 1, 1, 300_000, (1 << 20) - 7};
    byte[] reused = new byte[(1 << 20) + 16];
    int bigOnes = 0;
    for (int message = 0; message < 30; message++) {
      int length = lengths[message % lengths.length];
      int from = message % 3;
      for (int i = 0; i < reused.length; i++) {
        reused[i] = (byte) (i * 31 + message * 7 + (i >>> 9));
      }
      int before = inPlaceWire.arraysWritten.size();
      writeMessage(inPlace, message, reused, from, length);
      writeMessage(copied, message, reused, from, length);
      boolean big = length >= min;
      bigOnes += big ? 1 : 0;
      assertEquals(big, inPlaceWire.arraysWritten.subList(before, inPlaceWire.arraysWritten.size()).contains(reused),
          "message " + message + " of " + length + " bytes sent from the caller's array: " + big);
      assertArrayEquals(Arrays.copyOf(copiedWire.getArray(), copiedWire.length()), inPlaceWire.bytes(),
          "the same frames after message " + message);
    }
    assertEquals(bigOnes, inPlace.writesSentInPlace());
    assertTrue(inPlace.bufferCapacityBytes() < 2 * min, "only the copied writes (under 64 KiB) grew the buffer, never a"
        + " big piece: " + inPlace.bufferCapacityBytes());
    assertEquals(0, copied.writesSentInPlace(), "a server's transport copies as before");
  }

  /** A frame whose write failed leaves nothing of its big write behind: the next message is only itself. */
  @Test
  void aFailedFlushDropsTheBigWrite() throws Exception {
    RecordingWire wire = new RecordingWire();
    KeptBufferFramedTransport out = KeptBufferFramedTransport.forCalls(wire, FRAME_MAX);
    byte[] piece = new byte[1 << 20];
    out.write(piece, 0, piece.length);
    wire.failWrites = true;
    assertThrows(IllegalStateException.class, out::flush);
    wire.failWrites = false;
    out.write(new byte[] {5}, 0, 1);
    out.flush();
    assertArrayEquals(new byte[] {0, 0, 0, 1, 5}, wire.bytes());
    assertTrue(wire.arraysWritten.stream().noneMatch(a -> a == piece));
  }

  /**
   * A streamed frame is read from the wire as the protocol asks for its bytes: the binary field asked for lands in the
   * caller's array at the offset it named (a view of that range comes back), a binary too big for the room gets an
   * array of its own, the rest of a streamed frame the protocol left unread is skipped, and the frames after it are
   * read whole as before.
   */
  @Test
  void aStreamedFramesBinaryLandsInTheCallersArrayAndTheNextFramesReadAsBefore() throws Exception {
    TConfiguration configuration = new TConfiguration(FRAME_MAX, FRAME_MAX, 64);
    TMemoryBuffer wire = new TMemoryBuffer(configuration, 1024);
    KeptBufferFramedTransport out = new KeptBufferFramedTransport(wire, FRAME_MAX);
    org.apache.thrift.protocol.TBinaryProtocol writer = new org.apache.thrift.protocol.TBinaryProtocol(out);
    byte[] piece = new byte[300_000];
    new java.util.Random(5).nextBytes(piece);
    for (int message = 0; message < 4; message++) {
      writer.writeI32(1000 + message);
      writer.writeBinary(ByteBuffer.wrap(piece, message, piece.length - message));
      writer.writeI64(7000 + message);
      out.flush();
    }
    KeptBufferFramedTransport in = new KeptBufferFramedTransport(new TMemoryInputTransport(configuration,
        Arrays.copyOf(wire.getArray(), wire.length())), FRAME_MAX);
    DirectBinaryProtocol reader = new DirectBinaryProtocol(in, FRAME_MAX, 1000);
    byte[] callers = new byte[piece.length + 20];

    in.streamNextFrame(true);
    reader.readNextBinaryInto(callers, 10, piece.length);
    assertEquals(1000, reader.readI32());
    ByteBuffer landed = reader.readBinary();
    assertTrue(landed.hasArray() && landed.array() == callers && landed.arrayOffset() == 10,
        "a view of the caller's array at the offset it named");
    assertEquals(piece.length, landed.remaining());
    assertArrayEquals(piece, Arrays.copyOfRange(callers, 10, 10 + piece.length));
    assertEquals(0, callers[9], "nothing before the range");
    assertEquals(0, callers[10 + piece.length], "nothing after it");
    assertEquals(7000, reader.readI64());
    assertEquals(1, in.framesStreamed());

    in.streamNextFrame(true);
    assertEquals(1001, reader.readI32());
    reader.readNextBinaryInto(callers, 0, 100); // too small: the binary gets its own array
    ByteBuffer own = reader.readBinary();
    assertTrue(own.array() != callers);
    assertArrayEquals(Arrays.copyOfRange(piece, 1, piece.length), Arrays.copyOfRange(own.array(),
        own.arrayOffset() + own.position(), own.arrayOffset() + own.limit()));
    assertEquals(7001, reader.readI64());
    assertEquals(2, in.framesStreamed());

    assertEquals(1002, reader.readI32()); // not asked: read whole, the binary a view of the frame
    ByteBuffer third = reader.readBinary();
    assertTrue(third.array() == in.getBuffer());
    assertEquals(piece.length - 2, third.remaining());
    assertEquals(7002, reader.readI64());
    assertEquals(2, in.framesStreamed(), "only the frames asked for are streamed");
    in.streamNextFrame(true);
    in.streamNextFrame(false); // cancelled
    assertEquals(1003, reader.readI32());
    ByteBuffer fourth = reader.readBinary();
    assertTrue(fourth.array() == in.getBuffer());
    assertEquals(piece.length - 3, fourth.remaining());
    assertEquals(7003, reader.readI64());
    assertEquals(2, in.framesStreamed());
  }
}
