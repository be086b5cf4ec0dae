package io.gfs.common.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfig;
import io.gfs.common.HostPort;
import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.MasterService;
import io.gfs.thrift.gen.ServerAddress;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The RPC layer with TLS on: calls, large replies, concurrency, and clean refusals of plain-TCP peers. */
class RpcTlsIT {
  private static TlsTestKeys keys;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void makeKeys() throws Exception {
    keys = TlsTestKeys.generate(Path.of("target", "it", "rpc-tls"));
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** A master service whose getClusterStatus reply has {@code servers} entries (about 60 bytes each). */
  private HostPort serve(RpcLimits limits, int servers) throws Exception {
    List<ChunkServerStatus> list = new ArrayList<>();
    for (int i = 0; i < servers; i++) {
      list.add(new ChunkServerStatus("cs-" + i, new ServerAddress("127.0.0.1", i), "/rack", i, i, i, i));
    }
    ClusterStatus status = new ClusterStatus("tls", list, 1, 2, 3, 4);
    MasterService.Iface handler = (MasterService.Iface) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {MasterService.Iface.class}, (proxy, method, args) -> {
          if (method.getName().equals("getClusterStatus")) {
            return status;
          }
          throw new GfsException(ErrorCode.INVALID_ARGUMENT, "not in this test: " + method.getName());
        });
    RpcServer server = RpcServer.start("tls-test", new HostPort("127.0.0.1", 0),
        new MasterService.Processor<>(handler), limits);
    open.add(server);
    return new HostPort("127.0.0.1", server.port());
  }

  private static RpcLimits limits(boolean tls) {
    Map<String, String> settings = new HashMap<>(tls ? keys.settings() : Map.of());
    // The reaper counts reads only: give slow big replies on a loaded machine a minute.
    return RpcLimits.from(GfsConfig.of(settings)).withIdleTimeoutMillis(60_000).withCallTimeoutMillis(60_000);
  }

  private RpcClients clients(boolean tls) {
    RpcClients clients = new RpcClients(limits(tls));
    open.add(clients);
    return clients;
  }

  @Test
  void callsLargeRepliesAndTypedErrorsOverTls() throws Exception {
    HostPort address = serve(limits(true), 40_000); // a reply of about 2.5 MB: many TLS records, partial writes
    RpcClients clients = clients(true);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(pool.submit(() -> clients.master(address, c -> c.getClusterStatus()).getChunkServersSize()));
      }
      for (Future<Integer> call : calls) {
        assertEquals(40_000, call.get());
      }
    } finally {
      pool.shutdownNow();
    }
    GfsException e = assertThrows(GfsException.class, () -> clients.master(address, c -> c.getFileInfo("/x")));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode());
    assertEquals(40_000, clients.master(address, c -> c.getClusterStatus()).getChunkServersSize());
  }

  /**
   * A read answered with a direct buffer (as a chunkserver answers) over TLS: the worker cannot write a TLS connection
   * itself, so the spliced piece is copied into the reply and sent whole through the selector.
   */
  @Test
  void aPieceInADirectBufferIsSentWholeOverTls() throws Exception {
    int piece = 1 << 20;
    byte[] expected = new byte[piece];
    new java.util.Random(7).nextBytes(expected);
    io.gfs.thrift.gen.ChunkServerService.Iface handler = (io.gfs.thrift.gen.ChunkServerService.Iface)
        Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {io.gfs.thrift.gen.ChunkServerService.Iface.class}, (proxy, method, args) -> {
              if (method.getName().equals("read")) {
                io.gfs.thrift.gen.ReadResult result = new io.gfs.thrift.gen.ReadResult().setChunkLengthBytes(piece);
                ThriftBinary.set(result, "data", java.nio.ByteBuffer.allocateDirect(piece).put(expected).flip());
                return result;
              }
              throw new GfsException(ErrorCode.INVALID_ARGUMENT, "not in this test: " + method.getName());
            });
    RpcServer server = RpcServer.start("tls-direct", new HostPort("127.0.0.1", 0),
        new io.gfs.thrift.gen.ChunkServerService.Processor<>(handler), limits(true));
    open.add(server);
    HostPort address = new HostPort("127.0.0.1", server.port());
    RpcClients clients = clients(true);
    for (int i = 0; i < 3; i++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(expected,
          clients.chunkServer(address, c -> c.read(1, 1, 0, piece, null)).getData(), "read " + i);
    }
  }

  @Test
  void plainClientToTlsServerIsRefusedCleanly() throws Exception {
    HostPort address = serve(limits(true), 1);
    TTransportException refused = assertThrows(TTransportException.class,
        () -> clients(false).master(address, c -> c.getClusterStatus()));
    assertTrue(refused.getMessage() != null, "a transport error, not a hang");
    assertEquals("tls", clients(true).master(address, c -> c.getClusterStatus()).getClusterName());
  }

  @Test
  void tlsClientToPlainServerIsRefusedCleanly() throws Exception {
    HostPort address = serve(limits(false), 1);
    TTransportException refused = assertThrows(TTransportException.class,
        () -> clients(true).master(address, c -> c.getClusterStatus()));
    assertTrue(refused.getMessage().contains("TLS connection to"), refused.getMessage());
    assertEquals("tls", clients(false).master(address, c -> c.getClusterStatus()).getClusterName());
  }

  @Test
  void idleTlsConnectionsAreReaped() throws Exception {
    RpcLimits limits = limits(true).withIdleTimeoutMillis(1500);
    HostPort address = serve(limits, 1);
    RpcServer server = (RpcServer) open.get(open.size() - 1);
    try (java.net.Socket idle = new java.net.Socket(address.host(), address.port())) {
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (server.openConnections() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      idle.setSoTimeout(15_000);
      assertEquals(-1, idle.getInputStream().read(), "the reaper closed the silent connection");
    }
    assertEquals("tls", clients(true).master(address, c -> c.getClusterStatus()).getClusterName());
  }
}
