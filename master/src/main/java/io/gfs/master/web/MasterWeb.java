package io.gfs.master.web;

import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.metrics.SampleRing;
import io.gfs.common.metrics.Sampler;
import io.gfs.common.rpc.DiagnosticLog;
import io.gfs.common.web.WebResponse;
import io.gfs.common.web.WebServer;
import io.gfs.master.state.MasterState;
import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ClusterStatus;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The master's status pages, JSON endpoints and /metrics (issue 8) on gfs.master.http.address: started first, so an
 * operator sees a standby or a recovering master too, and told by the master as it recovers and starts serving. Pages
 * render on the server (escaped HTML, inline SVG charts); /api/... returns the same data as JSON.
 */
public final class MasterWeb implements AutoCloseable {
  private final MasterView view;
  private final MasterMetrics metrics;
  private final Sampler sampler;
  private final WebServer server;

  private MasterWeb(GfsConfig config, HostPort bind) throws IOException {
    this.view = new MasterView(config.getString(GfsConfigKeys.Cluster.NAME));
    this.metrics = new MasterMetrics(view);
    long intervalMillis = config.getMillis(GfsConfigKeys.Diagnostic.SAMPLE_INTERVAL_MS, 100, 3_600_000);
    this.sampler = Sampler.start("master", MasterPage.SAMPLE_WIDTH, intervalMillis, this::sample);
    WebServer web;
    try {
      web = WebServer.start("master", bind);
    } catch (IOException e) {
      sampler.close();
      throw e;
    }
    this.server = web;
    MasterPage page = new MasterPage(view, sampler.ring());
    MasterApi api = new MasterApi(view, sampler.ring());
    server.route("/", page::render)
        .route("/metrics", request -> metrics.registry().response())
        .route("/api/overview", request -> WebResponse.json(api.overview()))
        .route("/api/chunkservers", request -> WebResponse.json(api.chunkServers()))
        .route("/api/chunks", request -> WebResponse.json(api.chunks()))
        .route("/api/leases", request -> WebResponse.json(api.leases()))
        .route("/api/snapshots", request -> WebResponse.json(api.snapshots(request.parameter("path", "/"))))
        .route("/api/events", request -> WebResponse.json(api.events()))
        .route("/api/samples", request -> WebResponse.json(api.samples()));
  }

  /** Serves on gfs.master.http.address; null when that is empty (pages off). */
  public static MasterWeb start(GfsConfig config) throws IOException {
    String address = config.getString(GfsConfigKeys.Master.HTTP_ADDRESS).trim();
    if (address.isEmpty()) {
      return null;
    }
    HostPort bind;
    try {
      bind = HostPort.parse(address);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("gfs.master.http.address '" + address + "': " + e.getMessage(), e);
    }
    return new MasterWeb(config, bind);
  }

  /** Recovery finished: the namespace counts can show; role "standby" while it follows an active master's log. */
  public void recovered(MasterState state, String role) {
    view.recovered(state, role);
  }

  /**
   * The master serves: its role ("active" or "shadow"), epoch and RPC address, its getClusterStatus answer (a shadow's
   * with role and lag), and the RPC diagnostic log, whose events now also feed the per-method metrics.
   */
  public void serving(String role, long epoch, HostPort rpcAddress, Supplier<ClusterStatus> status,
      DiagnosticLog diagnostics) {
    diagnostics.listen(metrics.rpc());
    view.serving(role, epoch, String.valueOf(rpcAddress), status, diagnostics);
  }

  /** One op-log fsync (a group-committed batch of {@code records}) took {@code nanos}. */
  public void opLogSynced(int records, long nanos) {
    metrics.opLogSynced(records, nanos);
  }

  /** host:port of the pages, with the real port when 0 was configured. */
  public HostPort address() {
    return server.address();
  }

  private double[] sample() {
    ClusterStatus status = view.cachedStatus();
    double capacity = Double.NaN;
    double used = Double.NaN;
    if (status != null) {
      capacity = status.getChunkServers().stream().mapToLong(ChunkServerStatus::getCapacityBytes).sum();
      used = status.getChunkServers().stream().mapToLong(ChunkServerStatus::getUsedBytes).sum();
    }
    long heartbeats = metrics.rpc().total("heartbeat");
    return new double[] {capacity, used, metrics.rpc().total() - heartbeats, heartbeats, metrics.rpc().failed()};
  }

  SampleRing samples() {
    return sampler.ring();
  }

  @Override
  public void close() {
    server.close();
    sampler.close();
  }
}
