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
