package io.gfs.master.web;

import io.gfs.common.metrics.SampleRing;
import io.gfs.common.web.Format;
import io.gfs.common.web.Html;
import io.gfs.common.web.RpcEventsView;
import io.gfs.common.web.SvgChart;
import io.gfs.common.web.WebRequest;
import io.gfs.common.web.WebResponse;
import io.gfs.master.state.LockTable;
import io.gfs.master.state.MasterState;
import io.gfs.master.state.StatusListing;
import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ClusterStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The master's status page (issue 8): cluster overview, charts of capacity and throughput, the chunkserver table,
 * chunks needing attention, leases, snapshots of a path, and recent RPCs [0133]. Rendered on the server with every
 * piece of data escaped; the refresh script swaps in a fresh copy every few seconds.
 */
final class MasterPage {
  /** Sample columns: capacity, used, client RPCs, heartbeats, failed RPCs (running totals for the last three). */
  static final int SAMPLE_WIDTH = 5;
  /** Rows listed per table at most (the counts above them are whole). */
  static final int ROWS_MAX = 100;
  static final int EVENTS_SHOWN = 50;
  static final int REFRESH_SECONDS = 5;
  private static final String[][] NAVIGATION = {{"Overview", "#overview"}, {"Chunkservers", "#chunkservers"},
      {"Chunks", "#chunks"}, {"Leases", "#leases"}, {"Snapshots", "#snapshots"}, {"RPCs", "#events"},
      {"JSON", "/api/overview"}, {"Metrics", "/metrics"}};

  private final MasterView view;
  private final SampleRing samples;

  MasterPage(MasterView view, SampleRing samples) {
    this.view = view;
    this.samples = samples;
  }

  WebResponse render(WebRequest request) {
    ClusterStatus status = view.cachedStatus();
    MasterState state = view.state();
    long now = System.currentTimeMillis();
    StringBuilder body = new StringBuilder(32 << 10);
    body.append(Html.section("overview", "Overview", overview(status, state) + charts()));
    body.append(Html.section("chunkservers", "Chunkservers", chunkServers(status)));
    if (state != null) {
      StatusListing listing = state.statusListing();
      body.append(Html.section("chunks", "Chunks needing attention", chunks(listing.problems(now, ROWS_MAX))));
      body.append(Html.section("leases", "Leases", leases(listing.leases(now, ROWS_MAX), status)));
      String path = request.parameter("snapshots", "/");
      body.append(Html.section("snapshots", "Snapshots", snapshots(state, path)));
    }
    body.append(Html.section("events", "Recent RPCs", RpcEventsView.html(view.recentEvents(), EVENTS_SHOWN,
        java.util.Set.of("heartbeat"))));
    return WebResponse.html(Html.page("gfs master - " + view.clusterName(), NAVIGATION, body.toString(),
        REFRESH_SECONDS));
  }

  private String overview(ClusterStatus status, MasterState state) {
    List<String[]> facts = new ArrayList<>();
    facts.add(new String[] {"role", view.role()});
    facts.add(new String[] {"epoch", Long.toString(view.epoch())});
    facts.add(new String[] {"RPC address", String.valueOf(view.rpcAddress())});
    if (status != null) {
      long capacity = status.getChunkServers().stream().mapToLong(ChunkServerStatus::getCapacityBytes).sum();
      long used = status.getChunkServers().stream().mapToLong(ChunkServerStatus::getUsedBytes).sum();
      facts.add(new String[] {"safe mode", status.isSafeMode() ? "ON" : "off"});
      facts.add(new String[] {"chunkservers", Integer.toString(status.getChunkServersSize())});
      facts.add(new String[] {"capacity", Format.bytes(capacity)});
      facts.add(new String[] {"used", Format.bytes(used) + " (" + Format.percent(capacity == 0 ? 0
          : (double) used / capacity) + ")"});
      facts.add(new String[] {"files", Long.toString(status.getFileCount())});
      facts.add(new String[] {"directories", Long.toString(status.getDirectoryCount())});
      facts.add(new String[] {"chunks", Long.toString(status.getChunkCount())});
      facts.add(new String[] {"under-replicated", Long.toString(status.getUnderReplicatedChunks())});
      facts.add(new String[] {"corrupt", status.isSetCorruptChunks() ? Long.toString(status.getCorruptChunks()) : "-"});
      facts.add(new String[] {"missing", status.isSetMissingChunks() ? Long.toString(status.getMissingChunks()) : "-"});
      facts.add(new String[] {"clones running", Long.toString(status.getClonesInFlight())});
      facts.add(new String[] {"log sequence", Long.toString(status.getLastLogSequence())});
      if (status.isSetLogLagMillis()) {
        facts.add(new String[] {"shadow lag", Format.millis(status.getLogLagMillis())});
      }
    } else if (state != null) {
      facts.add(new String[] {"files", Long.toString(state.fileCount())});
      facts.add(new String[] {"chunks", Long.toString(state.chunkCount())});
    }
    if (state != null) {
      facts.add(new String[] {"leases", Integer.toString(state.leaseCount())});
    }
    return Html.facts("overview-facts", facts.toArray(new String[0][]));
  }

  private String charts() {
    SampleRing.Samples samples = this.samples.snapshot();
    long[] times = samples.times();
    String capacity = SvgChart.render("chart-capacity", "Capacity over time", times,
        List.of(new SvgChart.Series("used", samples.column(1)), new SvgChart.Series("capacity", samples.column(0))),
        Format::bytes);
    String throughput = SvgChart.render("chart-throughput", "Master RPCs per second", times,
        List.of(new SvgChart.Series("client calls/s", samples.rates(2)),
            new SvgChart.Series("heartbeats/s", samples.rates(3)), new SvgChart.Series("errors/s", samples.rates(4))),
        Format::number);
    return "<div class=\"charts\">" + capacity + throughput + "</div>";
  }

