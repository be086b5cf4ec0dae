package io.gfs.master.ha;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.master.state.HeartbeatReport;
import io.gfs.thrift.gen.AccessKey;
import io.gfs.thrift.gen.ChunkReport;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ShadowReport;
import io.gfs.thrift.gen.ShadowReportReply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A shadow master's side of chunk reports (issue 4, [0123]): chunkservers send a full report on first contact (or
 * when this shadow's incarnation is new to them), then deltas on the sequence this shadow acknowledged last. Each
 * report updates that server's {@link ReportedReplicas} and hands the whole set to the shadow's state as the server's
 * heartbeat report, which records locations, versions and lengths and the server's liveness. Everything the state
 * decides beyond that (deletes, version adoptions, lease extensions) is dropped: a shadow gives no orders and logs
 * nothing. A delta on any other base (a reply was lost, the shadow restarted) is refused with sequence -1, and the
 * chunkserver sends a full report next. The reply also carries the keys this shadow signs READ tokens with, which
 * chunkservers accept for reads only.
 */
public final class ShadowReports {
  /** Where reports go: the shadow state's heartbeat (full-report) entry. */
  public interface Locations {
    void record(HeartbeatReport report, long nowMillis);
  }

  private final Locations locations;
  private final Supplier<List<AccessKey>> readKeys;
  private final String defaultRack;
  private final long incarnation;
  private final Map<String, Stream> streams = new HashMap<>();

  private static final class Stream {
    long sequence;
    ReportedReplicas replicas = ReportedReplicas.EMPTY;
  }

  /** readKeys: the keys of this shadow's READ tokens (empty with tokens off). */
  public ShadowReports(Locations locations, Supplier<List<AccessKey>> readKeys, String defaultRack,
      RandomGenerator random) {
    this.locations = locations;
    this.readKeys = readKeys;
    this.defaultRack = defaultRack;
    long id = random.nextLong();
    this.incarnation = id == 0 ? 1 : id; // 0 is what a chunkserver that never heard of us sends
  }

  public long incarnation() {
    return incarnation;
  }

  public ShadowReportReply accept(ShadowReport report, long nowMillis) throws GfsException {
    HostPort address = validate(report);
    List<HeartbeatReport.Replica> listed = new ArrayList<>();
    for (ChunkReport chunk : report.getChunks()) {
      listed.add(new HeartbeatReport.Replica(chunk.getHandle(), chunk.getVersion(), chunk.getLengthBytes()));
    }
    long sequence;
    ReportedReplicas replicas;
    synchronized (this) {
      Stream stream = streams.computeIfAbsent(report.getServerId(), id -> new Stream());
      if (report.isFull()) {
        stream.replicas = ReportedReplicas.of(listed);
      } else if (report.getShadowIncarnation() == incarnation && report.getBaseSequence() == stream.sequence
          && stream.sequence > 0) {
        stream.replicas = stream.replicas.merge(listed, new HashSet<>(report.getRemovedChunks()));
      } else {
        return reply(-1); // not the base we hold: the server sends everything once more
      }
      stream.sequence++;
      sequence = stream.sequence;
      replicas = stream.replicas;
      // Recorded under this lock: two reports of one server must reach the state in the order they were merged.
      String rack = report.isSetRack() && !report.getRack().isBlank() ? report.getRack() : defaultRack;
      locations.record(new HeartbeatReport(report.getServerId(), address, rack, report.getCapacityBytes(),
          report.getUsedBytes(), replicas.replicas(), List.of(), List.of()), nowMillis);
    }
    return reply(sequence);
  }

  private ShadowReportReply reply(long sequence) {
    ShadowReportReply reply = new ShadowReportReply(incarnation, sequence, List.of());
    List<AccessKey> keys = readKeys.get();
    if (!keys.isEmpty()) {
      reply.setReadKeys(keys);
    }
    return reply;
  }

  private static HostPort validate(ShadowReport report) throws GfsException {
    if (report == null || report.getServerId() == null || report.getServerId().isBlank()
        || report.getAddress() == null || report.getChunks() == null || report.getRemovedChunks() == null) {
      throw RpcErrors.error(ErrorCode.INVALID_ARGUMENT, "reportToShadow: a report needs a server id, an address and"
          + " its chunk lists");
    }
    HostPort address;
    try {
      address = RpcErrors.fromThrift(report.getAddress());
    } catch (IllegalArgumentException e) {
      throw RpcErrors.error(ErrorCode.INVALID_ARGUMENT, "reportToShadow: bad address: %s", e.getMessage());
    }
    if (address.port() == 0) {
      throw RpcErrors.error(ErrorCode.INVALID_ARGUMENT, "reportToShadow from %s advertises port 0",
          report.getServerId());
    }
    return address;
  }
}
