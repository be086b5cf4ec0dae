package io.gfs.chunkserver.web;

import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.metrics.Sampler;
import io.gfs.common.rpc.DiagnosticLog;
import io.gfs.common.web.WebResponse;
import io.gfs.common.web.WebServer;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * A chunkserver's status page, JSON and /metrics (issue 8) on gfs.chunkserver.http.address: chunks held, capacity,
 * scrubber progress, charts of its disk traffic, recent store errors and RPCs.
 */
public final class ChunkServerWeb implements AutoCloseable {
  private final ChunkServerMetrics metrics;
  private final Sampler sampler;
  private final WebServer server;

  private ChunkServerWeb(GfsConfig config, HostPort bind, String serverId, Supplier<ChunkServerVitals> vitals,
      MeteredChunkStore store, DiagnosticLog diagnostics) throws IOException {
    this.metrics = new ChunkServerMetrics(store, vitals);
    diagnostics.listen(metrics.rpc());
    long intervalMillis = config.getMillis(GfsConfigKeys.Diagnostic.SAMPLE_INTERVAL_MS, 100, 3_600_000);
    this.sampler = Sampler.start("chunkserver-" + serverId, ChunkServerPage.SAMPLE_WIDTH, intervalMillis, () -> {
      ChunkServerVitals v = vitals.get();
      return new double[] {v.capacityBytes(), v.usedBytes(), store.readBytes(), store.writtenBytes(),
          metrics.rpc().total()};
    });
    WebServer web;
    try {
      web = WebServer.start("chunkserver-" + serverId, bind);
    } catch (IOException e) {
      sampler.close();
      throw e;
    }
    this.server = web;
    ChunkServerPage page = new ChunkServerPage(vitals, store, diagnostics, sampler.ring());
    server.route("/", request -> WebResponse.html(page.html()))
        .route("/api/status", request -> WebResponse.json(page.json()))
        .route("/api/events", request -> WebResponse.json(page.events()))
        .route("/metrics", request -> metrics.registry().response());
  }

  /** Serves on gfs.chunkserver.http.address; null when that is empty (pages off). */
  public static ChunkServerWeb start(GfsConfig config, String serverId, Supplier<ChunkServerVitals> vitals,
      MeteredChunkStore store, DiagnosticLog diagnostics) throws IOException {
    String address = config.getString(GfsConfigKeys.ChunkServer.HTTP_ADDRESS).trim();
    if (address.isEmpty()) {
      return null;
    }
    HostPort bind;
    try {
      bind = HostPort.parse(address);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("gfs.chunkserver.http.address '" + address + "': " + e.getMessage(), e);
    }
    return new ChunkServerWeb(config, bind, serverId, vitals, store, diagnostics);
  }

  /** host:port of the pages, the real port when 0 was configured. */
  public HostPort address() {
    return server.address();
  }

  /** What to advertise to the master: a wildcard bind host is replaced by the RPC host the master knows. */
  public String advertisedAddress(String rpcHost) {
    HostPort bound = server.address();
    boolean wildcard = bound.host().equals("0.0.0.0") || bound.host().equals("::") || bound.host().isEmpty();
    return (wildcard ? rpcHost : bound.host()) + ":" + bound.port();
  }

  @Override
  public void close() {
    server.close();
    sampler.close();
  }
}
