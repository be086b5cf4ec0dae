package io.gfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.client.GfsAdmin;
import io.gfs.client.GfsClient;
import io.gfs.client.GfsClientOptions;
import io.gfs.client.GfsFileWriter;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: a non-idempotent call whose reply is lost after the master committed it. A loopback proxy between the
 * client and the real master forwards the request, lets the master answer, and then cuts the connection instead of
 * passing the reply on: the client sees a transport failure and retries with the same request id, and the master's
 * retry cache answers with the original outcome. Without a request id the same retry answers ALREADY_EXISTS (checked
 * below, so the test would notice if the proxy did not really lose replies). Covered: create, rename, delete,
 * createSnapshot, renameSnapshot, deleteSnapshot and setPolicy (whose retry would otherwise be logged twice).
 */
class RetryCacheIT {
  @Test
  void retriedCallsWhoseRepliesWereLostGetTheirOriginalOutcome() throws Exception {
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(TestData.clusterDir("retry-cache")).zookeeper(false)
        .chunkServers(1).build();
        ReplyDroppingProxy proxy = ReplyDroppingProxy.start(cluster.masterAddress());
        GfsClient client = GfsClient.create("mini", options(proxy));
        RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(10_000))) {
      client.mkdirs("/d");

      // setPolicy is logged on every application: a retry answered by the cache logs nothing more (checked first,
      // before anything could be purged or have its access time logged meanwhile).
      try (GfsAdmin admin = GfsAdmin.create("mini", options(proxy))) {
        long before = logSequence(rpc, cluster);
        proxy.dropNextReply();
        admin.setPolicy("/d", 2, -1);
        assertEquals(1, proxy.dropped(), "the setPolicy's first reply was lost");
        assertEquals(before + 1, logSequence(rpc, cluster), "applied once although sent twice");
        assertEquals(2, admin.policy("/d").getReplication());
      }
      // Control: without a request id the same loss applies it twice.
      long before = logSequence(rpc, cluster);
      proxy.dropNextReply();
      HostPort viaProxy = proxy.address();
      assertThrows(TTransportException.class, () -> rpc.master(viaProxy, c -> {
        c.setPolicy("/d", 2, -1);
        return null;
      }));
      rpc.forget(viaProxy);
      rpc.master(viaProxy, c -> {
        c.setPolicy("/d", 2, -1);
        return null;
      });
      assertEquals(before + 2, logSequence(rpc, cluster), "the control's retry was applied again");
      assertEquals(2, proxy.dropped());

      proxy.dropNextReply();
      try (GfsFileWriter writer = client.create("/d/f", false, true, 1)) {
        writer.write(new byte[] {1, 2, 3}, 0, 3);
      }
      assertEquals(3, proxy.dropped(), "the create's first reply was lost");
      assertEquals(3, client.getFileStatus("/d/f").lengthBytes(), "created once, then written");

      proxy.dropNextReply();
      client.rename("/d/f", "/d/g"); // without the cache the retry finds no /d/f: FileNotFoundException
      assertEquals(4, proxy.dropped());
      assertEquals(3, client.getFileStatus("/d/g").lengthBytes());

      // Snapshot calls: without the cache the retries would answer ALREADY_EXISTS, NOT_FOUND and NOT_FOUND.
      proxy.dropNextReply();
      client.createSnapshot("/d", "s1");
      assertEquals(5, proxy.dropped());
      proxy.dropNextReply();
      client.renameSnapshot("/d", "s1", "s2");
      assertEquals(6, proxy.dropped());
      assertEquals(java.util.List.of("s2"), client.listSnapshots("/d"));
      proxy.dropNextReply();
      client.deleteSnapshot("/d", "s2");
      assertEquals(7, proxy.dropped());
      assertEquals(java.util.List.of(), client.listSnapshots("/d"));
      // Control: a snapshot retried without a request id meets its own first application.
      proxy.dropNextReply();
      assertThrows(TTransportException.class, () -> rpc.master(viaProxy, c -> {
        c.createSnapshot("/d", "s3");
        return null;
      }));
      rpc.forget(viaProxy);
      GfsException taken = assertThrows(GfsException.class, () -> rpc.master(viaProxy, c -> {
        c.createSnapshot("/d", "s3");
        return null;
      }));
      assertEquals(ErrorCode.ALREADY_EXISTS, taken.getCode());
      assertEquals(8, proxy.dropped());

      proxy.dropNextReply();
      assertTrue(client.delete("/d/g", false), "the retry reports the original removal, not 'nothing there'");
      assertEquals(9, proxy.dropped());
      assertThrows(FileNotFoundException.class, () -> client.getFileStatus("/d/g"));

      // Control: the same lost reply without a request id, as a client before issue 4 sent it.
      proxy.dropNextReply();
      HostPort through = viaProxy;
      assertThrows(TTransportException.class,
          () -> rpc.master(through, c -> c.create("/d/h", false, true, 1, null, null, (short) -1)));
      rpc.forget(through);
      GfsException again = assertThrows(GfsException.class,
          () -> rpc.master(through, c -> c.create("/d/h", false, true, 1, null, null, (short) -1)));
      assertEquals(ErrorCode.ALREADY_EXISTS, again.getCode());
      assertFalse(client.getFileStatus("/d/h").directory());
    }
  }

  private static GfsClientOptions options(ReplyDroppingProxy proxy) {
    return GfsClientOptions.from(GfsConfig.of(Map.of(
        GfsConfigKeys.Client.MASTER_ADDRESS.name(), proxy.address().toString(),
        GfsConfigKeys.Client.RETRY_BACKOFF_MS.name(), "10")));
  }

  /** The master's last logged sequence, asked directly (not through the proxy). */
  private static long logSequence(RpcClients rpc, MiniGfsCluster cluster) throws Exception {
    return rpc.master(cluster.masterAddress(), c -> c.getClusterStatus()).getLastLogSequence();
  }

  /**
   * Forwards every connection to the master; when armed, the next reply the master sends is not passed on: both
   * sockets are reset instead, after the master has answered (so the call was applied).
   */
  private static final class ReplyDroppingProxy implements AutoCloseable {
    private final HostPort upstream;
    private final ServerSocket listener;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile boolean closed;

    private ReplyDroppingProxy(HostPort upstream, ServerSocket listener) {
      this.upstream = upstream;
      this.listener = listener;
    }

    static ReplyDroppingProxy start(HostPort upstream) throws IOException {
      ReplyDroppingProxy proxy = new ReplyDroppingProxy(upstream,
          new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      Thread acceptor = new Thread(proxy::acceptLoop, "reply-dropping-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
      return proxy;
    }

    HostPort address() {
      return new HostPort("127.0.0.1", listener.getLocalPort());
    }

    void dropNextReply() {
      armed.set(true);
    }

    int dropped() {
      return dropped.get();
    }

    private void acceptLoop() {
      while (!closed) {
        try {
          Socket client = listener.accept();
          Socket server = new Socket();
          server.connect(new InetSocketAddress(upstream.host(), upstream.port()), 5_000);
          pump(client, server, false);
          pump(server, client, true);
        } catch (IOException e) {
          // closed, or one connection failed; keep accepting until closed
        }
      }
    }

    private void pump(Socket from, Socket to, boolean replies) {
      Thread t = new Thread(() -> {
        byte[] buffer = new byte[64 << 10];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
          int n;
          while ((n = in.read(buffer)) >= 0) {
            if (replies && armed.compareAndSet(true, false)) {
              dropped.incrementAndGet();
              reset(from);
              reset(to);
              return;
            }
            out.write(buffer, 0, n);
            out.flush();
          }
        } catch (IOException e) {
          // the other direction closed
        } finally {
          reset(from);
          reset(to);
        }
      }, "proxy-" + (replies ? "down" : "up"));
      t.setDaemon(true);
      t.start();
    }

    private static void reset(Socket s) {
      try {
        if (!s.isClosed()) {
          s.setSoLinger(true, 0);
        }
        s.close();
      } catch (IOException e) {
        // already gone
      }
    }

    @Override
    public void close() throws IOException {
      closed = true;
      listener.close();
    }
  }
}
