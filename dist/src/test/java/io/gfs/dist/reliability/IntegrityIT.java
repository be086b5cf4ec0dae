package io.gfs.dist.reliability;

import io.gfs.client.GfsClient;
import io.gfs.client.state.ChunkReplicas;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.dist.MiniGfsCluster;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ServerAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Integrity [0125-0131]: random bits flipped in the chunk files of one or two of each chunk's three replicas never
 * reach a client; the scrubber and re-replication bring every chunk back to three replicas that verify; and when all
 * replicas of a chunk are corrupt, the client gets a clear error, never bytes.
 */
class IntegrityIT {
  private static final String SCENARIO = "integrity-bit-flips";
  private static final int CHUNK_SERVERS = 4;
  private static final int REPLICAS = 3;

  @Test
  void flippedBitsNeverReachAClientAndReplicationRecovers() throws Exception {
    ReliabilityRun run = ReliabilityRun.of(SCENARIO, 0);
    int rounds = run.soak() ? (int) Math.max(1, run.runMillis() / 60_000) : 1;
    SplittableRandom random = new SplittableRandom(run.seed());
    try (MiniGfsCluster cluster = ScenarioSupport.cluster(SCENARIO, CHUNK_SERVERS)
            .chunkServerConfig(GfsConfigKeys.ChunkServer.SCRUB_IDLE_MS.name(), "0")
            .chunkServerConfig(GfsConfigKeys.ChunkServer.SCRUB_PERIOD_MS.name(), "2000")
            .chunkServerConfig(GfsConfigKeys.ChunkServer.SCRUB_BYTES_PER_SECOND.name(), "256m").build();
        GfsClient client = ScenarioSupport.client(cluster, cluster.masterAddress())) {
      long flips = 0;
      long operations = 0;
      List<CheckResult> results = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        List<ExpectedFile> files = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
          String path = "/integrity/r" + round + "-f" + f;
          long length = ScenarioSupport.CHUNK_BYTES + random.nextLong(2 * ScenarioSupport.CHUNK_BYTES);
          write(client, path, run.seed() + 100L * round + f, length);
          files.add(new ExpectedFile(path, run.seed() + 100L * round + f, length, true));
        }
        for (ExpectedFile f : files) {
          flips += flipSome(cluster, client, f.path(), random);
        }
        try (GfsClient reader = ScenarioSupport.client(cluster, cluster.masterAddress())) {
          results.add(new FileContentChecker().check(files, p -> ScenarioSupport.readAll(reader, p)));
        }
        results.add(awaitFullReplication(cluster, client, files, run));
        operations += files.size();
      }
      results.add(allReplicasCorrupt(cluster, client, run, random));
      operations++;
      flips += REPLICAS;
      run.log("%d bits flipped, %d files read; %s", flips, operations, results);
      ReliabilityTable.record(ScenarioRow.of(run, operations, flips, results));
      for (CheckResult r : results) {
        r.assertOk();
      }
    }
  }

  private static void write(GfsClient client, String path, long seed, long length) throws IOException {
    try (var writer = client.create(path, false, true, REPLICAS)) {
      for (long at = 0; at < length; at += 1 << 20) {
        int n = (int) Math.min(1 << 20, length - at);
        writer.write(Payloads.bytes(seed, at, n), 0, n);
      }
    }
  }

  /** Flips a bit in one or two (never all three) replicas of every chunk of path; returns how many. */
  private static int flipSome(MiniGfsCluster cluster, GfsClient client, String path, SplittableRandom random)
      throws IOException {
    int flipped = 0;
    for (ChunkReplicas chunk : client.chunkLocations(path, 0, Long.MAX_VALUE / 2)) {
      List<HostPort> replicas = new ArrayList<>(chunk.replicas());
      int victims = 1 + random.nextInt(REPLICAS - 1);
      for (int v = 0; v < victims && !replicas.isEmpty(); v++) {
        HostPort replica = replicas.remove(random.nextInt(replicas.size()));
        int index = ChunkFiles.serverIndex(cluster, CHUNK_SERVERS, new ServerAddress(replica.host(), replica.port()));
        Optional<Path> file = ChunkFiles.chunkFile(cluster.chunkServerDataDir(index), chunk.handle());
        if (file.isPresent() && Files.size(file.get()) > 0) {
          ChunkFiles.flipBit(file.get(), random.nextLong(Files.size(file.get())), random.nextInt(8));
          flipped++;
        }
      }
    }
    return flipped;
  }

  /** Every chunk back at three replicas, each of which returns exactly the acknowledged bytes of its chunk. */
  private static CheckResult awaitFullReplication(MiniGfsCluster cluster, GfsClient client, List<ExpectedFile> files,
      ReliabilityRun run) throws Exception {
    Map<Long, Integer> good = new HashMap<>();
    ScenarioSupport.await(120_000, () -> {
      good.clear();
      try (RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(5_000))) {
        for (ExpectedFile f : files) {
          for (ChunkLocation chunk : rpc.master(cluster.masterAddress(), c -> c.findChunks(f.path(), 0, 100))
              .getChunks()) {
            long from = chunk.getChunkIndex() * ScenarioSupport.CHUNK_BYTES;
            int length = (int) Math.min(ScenarioSupport.CHUNK_BYTES, f.durableBytes() - from);
            good.put(chunk.getHandle(), verifiedReplicas(rpc, chunk, Payloads.bytes(f.seed(), from, length)));
          }
        }
      } catch (Exception notYet) {
        return false;
      }
      return good.values().stream().allMatch(n -> n >= REPLICAS);
    });
    run.log("good replicas per chunk after repair: %s", good);
    return new IntegrityChecker().checkReplication(good, REPLICAS);
  }

  /** Replicas that return exactly the chunk's acknowledged bytes (an empty or short copy is not a good replica). */
  private static int verifiedReplicas(RpcClients rpc, ChunkLocation chunk, byte[] expected) {
    int ok = 0;
    for (ServerAddress replica : chunk.getReplicas()) {
      HostPort at = new HostPort(replica.getHost(), replica.getPort());
      try {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        while (bytes.size() < expected.length) {
          long from = bytes.size();
          var r = rpc.chunkServer(at, c -> c.read(chunk.getHandle(), chunk.getVersion(), from, 1 << 20,
              chunk.bufferForAccessToken()));
          if (r.getData().length == 0) {
            break;
          }
          bytes.write(r.getData());
        }
        if (java.util.Arrays.equals(expected, bytes.toByteArray())) {
          ok++;
        }
      } catch (Exception corruptOrDown) {
        // not a good replica (yet)
      }
    }
    return ok;
  }

  /** One chunk with a bit flipped in every replica: the client must get an error that says so. */
  private static CheckResult allReplicasCorrupt(MiniGfsCluster cluster, GfsClient client, ReliabilityRun run,
      SplittableRandom random) throws Exception {
    String path = "/integrity/all-corrupt";
    write(client, path, run.seed() ^ 0xA11, 200_000);
    ChunkReplicas chunk = client.chunkLocations(path, 0, 0).get(0);
    for (HostPort replica : chunk.replicas()) {
      int index = ChunkFiles.serverIndex(cluster, CHUNK_SERVERS, new ServerAddress(replica.host(), replica.port()));
      Path file = ChunkFiles.chunkFile(cluster.chunkServerDataDir(index), chunk.handle()).orElseThrow();
      ChunkFiles.flipBit(file, random.nextLong(Files.size(file)), random.nextInt(8));
    }
    IntegrityChecker.AllCorruptRead outcome;
    try (GfsClient reader = ScenarioSupport.client(cluster, cluster.masterAddress())) {
      byte[] bytes = ScenarioSupport.readAll(reader, path);
      outcome = new IntegrityChecker.AllCorruptRead(path, bytes, null);
    } catch (IOException e) {
      run.log("all replicas corrupt: the client got %s", e.toString());
      outcome = new IntegrityChecker.AllCorruptRead(path, null, e.toString());
    }
    return new IntegrityChecker().checkAllCorrupt(List.of(outcome));
  }
}
