package io.gfs.master.web;

import io.gfs.common.metrics.SampleRing;
import io.gfs.common.web.Json;
import io.gfs.common.web.RpcEventsView;
import io.gfs.master.state.LockTable;
import io.gfs.master.state.MasterState;
import io.gfs.master.state.StatusListing;
import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ClusterStatus;
import java.util.List;

/** The JSON behind the master's page (/api/...): the same data, for scripts and the admin tools. */
final class MasterApi {
  private final MasterView view;
  private final SampleRing samples;

  MasterApi(MasterView view, SampleRing samples) {
    this.view = view;
    this.samples = samples;
  }

  Json overview() {
    ClusterStatus status = view.cachedStatus();
    MasterState state = view.state();
    Json json = new Json().beginObject().field("cluster", view.clusterName()).field("role", view.role())
        .field("epoch", view.epoch()).field("rpcAddress", view.rpcAddress());
    if (status != null) {
      json.field("safeMode", status.isSafeMode()).field("chunkServers", status.getChunkServersSize())
          .field("capacityBytes", status.getChunkServers().stream().mapToLong(ChunkServerStatus::getCapacityBytes)
              .sum())
          .field("usedBytes", status.getChunkServers().stream().mapToLong(ChunkServerStatus::getUsedBytes).sum())
          .field("files", status.getFileCount()).field("directories", status.getDirectoryCount())
          .field("chunks", status.getChunkCount()).field("underReplicatedChunks", status.getUnderReplicatedChunks())
          .field("corruptChunks", status.getCorruptChunks()).field("missingChunks", status.getMissingChunks())
          .field("clonesInFlight", status.getClonesInFlight()).field("lastLogSequence", status.getLastLogSequence());
      if (status.isSetLogLagMillis()) {
        json.field("logLagMillis", status.getLogLagMillis());
      }
    } else if (state != null) {
      json.field("files", state.fileCount()).field("chunks", state.chunkCount());
    }
    if (state != null) {
      json.field("leases", state.leaseCount());
    }
    return json.endObject();
  }

  Json chunkServers() {
    ClusterStatus status = view.cachedStatus();
    Json json = new Json().beginArray();
    if (status != null) {
      for (ChunkServerStatus s : status.getChunkServers()) {
        json.beginObject().field("serverId", s.getServerId())
            .field("address", s.getAddress().getHost() + ":" + s.getAddress().getPort()).field("rack", s.getRack())
            .field("state", s.isSetState() ? s.getState() : "in-service").field("capacityBytes", s.getCapacityBytes())
            .field("usedBytes", s.getUsedBytes()).field("chunkCount", s.getChunkCount())
            .field("lastHeartbeatAgeMillis", s.getLastHeartbeatAgeMillis())
            .field("httpAddress", s.isSetHttpAddress() ? s.getHttpAddress() : null).endObject();
      }
    }
    return json.endArray();
  }

  Json chunks() {
    MasterState state = view.state();
    Json json = new Json().beginObject();
    if (state != null) {
      StatusListing.Problems problems = state.statusListing().problems(System.currentTimeMillis(), MasterPage.ROWS_MAX);
      json.field("underReplicatedCount", problems.underReplicatedCount());
      problems(json.name("underReplicated"), problems.underReplicated());
      json.field("corruptCount", problems.corruptCount());
      problems(json.name("corrupt"), problems.corrupt());
    }
    return json.endObject();
  }

  private static void problems(Json json, List<StatusListing.ChunkProblem> problems) {
    json.beginArray();
    for (StatusListing.ChunkProblem p : problems) {
      json.beginObject().field("handle", p.handle()).field("version", p.version())
          .field("lengthBytes", p.lengthBytes()).field("liveReplicas", p.liveReplicas())
          .field("replicationTarget", p.replicationTarget()).name("corruptOn").beginArray();
      p.corruptOn().forEach(json::value);
      json.endArray().endObject();
    }
    json.endArray();
  }

  Json leases() {
    MasterState state = view.state();
    Json json = new Json().beginArray();
    if (state != null) {
      for (StatusListing.LeaseStatus l : state.statusListing().leases(System.currentTimeMillis(),
          MasterPage.ROWS_MAX)) {
        json.beginObject().field("handle", l.handle()).field("version", l.version())
            .field("primaryId", l.primaryId()).field("remainingMillis", l.remainingMillis()).endObject();
      }
    }
    return json.endArray();
  }

  Json snapshots(String path) {
    MasterState state = view.state();
    Json json = new Json().beginObject().field("path", path).name("snapshots").beginArray();
    String problem = null;
    if (state != null) {
      try (LockTable.Held locks = state.lockRead(path)) {
        for (String name : state.listSnapshots(path)) {
          json.beginObject().field("name", name).field("path", snapshotPath(path, name)).endObject();
        }
      } catch (RuntimeException e) {
        problem = e.getMessage();
      }
    }
    json.endArray();
    if (problem != null) {
      json.field("error", problem);
    }
    return json.endObject();
  }

  Json events() {
    return RpcEventsView.json(view.recentEvents(), MasterPage.ROWS_MAX);
  }

  Json samples() {
    SampleRing.Samples samples = this.samples.snapshot();
    long[] times = samples.times();
    double[][] columns = {samples.column(0), samples.column(1), samples.rates(2), samples.rates(3), samples.rates(4)};
    String[] names = {"capacityBytes", "usedBytes", "clientCallsPerSecond", "heartbeatsPerSecond", "errorsPerSecond"};
    Json json = new Json().beginArray();
    for (int i = 0; i < times.length; i++) {
      json.beginObject().field("timeMillis", times[i]);
      for (int c = 0; c < names.length; c++) {
        json.field(names[c], columns[c][i]);
      }
      json.endObject();
    }
    return json.endArray();
  }

  /** Where a snapshot is read: {@code <path>/.snapshot/<name>}. */
  static String snapshotPath(String path, String name) {
    return (path.endsWith("/") ? path : path + "/") + ".snapshot/" + name;
  }
}
