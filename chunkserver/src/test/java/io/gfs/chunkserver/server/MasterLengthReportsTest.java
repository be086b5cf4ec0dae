package io.gfs.chunkserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcLimits;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A record-append group's length report is made while the chunk's next group waits (issue 6), so a master that takes
 * the connection but never answers (a long pause, a SIGSTOP) must not hold the chunk for the whole ordinary call
 * timeout (60 s by default).
 */
class MasterLengthReportsTest {
  @Test
  void aSilentMasterCostsAGroupAtMostTheReportsOwnTimeoutThenReportsPause() throws Exception {
    assertEquals(60_000, RpcLimits.defaults().callTimeoutMillis(), "the ordinary timeout this test stays under");
    AtomicLong clockMillis = new AtomicLong(1_000_000);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        MasterLengthReports reports = new MasterLengthReports("cs-1", RpcLimits.defaults(),
            MasterLocator.fixed(new HostPort(silent.getInetAddress().getHostAddress(), silent.getLocalPort())),
            clockMillis::get)) {
      silent.setSoTimeout(60_000);
      Future<Boolean> report = caller.submit(() -> reports.report(7, 1, 4096));
      try (Socket taken = silent.accept()) { // connected, and never answered
        // Bounded well under the ordinary 60 s: the report gives up after its own, shorter timeout.
        assertFalse(report.get(30, TimeUnit.SECONDS), "a master that does not answer took no report");
      }
      // Paused: the next groups do not try (and wait) again at once; their appenders report their own records.
      assertFalse(caller.submit(() -> reports.report(7, 1, 8192)).get(30, TimeUnit.SECONDS));
      silent.setSoTimeout(500);
      assertThrows(SocketTimeoutException.class, silent::accept, "no new connection while reports pause");
    } finally {
      caller.shutdownNow();
    }
  }
}
