package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.ReadResult;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.junit.jupiter.api.Test;

/**
 * The server's reply protocol and buffer: a big binary in a direct buffer is spliced in by reference, not copied, and
 * the reply's frame - staged for the socket or materialized for TLS - is byte for byte what libthrift writes for the
 * same reply in heap bytes; small direct binaries, and a second big one, are copied in.
 */
class ReplyBufferTest {
  private static final TConfiguration CONFIGURATION = new TConfiguration(16 << 20, 16 << 20, 64);
  private static final RpcLimits LIMITS = RpcLimits.defaults();

  private static byte[] random(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static ByteBuffer direct(byte[] bytes) {
    return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
  }

  /** A read reply message (header and result struct) written with {@code protocol}. */
  private static void writeReply(TProtocol protocol, ByteBuffer data, long chunkLengthBytes) throws Exception {
    ReadResult result = new ReadResult().setChunkLengthBytes(chunkLengthBytes);
    assertTrue(ThriftBinary.set(result, "data", data));
    protocol.writeMessageBegin(new TMessage("read", TMessageType.REPLY, 7));
    new ChunkServerService.read_result().setSuccess(result).write(protocol);
    protocol.writeMessageEnd();
  }

  /** What libthrift writes for the reply with the same bytes on the heap. */
  private static byte[] heapReply(byte[] data, long chunkLengthBytes) throws Exception {
    ReplyBuffer heap = ReplyBuffer.forReply(CONFIGURATION, 256);
    writeReply(new TBinaryProtocol(heap), ByteBuffer.wrap(data), chunkLengthBytes);
    assertNull(heap.segment());
    return Arrays.copyOf(heap.getArray(), heap.length());
  }

  private static byte[] concatenated(ByteBuffer[] parts) {
    int total = 0;
    for (ByteBuffer part : parts) {
      total += part.remaining();
    }
    ByteBuffer all = ByteBuffer.allocate(total);
    for (ByteBuffer part : parts) {
      all.put(part.duplicate());
    }
    return all.array();
  }

  @Test
  void aBigDirectPieceIsSplicedAndTheFrameIsWhatLibthriftWrites() throws Exception {
    byte[] data = random(1 << 20, 1);
    byte[] expected = heapReply(data, 5L << 20);
    ReplyBuffer reply = ReplyBuffer.forReply(CONFIGURATION, 256);
    writeReply(new DiagnosticProcessor.ReplyProtocol(reply, LIMITS), direct(data), 5L << 20);

    assertNotNull(reply.segment(), "the piece was copied, not spliced");
    assertTrue(reply.arrayLength() < 100, "array holds " + reply.arrayLength() + " bytes");
    assertEquals(expected.length, reply.length());
    byte[] frame = concatenated(DirectReply.frameParts(reply, ByteBuffer.allocateDirect(DirectReply.SLICE_BYTES)));
    assertEquals(expected.length, ByteBuffer.wrap(frame).getInt(), "frame length");
    assertArrayEquals(expected, Arrays.copyOfRange(frame, 4, frame.length), "staged frame");

    reply.materialize(); // the TLS path
    assertNull(reply.segment());
    assertArrayEquals(expected, Arrays.copyOf(reply.getArray(), reply.length()), "materialized reply");
  }

  @Test
  void smallDirectPiecesAndASecondBigOneAreCopiedIn() throws Exception {
    for (int length : new int[] {0, 1, 4096, ReplyBuffer.SPLICE_BYTES_MIN - 1}) {
      byte[] data = random(length, length);
      ReplyBuffer reply = ReplyBuffer.forReply(CONFIGURATION, 256);
      writeReply(new DiagnosticProcessor.ReplyProtocol(reply, LIMITS), direct(data), length);
      assertNull(reply.segment(), "spliced " + length + " bytes");
      assertArrayEquals(heapReply(data, length), Arrays.copyOf(reply.getArray(), reply.length()), "length " + length);
    }
    byte[] first = random(ReplyBuffer.SPLICE_BYTES_MIN, 2);
    byte[] second = random(ReplyBuffer.SPLICE_BYTES_MIN + 3, 3);
    ReplyBuffer reply = ReplyBuffer.forReply(CONFIGURATION, 256);
    TProtocol protocol = new DiagnosticProcessor.ReplyProtocol(reply, LIMITS);
    protocol.writeBinary(direct(first));
    protocol.writeBinary(direct(second));
    assertNotNull(reply.segment());
    assertEquals(first.length, reply.segment().remaining(), "only the first is spliced");
    reply.materialize();
    ReplyBuffer heap = ReplyBuffer.forReply(CONFIGURATION, 256);
    TProtocol plain = new TBinaryProtocol(heap);
    plain.writeBinary(ByteBuffer.wrap(first));
    plain.writeBinary(ByteBuffer.wrap(second));
    assertArrayEquals(Arrays.copyOf(heap.getArray(), heap.length()), Arrays.copyOf(reply.getArray(), reply.length()));
  }
}
