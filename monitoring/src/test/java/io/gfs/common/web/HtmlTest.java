package io.gfs.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.rpc.RpcEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesEveryMarkupCharacter() {
    assertEquals("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;",
        Html.escape("<img src=x onerror=\"alert(1)\"> & '"));
  }

  @Test
  void eventTablesEscapePathsAndPeers() {
    RpcEvent event = new RpcEvent(1, 0, "<peer>", "create#rid=00", 1500, "NOT_FOUND", 10, 20,
        "{path=\"/<script>alert(1)</script>\"}", "");
    String html = RpcEventsView.html(List.of(event), 10);
    assertFalse(html.contains("<script>"), html);
    assertTrue(html.contains("&lt;script&gt;"), html);
    assertTrue(html.contains("&lt;peer&gt;"), html);
    assertFalse(html.contains("rid="), "the per-call tag is no part of the method: " + html);
  }

  @Test
  void methodNameIsTheLeadingIdentifier() {
    assertEquals("create", RpcEventsView.methodName("create#rid=0123"));
    assertEquals("getClusterStatus", RpcEventsView.methodName("getClusterStatus"));
    assertEquals("?", RpcEventsView.methodName("#x"));
  }

  @Test
  void chartsDrawOnePolylinePerSeriesAndBreakOnGaps() {
    String svg = SvgChart.render("c", "title <x>", new long[] {0, 1000, 2000, 3000},
        List.of(new SvgChart.Series("a", new double[] {1, 2, Double.NaN, 4}),
            new SvgChart.Series("b", new double[] {0, 0, 0, 0})), Format::number);
    assertEquals(3, svg.split("<polyline", -1).length - 1, svg);
    assertTrue(svg.contains("title &lt;x&gt;"), svg);
  }

  @Test
  void formatsBytesAndDurations() {
    assertEquals("512 B", Format.bytes(512));
    assertEquals("1.50 KiB", Format.bytes(1536));
    assertEquals("3.0 GiB".replace("3.0", "3.00"), Format.bytes(3L << 30));
    assertEquals("250 ms", Format.millis(250));
    assertEquals("2 min 5 s", Format.millis(125_000));
  }
}
