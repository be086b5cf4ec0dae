package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.ReadResult;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TMemoryBuffer;
import org.junit.jupiter.api.Test;

/** Binary fields read and set without the generated accessors' copies, and encoded exactly as the setters' are. */
class ThriftBinaryTest {
  @Test
  void aViewSharesTheStructsBytes() {
    byte[] frame = new byte[100];
    Arrays.fill(frame, (byte) 5);
    ReadResult result = new ReadResult().setChunkLengthBytes(7);
    assertNull(ThriftBinary.view(result, "data"), "unset field");
    assertTrue(ThriftBinary.set(result, "data", ByteBuffer.wrap(frame, 10, 50)));
    ByteBuffer view = ThriftBinary.view(result, "data");
    assertEquals(50, view.remaining());
    assertTrue(view.isReadOnly());
    frame[10] = 9;
    assertEquals(9, view.get(view.position()), "no copy: the view sees the frame");
    assertNull(ThriftBinary.view(result, "noSuchField"));
  }

  /** shared: the field's own array (for a CRC or a file write over a received record), its own position. */
  @Test
  void theSharedBufferIsTheFieldsOwnArray() {
    byte[] frame = new byte[100];
    ReadResult result = new ReadResult().setChunkLengthBytes(7);
    assertNull(ThriftBinary.shared(result, "data"), "unset field");
    assertTrue(ThriftBinary.set(result, "data", ByteBuffer.wrap(frame, 10, 50)));
    ByteBuffer shared = ThriftBinary.shared(result, "data");
    assertSame(frame, shared.array());
    assertEquals(10, shared.arrayOffset() + shared.position());
    assertEquals(50, shared.remaining());
    shared.position(shared.limit());
    assertEquals(50, ThriftBinary.shared(result, "data").remaining(), "the field's own position is untouched");
    assertNull(ThriftBinary.shared(result, "noSuchField"));
  }

  @Test
  void aPieceSetWithoutCopyEncodesLikeTheGeneratedSetter() throws Exception {
    byte[] piece = new byte[4096];
    for (int i = 0; i < piece.length; i++) {
      piece[i] = (byte) (i * 31);
    }
    ChunkServerService.pushData_args copied = new ChunkServerService.pushData_args().setDataId(1).setPiece(
        ByteBuffer.wrap(piece, 100, 2000)).setLast(true).setTotalLengthBytes(2000).setCrc32c(3);
    ChunkServerService.pushData_args shared = new ChunkServerService.pushData_args().setDataId(1).setLast(true)
        .setTotalLengthBytes(2000).setCrc32c(3);
    ByteBuffer slice = ByteBuffer.wrap(piece, 100, 2000);
    assertTrue(ThriftBinary.set(shared, "piece", slice));
    assertSame(slice, rawPiece(shared));
    assertTrue(Arrays.equals(encode(copied), encode(shared)));
  }

  private static ByteBuffer rawPiece(ChunkServerService.pushData_args args) throws Exception {
    java.lang.reflect.Field f = args.getClass().getDeclaredField("piece");
    f.setAccessible(true);
    return (ByteBuffer) f.get(args);
  }

  private static byte[] encode(org.apache.thrift.TBase<?, ?> struct) throws Exception {
    TMemoryBuffer out = new TMemoryBuffer(1024);
    struct.write(new TBinaryProtocol(out));
    return Arrays.copyOf(out.getArray(), out.length());
  }
}