  private static String chunkServers(ClusterStatus status) {
    if (status == null) {
      return "<p class=\"note\">This master does not serve yet (standby or starting): no chunkserver reports to it.</p>";
    }
    List<String[]> rows = new ArrayList<>();
    for (ChunkServerStatus s : status.getChunkServers().stream()
        .sorted((a, b) -> a.getAddress().toString().compareTo(b.getAddress().toString())).toList()) {
      String address = s.getAddress().getHost() + ":" + s.getAddress().getPort();
      String link = s.isSetHttpAddress()
          ? "<a href=\"http://" + Html.escape(s.getHttpAddress()) + "/\">" + Html.escape(address) + "</a>"
          : Html.escape(address);
      double fraction = s.getCapacityBytes() <= 0 ? 1 : Math.min(1, (double) s.getUsedBytes() / s.getCapacityBytes());
      rows.add(new String[] {Html.escape(s.getServerId()), link, Html.escape(s.getRack()),
          Html.escape(s.isSetState() ? s.getState() : "in-service"), num(Format.bytes(s.getCapacityBytes())),
          num(Format.bytes(s.getUsedBytes())) + " " + svgBar(fraction) + num(Format.percent(fraction)),
          ageCell(s.getLastHeartbeatAgeMillis()), num(Long.toString(s.getChunkCount()))});
    }
    return Html.table("chunkserver-table", new String[] {"server id", "address", "rack", "state", "capacity", "used",
        "last heartbeat", "chunks"}, rows, "no live chunkserver");
  }

  /** A usage bar as inline SVG (the page's policy allows no inline style attributes). */
  private static String svgBar(double fraction) {
    int width = (int) Math.round(80 * fraction);
    return "<svg class=\"usage\" width=\"82\" height=\"10\" viewBox=\"0 0 82 10\"><rect class=\"track\" x=\"0.5\""
        + " y=\"0.5\" width=\"81\" height=\"9\"/><rect class=\"fill" + (fraction > 0.9 ? " full" : "") + "\" x=\"1\""
        + " y=\"1\" width=\"" + width + "\" height=\"8\"/></svg>";
  }

  private static String ageCell(long ageMillis) {
    String css = ageMillis > 5_000 ? "bad" : ageMillis > 2_000 ? "warn" : "ok";
    return "<span class=\"" + css + "\">" + Html.escape(Format.millis(ageMillis) + " ago") + "</span>";
  }

  private static String chunks(StatusListing.Problems problems) {
    List<String[]> under = new ArrayList<>();
    for (StatusListing.ChunkProblem p : problems.underReplicated()) {
      under.add(new String[] {num(Long.toString(p.handle())), num(Long.toString(p.version())),
          num(Format.bytes(p.lengthBytes())), num(p.liveReplicas() + " of " + p.replicationTarget())});
    }
    List<String[]> corrupt = new ArrayList<>();
    for (StatusListing.ChunkProblem p : problems.corrupt()) {
      corrupt.add(new String[] {num(Long.toString(p.handle())), num(Long.toString(p.version())),
          num(p.liveReplicas() + " of " + p.replicationTarget()), Html.escape(String.join(", ", p.corruptOn()))});
    }
    return "<h3>Under-replicated: " + problems.underReplicatedCount() + "</h3>"
        + Html.table("under-replicated-table", new String[] {"chunk handle", "version", "length", "live replicas"},
            under, "every chunk has its replicas")
        + "<h3>Corrupt: " + problems.corruptCount() + "</h3>"
        + Html.table("corrupt-table", new String[] {"chunk handle", "version", "good replicas", "corrupt on"},
            corrupt, "no replica reported corrupt");
  }

  private static String leases(List<StatusListing.LeaseStatus> leases, ClusterStatus status) {
    List<String[]> rows = new ArrayList<>();
    for (StatusListing.LeaseStatus l : leases) {
      rows.add(new String[] {num(Long.toString(l.handle())), num(Long.toString(l.version())),
          Html.escape(primary(l.primaryId(), status)), num(Format.millis(l.remainingMillis()))});
    }
    return Html.table("lease-table", new String[] {"chunk handle", "version", "primary", "remaining"}, rows,
        "no lease held");
  }

  private static String primary(String serverId, ClusterStatus status) {
    if (status != null) {
      for (ChunkServerStatus s : status.getChunkServers()) {
        if (s.getServerId().equals(serverId)) {
          return serverId + " (" + s.getAddress().getHost() + ":" + s.getAddress().getPort() + ")";
        }
      }
    }
    return serverId;
  }

  private static String snapshots(MasterState state, String path) {
    String form = "<form method=\"get\" action=\"/#snapshots\"><label>Snapshots of <input name=\"snapshots\" value=\""
        + Html.escape(path) + "\" size=\"40\"></label> <button type=\"submit\">list</button></form>";
    List<String[]> rows = new ArrayList<>();
    String problem = null;
    try (LockTable.Held locks = state.lockRead(path)) {
      for (String name : state.listSnapshots(path)) {
        rows.add(new String[] {Html.escape(name), Html.escape(MasterApi.snapshotPath(path, name))});
      }
    } catch (RuntimeException e) {
      problem = e.getMessage();
    }
    String table = Html.table("snapshot-table", new String[] {"name", "read it at"}, rows,
        problem != null ? "cannot list: " + problem : "no snapshot of " + path);
    return form + table;
  }

  private static String num(String text) {
    return "<span class=\"num\">" + Html.escape(text) + "</span>";
  }
}
