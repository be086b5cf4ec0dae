package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.MasterService;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.transport.TMemoryBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sender that declares a frame and stops in its middle holds the whole declared size in the server's memory: the
 * server closes such connections after the stalled-frame timeout, well before the idle timeout, while a slow sender
 * that keeps making progress is served.
 */
class RpcStalledFrameIT {
  private RpcServer server;
  private HostPort address;
  private RpcLimits limits;

  @BeforeEach
  void start() throws Exception {
    MasterService.Iface handler = (MasterService.Iface) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {MasterService.Iface.class}, (proxy, method, args) -> {
          if (method.getName().equals("getClusterStatus")) {
            return new ClusterStatus("stall", List.of(), 1, 2, 3, 4);
          }
          throw new GfsException(ErrorCode.INVALID_ARGUMENT, "not in this test");
        });
    limits = RpcLimits.defaults().withIdleTimeoutMillis(120_000);
    server = RpcServer.start("stall-test", new HostPort("127.0.0.1", 0), new MasterService.Processor<>(handler),
        limits);
    address = new HostPort("127.0.0.1", server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aFrameStalledHalfwayIsClosedBeforeTheIdleTimeout() throws Exception {
    long stalledMillis = RpcServer.stalledFrameTimeoutMillis(limits);
    assertTrue(stalledMillis < limits.idleTimeoutMillis());
    try (Socket stalled = new Socket(address.host(), address.port());
        Socket headerOnly = new Socket(address.host(), address.port())) {
      DataOutputStream out = new DataOutputStream(stalled.getOutputStream());
      out.writeInt(4 << 20);
      out.write(new byte[1000]);
      out.flush();
      new DataOutputStream(headerOnly.getOutputStream()).writeInt(4 << 20);
      long start = System.nanoTime();
      assertClosedWithin(stalled, stalledMillis * 3);
      assertClosedWithin(headerOnly, stalledMillis * 3);
      long closedAfterMillis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("RpcStalledFrameIT: stalled frames closed after %d ms (timeout %d ms, idle timeout %d ms)%n",
          closedAfterMillis, stalledMillis, limits.idleTimeoutMillis());
    }
    try (RpcClients clients = new RpcClients(limits)) {
      assertEquals("stall", clients.master(address, MasterService.Client::getClusterStatus).getClusterName());
    }
  }

  @Test
  void aSlowSenderThatKeepsSendingIsServed() throws Exception {
    TMemoryBuffer body = new TMemoryBuffer(64);
    TBinaryProtocol protocol = new TBinaryProtocol(body);
    protocol.writeMessageBegin(new TMessage("getClusterStatus", TMessageType.CALL, 1));
    protocol.writeFieldStop();
    protocol.writeMessageEnd();
    byte[] message = java.util.Arrays.copyOf(body.getArray(), body.length());
    try (Socket slow = new Socket(address.host(), address.port())) {
      DataOutputStream out = new DataOutputStream(slow.getOutputStream());
      out.writeInt(message.length);
      out.flush();
      for (byte b : message) {
        Thread.sleep(50);
        out.write(b);
        out.flush();
      }
      slow.setSoTimeout(20_000);
      DataInputStream in = new DataInputStream(slow.getInputStream());
      int length = in.readInt();
      assertTrue(length > 0 && length < 1 << 20, "a reply frame of " + length + " bytes");
    }
  }

  private static void assertClosedWithin(Socket s, long millis) throws Exception {
    s.setSoTimeout((int) millis);
    InputStream in = s.getInputStream();
    try {
      while (in.read() >= 0) {
        // drain until the server closes
      }
    } catch (SocketException reset) {
      // closed too
    }
  }
}
