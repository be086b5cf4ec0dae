package io.gfs.dist.reliability;

import io.gfs.client.GfsClient;
import io.gfs.client.GfsFileWriter;
import io.gfs.common.Crc32c;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.dist.MiniGfsCluster;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.RecordAppendRequest;
import io.gfs.thrift.gen.WriteRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Leases [0092-0096] and chunk versions [0079-0081]: a chunk's primary is SIGSTOPped past its lease; another client
 * writes meanwhile, so the master grants the chunk at a new version to the other replicas; the old primary is
 * resumed and sent, as by a client still holding the old lease, a write and a record append at the old version.
 * It must apply neither, and the file must read back exactly as acknowledged, without the stale bytes.
 */
class LeaseFencingIT {
  private static final String SCENARIO = "lease-fencing";
  private static final int CHUNK_SERVERS = 3;
  private static final String PATH = "/lease/file";

  @Test
  void aPrimaryPausedPastItsLeaseAppliesNothingAtTheOldVersion() throws Exception {
    ReliabilityRun run = ReliabilityRun.of(SCENARIO, 0);
    int rounds = run.soak() ? (int) Math.max(1, run.runMillis() / 20_000) : 2;
    SplittableRandom random = new SplittableRandom(run.seed());
    List<LeaseFenceChecker.Grant> grants = new ArrayList<>();
    List<LeaseFenceChecker.Apply> applies = new ArrayList<>();
    long length = 0;
    try (MiniGfsCluster cluster = ScenarioSupport.cluster(SCENARIO, CHUNK_SERVERS).build();
        GfsClient client = ScenarioSupport.client(cluster, cluster.masterAddress());
        RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(5_000))) {
      length = append(client, PATH, run.seed(), 0, 100_000, true);
      for (int round = 0; round < rounds; round++) {
        // a fresh lease on a fresh primary each round: written to just now, so the master grants it anew
        length = append(client, PATH, run.seed(), length, 1_000, false);
        ChunkLease old = lease(rpc, cluster);
        grants.add(new LeaseFenceChecker.Grant(old.getHandle(), old.getVersion(), old.getPrimary().toString(),
            System.nanoTime()));
        int primary = ChunkFiles.serverIndex(cluster, CHUNK_SERVERS, old.getPrimary());
        run.log("round %d: chunk %d version %d, primary cs%d paused", round, old.getHandle(), old.getVersion(),
            primary);
        cluster.pauseChunkServer(primary);
        HostPort stalePrimary = RpcErrors.fromThrift(old.getPrimary());
        long seed = random.nextLong();
        // A slow client still holding the old lease: its mutations wait in the paused primary's socket and are the
        // first thing it reads after SIGCONT, before a heartbeat tells it that its replica is stale.
        Thread slowClient = new Thread(() -> {
          SplittableRandom r = new SplittableRandom(seed);
          try (RpcClients slow = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(30_000))) {
            LeaseFenceChecker.Apply write = staleWrite(slow, stalePrimary, old, r);
            LeaseFenceChecker.Apply append = staleAppend(slow, stalePrimary, old, r);
            synchronized (applies) {
              applies.add(write);
              applies.add(append);
            }
          }
        }, "slow-client");
        try {
          // Past the lease (3 s) and the liveness timeout (2 s): the next write needs a new lease without it.
          Thread.sleep(6_000);
          length = append(client, PATH, run.seed(), length, 20_000 + random.nextInt(30_000), false);
          ChunkLease fresh = lease(rpc, cluster);
          grants.add(new LeaseFenceChecker.Grant(fresh.getHandle(), fresh.getVersion(),
              fresh.getPrimary().toString(), System.nanoTime()));
          slowClient.start();
          Thread.sleep(500);
        } finally {
          cluster.resumeChunkServer(primary);
        }
        slowClient.join();
        cluster.waitForChunkServers(CHUNK_SERVERS);
      }
      long expected = length;
      CheckResult fence = new LeaseFenceChecker().check(grants, applies);
      CheckResult content;
      try (GfsClient reader = ScenarioSupport.client(cluster, cluster.masterAddress())) {
        content = new FileContentChecker().check(List.of(new ExpectedFile(PATH, run.seed(), expected, true)),
            p -> ScenarioSupport.readAll(reader, p));
      }
      run.log("grants %s; stale mutations %s; %s; %s", grants, applies, fence, content);
      ReliabilityTable.record(ScenarioRow.of(run, applies.size() + 2L * rounds, rounds,
          List.of(fence, content)));
      fence.assertOk();
      content.assertOk();
    }
  }

  /** The lease on chunk 0, as a client gets it: BUSY (the chunk is being repaired) is retried for up to 60 s. */
  private static ChunkLease lease(RpcClients rpc, MiniGfsCluster cluster) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try {
        return rpc.master(cluster.masterAddress(), c -> c.acquireLease(PATH, 0));
      } catch (GfsException e) {
        if (e.getCode() != io.gfs.thrift.gen.ErrorCode.BUSY || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  /** Appends length bytes of the file's pattern at its end (creating it first if asked); returns the new length. */
  private static long append(GfsClient client, String path, long seed, long at, int length, boolean create)
      throws Exception {
    try (GfsFileWriter w = create ? client.create(path, false, true, CHUNK_SERVERS) : client.append(path)) {
      w.write(Payloads.bytes(seed, at, length), 0, length);
    }
    return at + length;
  }

  private static LeaseFenceChecker.Apply staleWrite(RpcClients rpc, HostPort primary, ChunkLease old,
      SplittableRandom random) {
    byte[] junk = Payloads.bytes(random.nextLong(), 0, 4096);
    long dataId = random.nextLong();
    long sent = System.nanoTime();
    try {
      push(rpc, primary, dataId, junk, old);
      WriteRequest request = new WriteRequest(old.getHandle(), old.getVersion(), 0, dataId, junk.length,
          old.getSecondaries(), true);
      if (old.isSetAccessToken()) {
        request.setAccessToken(old.getAccessToken());
      }
      rpc.chunkServer(primary, c -> {
        c.write(request);
        return null;
      });
      return new LeaseFenceChecker.Apply(old.getHandle(), old.getVersion(), primary.toString(), sent, true, "");
    } catch (Exception e) {
      return refused(old, primary, sent, e);
    }
  }

  private static LeaseFenceChecker.Apply staleAppend(RpcClients rpc, HostPort primary, ChunkLease old,
      SplittableRandom random) {
    byte[] junk = Payloads.bytes(random.nextLong(), 0, 4096);
    long dataId = random.nextLong();
    long sent = System.nanoTime();
    try {
      push(rpc, primary, dataId, junk, old);
      RecordAppendRequest request = new RecordAppendRequest(old.getHandle(), old.getVersion(), dataId, junk.length,
          old.getSecondaries(), true, old.getChunkSizeBytes());
      if (old.isSetAccessToken()) {
        request.setAccessToken(old.getAccessToken());
      }
      rpc.chunkServer(primary, c -> c.recordAppend(request));
      return new LeaseFenceChecker.Apply(old.getHandle(), old.getVersion(), primary.toString(), sent, true, "");
    } catch (Exception e) {
      return refused(old, primary, sent, e);
    }
  }

  private static void push(RpcClients rpc, HostPort to, long dataId, byte[] data, ChunkLease lease)
      throws Exception {
    ByteBuffer token = lease.isSetAccessToken() ? lease.bufferForAccessToken() : null;
    rpc.chunkServer(to, c -> {
      c.pushData(dataId, 0, ByteBuffer.wrap(data), true, data.length, Crc32c.of(data, 0, data.length), List.of(),
          token);
      return null;
    });
  }

  private static LeaseFenceChecker.Apply refused(ChunkLease old, HostPort primary, long sent, Exception e) {
    String reason = e instanceof GfsException g ? g.getCode() + ": " + g.getMessage() : e.toString();
    return new LeaseFenceChecker.Apply(old.getHandle(), old.getVersion(), primary.toString(), sent, false, reason);
  }
}
