package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.common.HostPort;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Garbage, oversized and truncated frames close only their own connection; the chunkserver goes on serving. */
class RpcEdgeIT extends ThreeChunkServersTest {

  @BeforeEach
  void assignAChunk() throws Exception {
    cluster.assign(1, 1, true, 0, 60_000, 0);
  }

  RpcEdgeIT() {
    super(1L);
  }

  /** Sends raw bytes and expects the server to close the connection (end of stream or reset) within 20 s. */
  private void assertClosedAfter(byte[] bytes, boolean halfClose) throws IOException {
    HostPort address = cluster.address(0);
    try (Socket socket = new Socket(address.host(), address.port())) {
      socket.setSoTimeout(20_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.write(bytes);
      out.flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
      InputStream in = socket.getInputStream();
      try {
        while (true) {
          int b = in.read();
          if (b < 0) {
            return; // closed
          }
        }
      } catch (SocketException e) {
        return; // reset: closed as well
      }
    }
  }

  private void assertStillServes() throws TException {
    assertEquals(0, cluster.call(0, c -> c.read(1, 1, 0, 10, null)).getChunkLengthBytes());
  }

  @Test
  void badFramesCloseOnlyTheirConnection() throws Exception {
    assertStillServes(); // a pooled connection opened before the garbage
    assertClosedAfter(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array(), false);
    assertClosedAfter(ByteBuffer.allocate(4).putInt(-7).array(), false);
    byte[] garbage = new byte[24];
    ByteBuffer.wrap(garbage).putInt(20).putLong(0xdeadbeefcafebabeL);
    assertClosedAfter(garbage, false);
    assertClosedAfter(ByteBuffer.allocate(14).putInt(100).array(), true); // truncated, then end of stream
    assertStillServes();
  }

  @Test
  void oversizedFieldsAreRefusedAndOversizedFramesCloseTheConnection() throws Exception {
    HostPort address = cluster.address(0);
    // A client without the limits the server enforces.
    TConfiguration loose = new TConfiguration(64 << 20, 64 << 20, 64);
    try (TSocket socket = new TSocket(loose, address.host(), address.port(), 20_000)) {
      TFramedTransport transport = new TFramedTransport(socket, 64 << 20);
      transport.open();
      ChunkServerService.Client client = new ChunkServerService.Client(new TBinaryProtocol(transport));
      // A 3 MiB binary field fits the 8 MiB frame but not the 2 MiB string limit: refused by the protocol layer.
      byte[] big = new byte[3 << 20];
      assertThrows(TApplicationException.class,
          () -> client.pushData(5, 0, ByteBuffer.wrap(big), true, big.length, 0, List.of(), null));
      // A 9 MiB frame is over the frame limit: the connection is closed.
      byte[] huge = new byte[9 << 20];
      assertThrows(TTransportException.class,
          () -> client.pushData(6, 0, ByteBuffer.wrap(huge), true, huge.length, 0, List.of(), null));
    }
    assertFalse(cluster.get(0).pushBuffer().contains(5));
    assertFalse(cluster.get(0).pushBuffer().contains(6));
    assertStillServes();
    // Through the proper client an over-long piece is a typed error, not a dropped connection.
    GfsException e = assertThrows(GfsException.class, () -> cluster.call(0, c -> {
      c.pushData(5, 0, ByteBuffer.allocate((1 << 20) + 1), false, 2 << 20, 0, List.of(), null);
      return null;
    }));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode());
    assertStillServes();
  }
}
