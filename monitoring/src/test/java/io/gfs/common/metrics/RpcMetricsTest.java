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
}
