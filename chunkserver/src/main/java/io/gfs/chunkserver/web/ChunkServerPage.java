package io.gfs.chunkserver.web;

import io.gfs.common.metrics.SampleRing;
import io.gfs.common.rpc.DiagnosticLog;
import io.gfs.common.rpc.RpcEvent;
import io.gfs.common.web.Format;
import io.gfs.common.web.Html;
import io.gfs.common.web.Json;
import io.gfs.common.web.RpcEventsView;
import io.gfs.common.web.SvgChart;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** A chunkserver's status page and its JSON: rendered on the server, every value escaped. */
final class ChunkServerPage {
  /** Sample columns: capacity, used, bytes read, bytes written, RPCs (the last three running totals). */
  static final int SAMPLE_WIDTH = 5;
  static final int EVENTS_SHOWN = 50;
  static final int REFRESH_SECONDS = 5;
  private static final String[][] NAVIGATION = {{"Overview", "#overview"}, {"Scrubber", "#scrubber"},
      {"Errors", "#errors"}, {"RPCs", "#events"}, {"JSON", "/api/status"}, {"Metrics", "/metrics"}};

  private final Supplier<ChunkServerVitals> vitals;
  private final MeteredChunkStore store;
  private final DiagnosticLog diagnostics;
  private final SampleRing samples;

  ChunkServerPage(Supplier<ChunkServerVitals> vitals, MeteredChunkStore store, DiagnosticLog diagnostics,
      SampleRing samples) {
    this.vitals = vitals;
    this.store = store;
    this.diagnostics = diagnostics;
    this.samples = samples;
  }

  String html() {
    ChunkServerVitals v = vitals.get();
    double fraction = v.capacityBytes() <= 0 ? 1 : (double) v.usedBytes() / v.capacityBytes();
    String overview = Html.facts("overview-facts", new String[][] {{"server id", v.serverId()},
        {"address", v.address()}, {"rack", v.rack()}, {"chunks", Integer.toString(v.chunkCount())},
        {"corrupt chunks", Integer.toString(v.corruptCount())}, {"capacity", Format.bytes(v.capacityBytes())},
        {"used", Format.bytes(v.usedBytes()) + " (" + Format.percent(fraction) + ")"},
        {"primary leases", Integer.toString(v.primaryLeases())}, {"push buffer", Format.bytes(v.pushBufferBytes())},
        {"heartbeats", Long.toString(v.heartbeatsSent())}, {"bytes read", Format.bytes(store.readBytes())},
        {"bytes written", Format.bytes(store.writtenBytes())},
        {"checksum failures", Long.toString(store.checksumFailures())},
        {"disk errors", Long.toString(store.ioErrors())}});
    SampleRing.Samples samples = this.samples.snapshot();
    long[] times = samples.times();
    String charts = "<div class=\"charts\">"
        + SvgChart.render("chart-capacity", "Capacity over time", times, List.of(
            new SvgChart.Series("used", samples.column(1)), new SvgChart.Series("capacity", samples.column(0))),
            Format::bytes)
        + SvgChart.render("chart-throughput", "Disk throughput (bytes per second)", times, List.of(
            new SvgChart.Series("read", samples.rates(2)), new SvgChart.Series("written", samples.rates(3))),
            Format::bytes)
        + "</div>";
    String scrubber = v.scrubberOn()
        ? Html.facts("scrubber-facts", new String[][] {{"chunks verified", Long.toString(v.scrubbedChunks())},
            {"bytes verified", Format.bytes(v.scrubbedBytes())},
            {"corrupt found", Long.toString(v.scrubCorruptFound())}})
        : "<p class=\"note\">The scrubber is off (gfs.chunkserver.scrub.bytes.per.second is 0).</p>";
    String body = Html.section("overview", "Overview", overview + charts)
        + Html.section("scrubber", "Scrubber [0131]", scrubber)
        + Html.section("errors", "Recent errors", errors())
        + Html.section("events", "Recent RPCs", RpcEventsView.html(diagnostics.recentEvents(), EVENTS_SHOWN));
    return Html.page("gfs chunkserver " + v.serverId(), NAVIGATION, body, REFRESH_SECONDS);
  }

  /** Store errors and failed RPCs, newest first. */
  private String errors() {
    List<String[]> rows = new ArrayList<>();
    List<MeteredChunkStore.StoreError> storeErrors = store.recentErrors();
    for (int i = storeErrors.size() - 1; i >= 0; i--) {
      MeteredChunkStore.StoreError e = storeErrors.get(i);
      rows.add(new String[] {Html.escape(Instant.ofEpochMilli(e.timeMillis())), "store " + Html.escape(e.operation()),
          Html.escape(e.handle()), "<span class=\"code\">" + Html.escape(e.message()) + "</span>"});
    }
    List<RpcEvent> events = diagnostics.recentEvents();
    for (int i = events.size() - 1; i >= 0 && rows.size() < EVENTS_SHOWN; i--) {
      RpcEvent e = events.get(i);
      if (!e.outcome().equals("OK")) {
        rows.add(new String[] {Html.escape(Instant.ofEpochMilli(e.startMillis())), "RPC " + Html.escape(e.method()),
            "", "<span class=\"code\">" + Html.escape(e.outcome() + " " + cut(e.reply())) + "</span>"});
      }
    }
    return Html.table("error-table", new String[] {"time", "where", "chunk", "error"}, rows, "no error");
  }

  Json json() {
    ChunkServerVitals v = vitals.get();
    Json json = new Json().beginObject().field("serverId", v.serverId()).field("address", v.address())
        .field("rack", v.rack()).field("chunks", v.chunkCount()).field("corruptChunks", v.corruptCount())
        .field("capacityBytes", v.capacityBytes()).field("usedBytes", v.usedBytes())
        .field("primaryLeases", v.primaryLeases()).field("pushBufferBytes", v.pushBufferBytes())
        .field("heartbeatsSent", v.heartbeatsSent()).field("readBytes", store.readBytes())
        .field("writtenBytes", store.writtenBytes()).field("checksumFailures", store.checksumFailures())
        .field("diskErrors", store.ioErrors()).name("scrubber").beginObject().field("on", v.scrubberOn())
        .field("verifiedChunks", v.scrubbedChunks()).field("verifiedBytes", v.scrubbedBytes())
        .field("corruptFound", v.scrubCorruptFound()).endObject().name("recentErrors").beginArray();
    for (MeteredChunkStore.StoreError e : store.recentErrors()) {
      json.beginObject().field("timeMillis", e.timeMillis()).field("operation", e.operation())
          .field("handle", e.handle()).field("message", e.message()).endObject();
    }
    return json.endArray().endObject();
  }

  Json events() {
    return RpcEventsView.json(diagnostics.recentEvents(), EVENTS_SHOWN);
  }

  private static String cut(String text) {
    return text == null ? "" : text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
