package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ReadResult;
import io.gfs.thrift.gen.ServerAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThriftTextTest {
  @Test
  void binaryFieldsShowOnlyTheirLengthWhereverTheySit() {
    byte[] secret = "0123456789abcdef-SECRET".getBytes();
    ChunkServerService.read_result result = new ChunkServerService.read_result();
    result.setSuccess(new ReadResult(ByteBuffer.wrap(secret), 7));
    String text = ThriftText.of(result);
    assertEquals("{success={data=<" + secret.length + " bytes>, chunkLengthBytes=7}}", text);
    assertFalse(text.contains("SECRET"));
    ChunkServerService.pushData_args args = new ChunkServerService.pushData_args(1, 0, ByteBuffer.wrap(secret), true,
        secret.length, 9, List.of(new ServerAddress("h", 1)), null);
    assertEquals("{dataId=1, pieceOffsetBytes=0, piece=<23 bytes>, last=true, totalLengthBytes=23, crc32c=9, "
        + "forwardTo=[{host=\"h\", port=1}]}", ThriftText.of(args));
  }

  @Test
  void unsetFieldsAreLeftOutAndEnumsAndExceptionsReadWell() {
    GfsException e = new GfsException(ErrorCode.NOT_PRIMARY, "ask the master");
    assertEquals("{code=NOT_PRIMARY, message=\"ask the master\"}", ThriftText.of(e));
    e.setHint("10.0.0.1:7710");
    assertTrue(ThriftText.of(e).endsWith(", hint=\"10.0.0.1:7710\"}"));
  }

  @Test
  void longStringsAndContainersAreCut() {
    List<ServerAddress> replicas = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      replicas.add(new ServerAddress("host" + i, i));
    }
    String text = ThriftText.of(new ChunkLocation(0, 1, 1, 0, replicas));
    assertTrue(text.contains("{host=\"host15\", port=15}, ...(40 in all)]"), text);
    assertFalse(text.contains("host16"), text);
    String longPath = "/a".repeat(500);
    String rendered = ThriftText.of(new ChunkServerService.copyChunkFrom_args(1, 1,
        new ServerAddress(longPath, 1), 0L, null));
    assertTrue(rendered.contains("...(1000 chars)"), rendered);
    assertTrue(rendered.length() < 400, rendered);
  }
}
