package io.gfs.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gfs.thrift.gen.FileInfo;
import io.gfs.thrift.gen.MasterService;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TMemoryBuffer;
import org.junit.jupiter.api.Test;

class CallerEnvelopeTest {
  private final List<String> seen = new ArrayList<>();

  private MasterService.Iface recorder() {
    return (MasterService.Iface) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {MasterService.Iface.class}, (proxy, method, args) -> {
          Optional<Caller> caller = CallerEnvelope.current();
          seen.add(args[0] + " as " + caller.map(c -> c.user() + c.groups()).orElse("nobody"));
          return new FileInfo((String) args[0], true, 0, 0, 0, 0, 0);
        });
  }

  /** Sends one getFileInfo call through the client protocol and runs it through processor. */
  private void call(TProcessor processor, Caller caller, String path) throws Exception {
    TMemoryBuffer request = new TMemoryBuffer(1024);
    TMemoryBuffer reply = new TMemoryBuffer(1024);
    TBinaryProtocol out = new TBinaryProtocol(request);
    MasterService.Client client = new MasterService.Client(new TBinaryProtocol(reply),
        caller == null ? out : CallerEnvelope.sending(out, caller));
    client.send_getFileInfo(path);
    processor.process(new TBinaryProtocol(request), new TBinaryProtocol(reply));
    assertEquals(path, client.recv_getFileInfo().getPath());
  }

  @Test
  void theCallerTravelsWithEachCallAndIsGoneAfterIt() throws Exception {
    TProcessor served = CallerEnvelope.serve(new MasterService.Processor<>(recorder()));
    call(served, Caller.of("alice", "staff", "dev"), "/a");
    call(served, null, "/b");
    call(served, Caller.of("bob"), "/c");
    assertEquals(List.of("/a as alice[staff, dev]", "/b as nobody", "/c as bob[]"), seen);
    assertEquals(Optional.empty(), CallerEnvelope.current());
  }

  @Test
  void aServerThatDoesNotLookForTheCallerSkipsIt() throws Exception {
    call(new MasterService.Processor<>(recorder()), Caller.of("alice", "staff"), "/x");
    assertEquals(List.of("/x as nobody"), seen);
  }
}
