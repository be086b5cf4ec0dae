package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.ServerAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.transport.TMemoryBuffer;
import org.apache.thrift.transport.TMemoryInputTransport;
import org.junit.jupiter.api.Test;

/** A server reads each received frame in place: messages decode as before, and a pushed piece is a view of the frame. */
class ReceivedFrameTransportTest {
  private static final int FRAME_MAX = 16 << 20;
  private static final TConfiguration CONFIG = new TConfiguration(FRAME_MAX, FRAME_MAX, 64);

  @Test
  void pushedPieceIsReadFromTheReceivedFrameWithoutACopy() throws Exception {
    byte[] piece = new byte[1 << 20];
    Arrays.fill(piece, (byte) 7);
    piece[0] = 1;
    piece[piece.length - 1] = 2;
    byte[] frame = frame(41, piece);
    // As libthrift's nonblocking server does: one memory transport per connection, reset to each new frame.
    TMemoryInputTransport received = new TMemoryInputTransport(CONFIG);
    TBinaryProtocol in = new TBinaryProtocol(new ReceivedFrameTransport.Factory().getTransport(received));

    received.reset(frame);
    ChunkServerService.pushData_args args = read(in, "pushData");
    assertEquals(41, args.getDataId());
    assertEquals(List.of(new ServerAddress("h", 7)), args.getForwardTo());
    ByteBuffer view = ThriftBinary.view(args, "piece");
    assertEquals(piece.length, view.remaining());
    byte[] got = new byte[piece.length];
    view.duplicate().get(got);
    assertArrayEquals(piece, got);
    assertSame(frame, ((ByteBuffer) readField(args)).array(), "the piece shares the received frame's array");

    byte[] small = frame(42, new byte[] {5, 6});
    received.reset(small);
    ChunkServerService.pushData_args second = read(in, "pushData");
    assertEquals(42, second.getDataId(), "the next frame's length prefix is skipped too");
    assertArrayEquals(new byte[] {5, 6}, second.getPiece());
  }

  private static ChunkServerService.pushData_args read(TBinaryProtocol in, String method) throws Exception {
    TMessage message = in.readMessageBegin();
    assertEquals(method, message.name);
    ChunkServerService.pushData_args args = new ChunkServerService.pushData_args();
    args.read(in);
    in.readMessageEnd();
    return args;
  }

  private static Object readField(ChunkServerService.pushData_args args) throws Exception {
    java.lang.reflect.Field f = ChunkServerService.pushData_args.class.getDeclaredField("piece");
    f.setAccessible(true);
    return f.get(args);
  }

  /** A pushData call as a client frames it: 4-byte length, then the message. */
  private static byte[] frame(long dataId, byte[] piece) throws Exception {
    TMemoryBuffer message = new TMemoryBuffer(CONFIG, 1024);
    TBinaryProtocol out = new TBinaryProtocol(message);
    out.writeMessageBegin(new TMessage("pushData", TMessageType.CALL, 1));
    new ChunkServerService.pushData_args(dataId, 0, ByteBuffer.wrap(piece), true, piece.length, 0,
        List.of(new ServerAddress("h", 7)), null).write(out);
    out.writeMessageEnd();
    byte[] frame = new byte[4 + message.length()];
    ByteBuffer.wrap(frame).putInt(message.length());
    System.arraycopy(message.getArray(), 0, frame, 4, message.length());
    return frame;
  }
}
