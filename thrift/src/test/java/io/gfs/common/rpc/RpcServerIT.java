package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.MasterService;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The RPC layer alone: a server with a one-method handler, attacked with bad bytes over raw sockets. */
class RpcServerIT {
  private RpcServer server;
  private RpcClients clients;
  private HostPort address;

  @BeforeEach
  void start() throws Exception {
    MasterService.Iface handler = (MasterService.Iface) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {MasterService.Iface.class}, (proxy, method, args) -> {
          if (method.getName().equals("getClusterStatus")) {
            return new ClusterStatus("test", List.of(), 1, 2, 3, 4);
          }
          throw new GfsException(ErrorCode.INVALID_ARGUMENT, "not in this test: " + method.getName());
        });
    RpcLimits limits = RpcLimits.defaults().withIdleTimeoutMillis(1500);
    server = RpcServer.start("test", new HostPort("127.0.0.1", 0), new MasterService.Processor<>(handler), limits);
    address = new HostPort("127.0.0.1", server.port());
    clients = new RpcClients(limits);
  }

  @AfterEach
  void stop() {
    clients.close();
    server.close();
  }

  private void assertServes() throws Exception {
    assertEquals("test", clients.master(address, MasterService.Client::getClusterStatus).getClusterName());
  }

  @Test
  void typedErrorsKeepTheConnectionUsable() throws Exception {
    GfsException e = assertThrows(GfsException.class, () -> clients.master(address, c -> c.getFileInfo("/x")));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode());
    assertServes();
  }

  /**
   * Issue 6: a small reply (every metadata call's) is written by the worker that made it, not handed to the selector
   * thread, and stays exact for calls one after another on one connection, errors between them included.
   */
  @Test
  void smallRepliesAreWrittenByTheWorkerItself() throws Exception {
    long before = server.repliesWrittenByWorkers();
    for (int call = 0; call < 20; call++) {
      assertServes();
      GfsException e = assertThrows(GfsException.class, () -> clients.master(address, c -> c.getFileInfo("/x")));
      assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode());
    }
    assertEquals(40, server.repliesWrittenByWorkers() - before);
  }

  @Test
  void garbageTruncatedAndOversizedFramesCloseOnlyTheirConnection() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    byte[] garbage = new byte[4096];
    for (int i = 0; i < garbage.length; i++) {
      garbage[i] = (byte) random.nextInt();
    }
    // A frame of random bytes with a plausible length.
    sendRaw(frame(garbage));
    // A frame whose header promises more than the limit allows.
    try (Socket s = new Socket(address.host(), address.port())) {
      new DataOutputStream(s.getOutputStream()).writeInt(Integer.MAX_VALUE - 1);
      assertClosedByServer(s);
    }
    // A truncated frame: the header says 1000 bytes, 10 arrive, then the client goes away.
    try (Socket s = new Socket(address.host(), address.port())) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(1000);
      out.write(new byte[10]);
      out.flush();
    }
    // A negative frame length.
    try (Socket s = new Socket(address.host(), address.port())) {
      new DataOutputStream(s.getOutputStream()).writeInt(-5);
      assertClosedByServer(s);
    }
    assertServes();
  }

  @Test
  void idleConnectionsAreReaped() throws Exception {
    try (Socket idle = new Socket(address.host(), address.port())) {
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (server.openConnections() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertClosedByServer(idle);
    }
    assertServes();
  }

  private void sendRaw(byte[] bytes) throws Exception {
    try (Socket s = new Socket(address.host(), address.port())) {
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      assertClosedByServer(s);
    }
  }

  private static byte[] frame(byte[] body) {
    byte[] out = new byte[body.length + 4];
    out[0] = (byte) (body.length >>> 24);
    out[1] = (byte) (body.length >>> 16);
    out[2] = (byte) (body.length >>> 8);
    out[3] = (byte) body.length;
    System.arraycopy(body, 0, out, 4, body.length);
    return out;
  }

  /** The server ends the connection: reads hit end-of-stream or a reset within the socket timeout. */
  private static void assertClosedByServer(Socket s) throws Exception {
    s.setSoTimeout(15_000);
    InputStream in = s.getInputStream();
    boolean closed;
    try {
      int b;
      do {
        b = in.read();
      } while (b >= 0);
      closed = true;
    } catch (SocketException reset) {
      closed = true;
    }
    assertTrue(closed);
  }
}
