package io.gfs.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.rpc.RpcEvent;
import org.junit.jupiter.api.Test;

class RpcMetricsTest {
  private static RpcEvent event(String method, String outcome, long micros) {
    return new RpcEvent(1, 0, "peer", method, micros, outcome, 100, 40, "", "");
  }

  @Test
  void countsPerMethodAndOutcomeWithLatencyHistograms() {
    GfsMetrics metrics = new GfsMetrics();
    RpcMetrics rpc = new RpcMetrics(metrics);
    rpc.accept(event("create", "OK", 2000));
    rpc.accept(event("create#rid=0011", "ALREADY_EXISTS", 3000));
    rpc.accept(event("read", "FAILED java.io.IOException: x y", 10));
    String text = metrics.scrape();
    assertTrue(text.contains("gfs_rpc_server_requests_total{method=\"create\",outcome=\"OK\"} 1.0"), text);
    assertTrue(text.contains("gfs_rpc_server_requests_total{method=\"create\",outcome=\"ALREADY_EXISTS\"} 1.0"), text);
    assertTrue(text.contains("gfs_rpc_server_requests_total{method=\"read\",outcome=\"FAILED\"} 1.0"), text);
    assertTrue(text.contains("gfs_rpc_server_duration_seconds_count{method=\"create\"} 2"), text);
    assertTrue(text.contains("gfs_rpc_server_received_bytes_total{method=\"create\"} 200.0"), text);
    assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\"}"), text);
    assertEquals(3, rpc.total());
    assertEquals(2, rpc.failed());
    assertEquals(2, rpc.total("create"));
  }

  @Test
  void methodLabelsFromTheWireAreBounded() {
    GfsMetrics metrics = new GfsMetrics();
    RpcMetrics rpc = new RpcMetrics(metrics);
    for (int i = 0; i < RpcMetrics.METHODS_MAX + 50; i++) {
      rpc.accept(event("m" + i, "OK", 1));
    }
    rpc.accept(event("<script>", "OK", 1));
    String text = metrics.scrape();
    assertTrue(text.contains("method=\"other\""), "names past the cap count as other");
    assertFalse(text.contains("m" + (RpcMetrics.METHODS_MAX + 10) + "\""), "no label past the cap");
    assertFalse(text.contains("<script>"));
  }

  /** Series are looked up once per method (issue 6): counts from many workers at once still add up in the scrape. */
  @Test
  void cachedSeriesCountEveryCallFromManyThreads() throws Exception {
    GfsMetrics metrics = new GfsMetrics();
    RpcMetrics rpc = new RpcMetrics(metrics);
    Thread[] workers = new Thread[8];
    for (int t = 0; t < workers.length; t++) {
      workers[t] = new Thread(() -> {
        for (int i = 0; i < 1000; i++) {
          rpc.accept(event(i % 2 == 0 ? "mkdirs" : "getFileInfo#rid=01", i % 10 == 0 ? "NOT_FOUND" : "OK", 5));
        }
      });
      workers[t].start();
    }
    for (Thread worker : workers) {
      worker.join(60_000);
      assertFalse(worker.isAlive(), "a worker did not finish");
    }
    String text = metrics.scrape();
    assertTrue(text.contains("gfs_rpc_server_requests_total{method=\"mkdirs\",outcome=\"OK\"} 3200.0"), text);
    assertTrue(text.contains("gfs_rpc_server_requests_total{method=\"mkdirs\",outcome=\"NOT_FOUND\"} 800.0"), text);
    assertTrue(text.contains("gfs_rpc_server_requests_total{method=\"getFileInfo\",outcome=\"OK\"} 4000.0"), text);
    assertTrue(text.contains("gfs_rpc_server_duration_seconds_count{method=\"getFileInfo\"} 4000"), text);
    assertTrue(text.contains("gfs_rpc_server_sent_bytes_total{method=\"mkdirs\"} 160000.0"), text);
    assertEquals(8000, rpc.total());
    assertEquals(800, rpc.failed());
    assertEquals(4000, rpc.total("mkdirs"));
  }
}
