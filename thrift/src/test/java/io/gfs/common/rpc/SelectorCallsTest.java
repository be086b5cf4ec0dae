package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import io.gfs.thrift.gen.MasterService;
import org.apache.thrift.TBase;
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

  /** A call's frame with its arguments. */
  private static ByteBuffer call(String name, TBase<?, ?> args) throws Exception {
    TMemoryBuffer memory = new TMemoryBuffer(64);
    TBinaryProtocol protocol = new TBinaryProtocol(memory);
    protocol.writeMessageBegin(new TMessage(name, TMessageType.CALL, 1));
    args.write(protocol);
    protocol.writeMessageEnd();
    int length = memory.length();
    return ByteBuffer.allocate(length + 4).putInt(length).put(memory.getArray(), 0, length);
  }

  /** A listing page with locations goes to a worker (it waits for the chunk coordinator's monitor in a master). */
  @Test
  void aBoolArgumentIsReadFromTheFrame() throws Exception {
    short withLocations = MasterService.listStatusPage_args._Fields.WITH_LOCATIONS.getThriftFieldId();
    assertTrue(SelectorCalls.boolArgument(call("listStatusPage#c1-42",
        new MasterService.listStatusPage_args("/a/b", "x", 10, true)), withLocations));
    assertFalse(SelectorCalls.boolArgument(call("listStatusPage",
        new MasterService.listStatusPage_args("/a/b", "", 10, false)), withLocations));
    MasterService.listStatusPage_args unset = new MasterService.listStatusPage_args();
    unset.setPath("/a");
    assertFalse(SelectorCalls.boolArgument(call("listStatusPage", unset), withLocations), "not sent: false");
    ByteBuffer cut = call("listStatusPage", new MasterService.listStatusPage_args("/a/b", "", 10, false));
    ByteBuffer truncated = ByteBuffer.wrap(cut.array(), 0, cut.capacity() - 4).slice();
    assertTrue(SelectorCalls.boolArgument(truncated, withLocations), "unreadable arguments go to a worker");
    ByteBuffer garbage = call("listStatusPage", new MasterService.listStatusPage_args("/a/b", "", 10, false));
    // The path's length: after the frame's length, version, name length, name, sequence id and the field's header.
    garbage.putInt(12 + "listStatusPage".length() + 4 + 1 + 2, 1 << 30);
    assertTrue(SelectorCalls.boolArgument(garbage, withLocations), "a string longer than the frame");
  }
}
