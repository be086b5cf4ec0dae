package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.transport.TMemoryBuffer;
import org.junit.jupiter.api.Test;

/** Which frames the selector thread runs itself: strict binary calls of a named method, a request id allowed. */
class SelectorCallsTest {
  private static final byte[][] NAMED = {bytes("getFileInfo"), bytes("listStatusPage")};

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A frame as the selector holds it once read: its 4-byte length, then the message. */
  private static ByteBuffer frame(String name, byte type, boolean strict) throws Exception {
    TMemoryBuffer memory = new TMemoryBuffer(64);
    TBinaryProtocol protocol = new TBinaryProtocol(memory, strict, strict);
    protocol.writeMessageBegin(new TMessage(name, type, 1));
    protocol.writeStructBegin(null);
    protocol.writeFieldStop();
    byte[] message = memory.getArray();
    int length = memory.length();
    ByteBuffer frame = ByteBuffer.allocate(length + 4).putInt(length).put(message, 0, length);
    return frame;
  }

  @Test
  void namedCallsWithOrWithoutARequestIdRunOnTheSelector() throws Exception {
    assertTrue(SelectorCalls.callsOneOf(frame("getFileInfo", TMessageType.CALL, true), NAMED));
    assertTrue(SelectorCalls.callsOneOf(frame("listStatusPage#c1-42", TMessageType.CALL, true), NAMED));
  }

  @Test
  void otherCallsAndBadFramesGoToAWorker() throws Exception {
    assertFalse(SelectorCalls.callsOneOf(frame("mkdirs", TMessageType.CALL, true), NAMED));
    assertFalse(SelectorCalls.callsOneOf(frame("getFileInfoX", TMessageType.CALL, true), NAMED), "longer name");
    assertFalse(SelectorCalls.callsOneOf(frame("getFile", TMessageType.CALL, true), NAMED), "prefix of a name");
    assertFalse(SelectorCalls.callsOneOf(frame("getFileInfo", TMessageType.ONEWAY, true), NAMED), "not a call");
    assertFalse(SelectorCalls.callsOneOf(frame("getFileInfo", TMessageType.CALL, false), NAMED), "not strict");
    ByteBuffer truncated = ByteBuffer.allocate(14).putInt(10).putInt(0x80010001).putInt(100).put(bytes("ge"));
    assertFalse(SelectorCalls.callsOneOf(truncated, NAMED), "name longer than the frame");
    assertFalse(SelectorCalls.callsOneOf(ByteBuffer.allocate(6).putInt(2), NAMED), "frame shorter than a header");
    assertFalse(SelectorCalls.callsOneOf(null, NAMED));
  }
}
