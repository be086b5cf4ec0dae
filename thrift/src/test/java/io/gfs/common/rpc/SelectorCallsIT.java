package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.MasterService;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 6: calls a server names run on the selector thread that read them, not on a worker, while the server allows
 * it; they are logged, counted and answered (typed errors included) exactly like worker calls, on a connection that
 * goes on serving. The handler answers with the name of the thread it ran on.
 */
class SelectorCallsIT {
  private static final String WORKER = "selector-test-worker-";
  private final AtomicBoolean allowed = new AtomicBoolean(true);
  private RpcServer server;
  private RpcClients clients;
  private HostPort address;

  @BeforeEach
  void start() throws Exception {
    MasterService.Iface handler = (MasterService.Iface) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {MasterService.Iface.class}, (proxy, method, args) -> {
          String thread = Thread.currentThread().getName();
          if (method.getName().equals("getClusterStatus")) {
            return new ClusterStatus(thread, List.of(), 1, 2, 3, 4);
          }
          throw new GfsException(ErrorCode.NOT_FOUND, thread); // getFileInfo: a typed error naming the thread
        });
    RpcLimits limits = RpcLimits.defaults();
    server = RpcServer.start("selector-test", new HostPort("127.0.0.1", 0), new MasterService.Processor<>(handler),
        limits, DiagnosticLog.Settings.memoryOnly(100), new SelectorMethods(Set.of("getFileInfo"), allowed::get));
    address = new HostPort("127.0.0.1", server.port());
    clients = new RpcClients(limits);
  }

  @AfterEach
  void stop() {
    clients.close();
    server.close();
  }

  private String fileInfoThread() {
    GfsException e = assertThrows(GfsException.class, () -> clients.master(address, c -> c.getFileInfo("/x")));
    assertEquals(ErrorCode.NOT_FOUND, e.getCode());
    return e.getMessage();
  }

  private String statusThread() throws Exception {
    return clients.master(address, MasterService.Client::getClusterStatus).getClusterName();
  }

  @Test
  void namedCallsRunOnTheSelectorOthersOnWorkersOnOneConnection() throws Exception {
    long before = server.callsRunOnSelector();
    for (int call = 0; call < 10; call++) {
      String selector = fileInfoThread();
      assertFalse(selector.startsWith(WORKER), "getFileInfo ran on " + selector);
      String worker = statusThread();
      assertTrue(worker.startsWith(WORKER), "getClusterStatus ran on " + worker);
    }
    assertEquals(10, server.callsRunOnSelector() - before);
    List<RpcEvent> events = server.diagnostics().recentEvents();
    assertEquals(10, events.stream().filter(e -> e.method().equals("getFileInfo")
        && e.outcome().equals("NOT_FOUND")).count(), "each selector call is in the diagnostic log: " + events);
  }

  @Test
  void namedCallsGoToWorkersWhileTheServerDoesNotAllowIt() throws Exception {
    allowed.set(false);
    long before = server.callsRunOnSelector();
    for (int call = 0; call < 5; call++) {
      String thread = fileInfoThread();
      assertTrue(thread.startsWith(WORKER), "getFileInfo ran on " + thread);
    }
    assertEquals(0, server.callsRunOnSelector() - before);
    allowed.set(true);
    assertFalse(fileInfoThread().startsWith(WORKER));
  }
}
