package io.gfs.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.transport.TMemoryBuffer;
import org.junit.jupiter.api.Test;

class RequestIdTest {
  @Test
  void anIdSurvivesTheMessageNameRoundTrip() {
    RequestId id = RequestId.firstOf(new UUID(-1L, 42L)).withCallId(7);
    String tagged = id.tag("create");
    assertEquals("create", RequestId.methodName(tagged));
    assertEquals(id, RequestId.parse(tagged));
    assertNull(RequestId.parse("create"));
    assertNull(RequestId.parse("create#rid=nothex"), "a malformed id is no id");
    assertEquals("rename", RequestId.methodName("rename"));
  }

  /** Tag and parse are written by hand (issue 6): the wire form stays the one String.format wrote. */
  @Test
  void theWireFormIsUnchangedAndMalformedIdsAreNoIds() {
    java.util.Random random = new java.util.Random(6);
    for (int i = 0; i < 2000; i++) {
      long high = i == 0 ? 0 : random.nextLong();
      long low = i == 1 ? -1 : random.nextLong();
      long call = i == 2 ? Long.MAX_VALUE : (random.nextLong() & Long.MAX_VALUE) >>> random.nextInt(63);
      RequestId id = new RequestId(high, low, call);
      String tagged = id.tag("mkdirs");
      assertEquals("mkdirs#rid=" + String.format(java.util.Locale.ROOT, "%016x%016x.%x", high, low, call), tagged);
      assertEquals(id, RequestId.parse(tagged));
    }
    String digits = "0123456789abcdef0123456789abcdef";
    for (String bad : List.of(digits, digits + ".", digits + ".12345678901234567", digits.substring(1) + ".1",
        digits.toUpperCase() + ".1", digits + "1.1", digits + "x1", digits + ".g", digits + ".1.")) {
      assertNull(RequestId.parse("create#rid=" + bad), bad);
    }
    assertEquals(new RequestId(0x0123456789abcdefL, 0x0123456789abcdefL, 0xfL),
        RequestId.parse("create#rid=" + digits + ".f"));
  }

  @Test
  void theProcessorStripsTheIdAndShowsItToTheHandlerWhileTheCallRuns() throws Exception {
    TMemoryBuffer wire = new TMemoryBuffer(256);
    RequestIdProtocol client = new RequestIdProtocol(new TBinaryProtocol(wire));
    RequestId id = RequestId.firstOf(UUID.randomUUID()).withCallId(3);
    client.tagNext(id);
    client.writeMessageBegin(new TMessage("create", TMessageType.CALL, 9));
    client.writeMessageEnd();
    client.writeMessageBegin(new TMessage("getFileInfo", TMessageType.CALL, 10)); // the tag is used once
    client.writeMessageEnd();
    List<String> seen = new ArrayList<>();
    RequestIdProcessor processor = new RequestIdProcessor((in, out) -> {
      TMessage m = in.readMessageBegin();
      seen.add(m.name + "/" + m.seqid + "/" + RequestIdProcessor.current());
    });
    TBinaryProtocol server = new TBinaryProtocol(wire);
    processor.process(server, server);
    processor.process(server, server);
    assertEquals(List.of("create/9/" + id, "getFileInfo/10/null"), seen);
    assertNull(RequestIdProcessor.current(), "cleared after the call");
  }
}
