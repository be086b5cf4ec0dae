package io.gfs.dist.admin;

import io.gfs.thrift.gen.ChunkServerStatus;
import io.gfs.thrift.gen.ClusterStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code gfs admin report} (HDFS's dfsadmin -report): the cluster's capacity and chunk health, then one row per live
 * chunkserver with its rack, capacity, use, chunk count, last heartbeat and service state.
 */
final class ReportCommand implements Command {
  @Override
  public String usage() {
    return "report";
  }

  @Override
  public int run(Args args, AdminContext context) throws IOException, UsageException {
    args.atMost(0);
    ClusterStatus s = context.admin().clusterStatus();
    PrintStream out = context.out();
    List<ChunkServerStatus> servers = new ArrayList<>(s.getChunkServers());
    servers.sort(Comparator.comparing(ChunkServerStatus::getRack)
        .thenComparing(c -> c.getAddress().getHost() + ":" + c.getAddress().getPort()));
    long capacity = 0;
    long used = 0;
    for (ChunkServerStatus c : servers) {
      capacity += c.getCapacityBytes();
      used += c.getUsedBytes();
    }
    out.printf("Cluster: %s (master role %s, op log at sequence %d)%n", s.getClusterName(),
        s.isSetRole() ? s.getRole() : "active", s.getLastLogSequence());
    out.printf("Safe mode: %s   Balancer: %s%n", s.isSafeMode() ? "ON" : "off",
        s.isSetBalancerEnabled() && !s.isBalancerEnabled() ? "stopped" : "running");
    out.printf("Configured capacity: %s   Used: %s (%s)   Remaining: %s%n", Formats.bytes(capacity),
        Formats.bytes(used), Formats.percent(used, capacity), Formats.bytes(Math.max(0, capacity - used)));
    out.printf("Files: %d   Directories: %d   Chunks: %d%n", s.getFileCount(), s.getDirectoryCount(),
        s.getChunkCount());
    out.printf("Under-replicated chunks: %d   Corrupt chunks: %d   Missing chunks: %d   Clones in flight: %d%n",
        s.getUnderReplicatedChunks(), s.getCorruptChunks(), s.getMissingChunks(), s.getClonesInFlight());
    if (s.isSetLogLagMillis()) {
      out.printf("Shadow lag: %s%n", Formats.age(s.getLogLagMillis()));
    }
    out.println();
    out.printf("Live chunkservers: %d%n", servers.size());
    String row = "%-22s %-16s %-10s %-16s %10s %10s %6s %7s %9s%n";
    out.printf(row, "ADDRESS", "SERVER ID", "RACK", "STATE", "CAPACITY", "USED", "USED%", "CHUNKS", "HEARTBEAT");
    for (ChunkServerStatus c : servers) {
      out.printf(row, c.getAddress().getHost() + ":" + c.getAddress().getPort(), shortId(c.getServerId()),
          c.getRack().isEmpty() ? "-" : c.getRack(), c.isSetState() ? c.getState() : "in-service",
          Formats.bytes(c.getCapacityBytes()), Formats.bytes(c.getUsedBytes()),
          Formats.percent(c.getUsedBytes(), c.getCapacityBytes()), c.getChunkCount(),
          Formats.age(c.getLastHeartbeatAgeMillis()) + " ago");
    }
    return 0;
  }

  /** Server ids are long (UUIDs); the first 16 characters tell them apart in a table. */
  private static String shortId(String serverId) {
    return serverId.length() <= 16 ? serverId : serverId.substring(0, 16);
  }
}
