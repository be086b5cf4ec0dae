package io.gfs.dist.repair;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.dist.MiniGfsCluster;
import io.gfs.thrift.gen.ChunkLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.thrift.TException;

/** What the kill test asks the master, and the clone start order it reads from the master's log. */
final class KillChecks {
  /** The Replicator's start line for a re-replication clone (rebalancing moves say "rebalancing move"). */
  private static final Pattern CLONE_START =
      Pattern.compile("clone #(\\d+) of chunk (\\d+) v\\d+ from \\S+ to \\S+ \\((\\d+) replicas missing\\)");

  private KillChecks() {}

  static long underReplicated(RpcClients rpc, HostPort master) {
    try {
      return rpc.master(master, c -> c.getClusterStatus()).getUnderReplicatedChunks();
    } catch (TException e) {
      throw new IllegalStateException(e);
    }
  }

  static int liveServers(RpcClients rpc, HostPort master) {
    try {
      return rpc.master(master, c -> c.getClusterStatus()).getChunkServersSize();
    } catch (TException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Handles of the files' chunks with a replica on server. */
  static Set<Long> handlesOn(RpcClients rpc, HostPort master, List<String> paths, HostPort server)
      throws TException {
    Set<Long> out = new TreeSet<>();
    for (String path : paths) {
      for (ChunkLocation chunk : RepairSupport.chunks(rpc, master, path)) {
        if (RepairSupport.holds(chunk, server)) {
          out.add(chunk.getHandle());
        }
      }
    }
    return out;
  }

  static long lastChunk(RpcClients rpc, HostPort master, String path) throws TException {
    List<ChunkLocation> chunks = RepairSupport.chunks(rpc, master, path);
    return chunks.get(chunks.size() - 1).getHandle();
  }

  /** The first of the paths whose last chunk has a replica on server. */
  static String fileWhoseLastChunkIsOn(RpcClients rpc, HostPort master, List<String> paths, HostPort server)
      throws TException {
    for (String path : paths) {
      List<ChunkLocation> chunks = RepairSupport.chunks(rpc, master, path);
      if (RepairSupport.holds(chunks.get(chunks.size() - 1), server)) {
        return path;
      }
    }
    throw new IllegalStateException("no file of " + paths + " has its last chunk on " + server);
  }

  /** Every chunk of the paths has three replicas, none on the killed server. */
  static boolean allOnLive(RpcClients rpc, HostPort master, List<String> paths, HostPort killed) {
    try {
      for (String path : paths) {
        for (ChunkLocation c : RepairSupport.chunks(rpc, master, path)) {
          if (c.getReplicasSize() != 3 || RepairSupport.holds(c, killed)) {
            return false;
          }
        }
      }
      return true;
    } catch (TException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Handles of the re-replication clones the master started, in start order (from its log). */
  static List<Long> cloneStarts(MiniGfsCluster cluster) {
    Map<Long, Long> byNumber = new TreeMap<>();
    try {
      for (String line : Files.readAllLines(cluster.baseDir().resolve("logs/master.log"),
          StandardCharsets.UTF_8)) {
        Matcher m = CLONE_START.matcher(line);
        if (m.find()) {
          byNumber.put(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(byNumber.values());
  }

  /**
   * Of all pairs (a chunk of higher, a chunk of lower), the fraction whose first clone started in that order; a chunk
   * never cloned counts as starting last.
   */
  static double orderedFraction(List<Long> starts, Set<Long> higher, Set<Long> lower) {
    Map<Long, Integer> first = new HashMap<>();
    for (int i = 0; i < starts.size(); i++) {
      first.putIfAbsent(starts.get(i), i);
    }
    long pairs = 0;
    long ordered = 0;
    for (long h : higher) {
      int ph = first.getOrDefault(h, Integer.MAX_VALUE);
      for (long l : lower) {
        int pl = first.getOrDefault(l, Integer.MAX_VALUE);
        pairs++;
        if (ph < pl) {
          ordered++;
        }
      }
    }
    return pairs == 0 ? 1.0 : (double) ordered / pairs;
  }
}
