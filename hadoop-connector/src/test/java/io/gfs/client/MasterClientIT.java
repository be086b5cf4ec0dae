package io.gfs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.client.state.RetryPolicy;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.common.rpc.RpcServer;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.FileInfo;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.MasterService;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The master calls' retry rules, against a closed port and a tiny master on loopback. */
class MasterClientIT {
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @FunctionalInterface
  private interface FileInfoAnswer {
    FileInfo answer(String path) throws GfsException;
  }

  /** A master whose getFileInfo answers with the given behaviour; every other call fails. */
  private static RpcServer master(FileInfoAnswer getFileInfo) throws IOException {
    MasterService.Iface handler = (MasterService.Iface) Proxy.newProxyInstance(
        MasterService.Iface.class.getClassLoader(), new Class<?>[] {MasterService.Iface.class},
        (proxy, method, args) -> {
          if (method.getName().equals("getFileInfo")) {
            return getFileInfo.answer((String) args[0]);
          }
          throw new UnsupportedOperationException(method.getName());
        });
    return RpcServer.start("test-master", new HostPort("127.0.0.1", 0), new MasterService.Processor<>(handler),
        RpcLimits.defaults());
  }

  /** Hands out the addresses in order, one per locate() after an invalidate(). */
  private static final class ScriptedLocator implements MasterLocator {
    final List<HostPort> addresses;
    int next;
    int invalidations;

    ScriptedLocator(List<HostPort> addresses) {
      this.addresses = addresses;
    }

    @Override
    public HostPort locate() {
      return addresses.get(Math.min(next, addresses.size() - 1));
    }

    @Override
    public void invalidate(HostPort failed) {
      invalidations++;
      next++;
    }

    @Override
    public void redirect(HostPort master) {}

    @Override
    public void close() {}
  }

  @Test
  void anUnreachableMasterIsRetriedWithDoublingPausesThenReported() throws IOException {
    List<Long> pauses = new ArrayList<>();
    HostPort dead = new HostPort("127.0.0.1", closedPort());
    ScriptedLocator locator = new ScriptedLocator(List.of(dead));
    try (RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(2000))) {
      MasterClient client = new MasterClient(locator, rpc, new RetryPolicy(3, 10), pauses::add);
      IOException e = assertThrows(IOException.class, () -> client.call("status of /", c -> c.getFileInfo("/")));
      assertTrue(e.getMessage().contains("3 attempts") && e.getMessage().contains(dead.toString()), e.getMessage());
      assertEquals(List.of(10L, 20L), pauses);
      assertEquals(3, locator.invalidations, "every transport failure re-resolves the master");
    }
  }

  @Test
  void aTransportFailureReResolvesAndReachesTheNewMaster() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    try (RpcServer server = master(path -> {
          calls.incrementAndGet();
          return new FileInfo(path, true, 0, 0, 1 << 20, 0, 0);
        });
        RpcClients rpc = new RpcClients(RpcLimits.defaults())) {
      HostPort dead = new HostPort("127.0.0.1", closedPort());
      ScriptedLocator locator = new ScriptedLocator(List.of(dead, new HostPort("127.0.0.1", server.port())));
      MasterClient client = new MasterClient(locator, rpc, new RetryPolicy(3, 0), millis -> {});
      FileInfo info = client.call("status of /", c -> c.getFileInfo("/"));
      assertEquals("/", info.getPath());
      assertEquals(1, calls.get());
    }
  }

  @Test
  void typedAnswersAreNotRetried() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    try (RpcServer server = master(path -> {
          calls.incrementAndGet();
          throw RpcErrors.error(path.equals("/missing") ? ErrorCode.NOT_FOUND : ErrorCode.IS_DIRECTORY, path);
        });
        RpcClients rpc = new RpcClients(RpcLimits.defaults())) {
      ScriptedLocator locator = new ScriptedLocator(List.of(new HostPort("127.0.0.1", server.port())));
      MasterClient client = new MasterClient(locator, rpc, new RetryPolicy(5, 0), millis -> {});
      assertThrows(FileNotFoundException.class, () -> client.call("status", c -> c.getFileInfo("/missing")));
      GfsClientException e = assertThrows(GfsClientException.class,
          () -> client.call("status", c -> c.getFileInfo("/dir")));
      assertEquals(ErrorCode.IS_DIRECTORY, e.code());
      assertEquals(2, calls.get());
    }
  }

  @Test
  void busyIsRetried() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    try (RpcServer server = master(path -> {
          if (calls.incrementAndGet() < 3) {
            throw RpcErrors.error(ErrorCode.BUSY, "queue full");
          }
          return new FileInfo(path, true, 0, 0, 1 << 20, 0, 0);
        });
        RpcClients rpc = new RpcClients(RpcLimits.defaults())) {
      ScriptedLocator locator = new ScriptedLocator(List.of(new HostPort("127.0.0.1", server.port())));
      MasterClient client = new MasterClient(locator, rpc, new RetryPolicy(5, 0), millis -> {});
      assertEquals("/", client.call("status", c -> c.getFileInfo("/")).getPath());
      assertEquals(3, calls.get());
      assertEquals(0, locator.invalidations, "a busy master is still the master");
    }
  }
}
