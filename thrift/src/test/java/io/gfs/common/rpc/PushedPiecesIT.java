package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.common.HostPort;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ServerAddress;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pushed pieces as a client sends them (from the caller's array, {@link KeptBufferFramedTransport#forCalls}) arrive
 * exactly, with every field before and after the piece, for many pieces of every size class on one pooled connection
 * whose caller refills one array between calls, as a forwarding chunkserver's reused push-buffer arrays are. A real
 * RpcServer on loopback.
 */
class PushedPiecesIT {
  private RpcServer server;
  private RpcClients clients;
  private HostPort address;
  private final List<String> mismatches = new ArrayList<>();
  private final AtomicInteger received = new AtomicInteger();

  /** The bytes of a piece: a function of data id and position, so a shift, a stale or a foreign byte shows. */
  private static void fill(byte[] into, int from, long dataId, long offset, int length) {
    for (int i = 0; i < length; i++) {
      long at = offset + i;
      into[from + i] = (byte) (at * 31 + (at >>> 11) + dataId * 17);
    }
  }

  private static ServerAddress chainOf(long dataId) {
    return new ServerAddress("host-" + dataId, (int) (1 + dataId % 60_000));
  }

  @BeforeEach
  void start() throws Exception {
    ChunkServerService.Iface handler = (ChunkServerService.Iface) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {ChunkServerService.Iface.class}, (proxy, method, args) -> {
          if (!method.getName().equals("pushData")) {
            throw new GfsException(ErrorCode.INVALID_ARGUMENT, "not in this test: " + method.getName());
          }
          check((Long) args[0], (Long) args[1], (ByteBuffer) args[2], (Boolean) args[3], (Integer) args[4],
              (Integer) args[5], (List<?>) args[6], (ByteBuffer) args[7]);
          return null;
        });
    RpcLimits limits = RpcLimits.defaults();
    server = RpcServer.start("pushed", new HostPort("127.0.0.1", 0), new ChunkServerService.Processor<>(handler),
        limits);
    address = new HostPort("127.0.0.1", server.port());
    clients = new RpcClients(limits);
  }

  @AfterEach
  void stop() {
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void check(long dataId, long offset, ByteBuffer piece, boolean last, int total, int crc, List<?> chain,
      ByteBuffer token) throws GfsException {
    if (total < 0) {
      throw new GfsException(ErrorCode.INVALID_ARGUMENT, "negative length");
    }
    byte[] got = new byte[piece.remaining()];
    piece.duplicate().get(got);
    byte[] expected = new byte[got.length];
    fill(expected, 0, dataId, offset, got.length);
    byte[] tokenBytes = new byte[token.remaining()];
    token.duplicate().get(tokenBytes);
    boolean fieldsRight = last == (dataId % 2 == 0) && total == got.length && crc == (int) (dataId * 7)
        && chain.equals(List.of(chainOf(dataId))) && Arrays.equals(tokenBytes, tokenOf(dataId));
    synchronized (mismatches) {
      if (!Arrays.equals(expected, got) || !fieldsRight) {
        mismatches.add("data " + dataId + " (" + got.length + " bytes, fields right: " + fieldsRight + ")");
      }
    }
    received.incrementAndGet();
  }

  private static byte[] tokenOf(long dataId) {
    byte[] token = new byte[48];
    Arrays.fill(token, (byte) dataId);
    return token;
  }

  @Test
  void manyPiecesOfEverySizeFromOneRefilledArrayArriveExactlyOnOneConnection() throws Exception {
    int min = KeptBufferFramedTransport.SENT_IN_PLACE_BYTES_MIN;
    int[] lengths = {1 << 20, min, min - 1, 1, 0, 300_000, (1 << 20) - 3};
    byte[] reused = new byte[(1 << 20) + 8];
    int calls = 60;
    for (int call = 0; call < calls; call++) {
      long dataId = 1000 + call;
      int length = lengths[call % lengths.length];
      int from = call % 5;
      long offset = call * 4_099L;
      fill(reused, from, dataId, offset, length);
      ByteBuffer piece = ByteBuffer.wrap(reused, from, length);
      clients.chunkServer(address, c -> {
        c.pushData(dataId, offset, piece, dataId % 2 == 0, length, (int) (dataId * 7), List.of(chainOf(dataId)),
            ByteBuffer.wrap(tokenOf(dataId)));
        return null;
      });
      if (call % 9 == 0) { // a typed error in between leaves the connection usable
        GfsException e = assertThrows(GfsException.class, () -> clients.chunkServer(address, c -> {
          c.pushData(1, 0, ByteBuffer.wrap(reused, 0, 1 << 20), false, -1, 0, List.of(), ByteBuffer.allocate(1));
          return null;
        }));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode());
      }
    }
    synchronized (mismatches) {
      assertEquals(List.of(), mismatches);
    }
    assertEquals(calls, received.get(), "every good piece arrived (the bad ones were refused)");
    assertEquals(1, server.openConnections(), "every call went over the one pooled connection");
  }
}
