package io.gfs.dist.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.dist.MiniGfsCluster;
import io.gfs.thrift.gen.ChunkLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.thrift.TException;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, scrubbing and repair [0127, 0131]: a byte flipped in an idle chunk file is found by the chunkserver's
 * scrubber (no client read), reported, and the master clones a good replica elsewhere and then has the bad one
 * deleted, so the chunk is back to three good replicas. The chunk is still under its writer's lease (the default 60 s)
 * when the byte flips: the master stops that lease rather than wait for it, so the count of good replicas is below
 * target only for as long as the repair itself takes (scrub, report, clone), polled every 100 ms and asserted well
 * below the lease's length, and it never drops again (not when the bad copy is deleted either).
 */
class ScrubRepairIT {
  private static final long CHUNK_BYTES = 4L << 20;
  private static final int FILE_BYTES = 2 * (4 << 20) + 4_321;
  /** The default lease, left on the chunk by the write: the repair must not wait for it. */
  private static final long LEASE_MILLIS = 60_000;
  /**
   * Scrub idle time and period (1 s each here), a heartbeat (0.5 s), the lease stop and a 4 MiB clone take a few
   * seconds; a third of the lease still tells a repair that waited for the lease from one that did not.
   */
  private static final long BELOW_TARGET_MILLIS_MAX = LEASE_MILLIS / 3;
  private static final long REPAIR_TIMEOUT_MILLIS = LEASE_MILLIS + 60_000;

  @Test
  void scrubberFindsFlippedByteAndMasterReplacesTheReplica() throws Exception {
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(RepairSupport.clusterDir("scrub"))
            .chunkServers(4).chunkSizeBytes(CHUNK_BYTES).separateProcesses(true).heartbeatIntervalMillis(500)
            .leaseDurationMillis(LEASE_MILLIS)
            .chunkServerConfig(GfsConfigKeys.ChunkServer.SCRUB_IDLE_MS.name(), "1000")
            .chunkServerConfig(GfsConfigKeys.ChunkServer.SCRUB_PERIOD_MS.name(), "1000")
            .chunkServerConfig(GfsConfigKeys.ChunkServer.SCRUB_BYTES_PER_SECOND.name(), "256m")
            .build();
        FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration());
        RpcClients rpc = new RpcClients(RpcLimits.defaults())) {
      byte[] data = new byte[FILE_BYTES];
      RepairSupport.fill(31, 0, data, 0, data.length);
      try (FSDataOutputStream out = fs.create(new Path("/scrub/f"))) {
        out.write(data);
      }
      HostPort master = cluster.masterAddress();
      assertTrue(RepairSupport.await(30_000, 200, () -> fullyReplicated(rpc, master, 3)), "written at 3 replicas");

      // The first chunk: pick a replica, wait until the chunk is idle, flip a byte in its file on disk.
      ChunkLocation chunk = RepairSupport.chunks(rpc, master, "/scrub/f").get(0);
      int bad = serverIndex(cluster, chunk);
      java.nio.file.Path file = RepairSupport.chunkFile(cluster.chunkServerDataDir(bad), chunk.getHandle());
      assertNotNull(file, "chunk file of " + chunk.getHandle() + " on chunkserver " + bad);
      Thread.sleep(1_500); // past gfs.chunkserver.scrub.idle.ms, so the scrubber may take it up
      byte[] before = Files.readAllBytes(file);
      System.out.printf("ScrubRepairIT: flipping a byte of %s (%d bytes) on chunkserver %d%n", file, before.length,
          bad);
      assertTrue(before.length > 0, "chunk file " + file + " holds the chunk's bytes");
      RepairSupport.flipByte(file, before.length / 2);
      long flippedAt = System.nanoTime();
      HostPort badAddress = cluster.chunkServerAddress(bad);

      // Repaired: three replicas, none of them the corrupted one, and its bad copy gone from its disk. Good replicas
      // are those the master lists other than the corrupted one (from the flip on it is bad, known or not).
      assertTrue(RepairSupport.await(REPAIR_TIMEOUT_MILLIS, 100, () -> goodReplicas(rpc, master, badAddress) == 3),
          "a good replica replaces the corrupted one on chunkserver " + bad);
      long replacedMillis = (System.nanoTime() - flippedAt) / 1_000_000;
      AtomicInteger fewestGoodAfter = new AtomicInteger(3);
      assertTrue(RepairSupport.await(REPAIR_TIMEOUT_MILLIS, 100, () -> {
        fewestGoodAfter.accumulateAndGet(goodReplicas(rpc, master, badAddress), Math::min);
        return badCopyGone(cluster, bad, chunk, before);
      }), "the corrupted copy is deleted from chunkserver " + bad);
      long deletedMillis = (System.nanoTime() - flippedAt) / 1_000_000;
      for (int i = 0; i < 20; i++) { // a few heartbeats past the deletion
        fewestGoodAfter.accumulateAndGet(goodReplicas(rpc, master, badAddress), Math::min);
        Thread.sleep(100);
      }
      assertTrue(RepairSupport.await(REPAIR_TIMEOUT_MILLIS, 200, () -> fullyReplicated(rpc, master, 0)),
          "no chunk under-replicated");
      System.out.printf("ScrubRepairIT: corrupted replica on chunkserver %d: good replicas below target for %d ms "
          + "(limit %d ms; the lease had %d ms), bad copy deleted after %d ms, fewest good replicas afterwards %d%n",
          bad, replacedMillis, BELOW_TARGET_MILLIS_MAX, LEASE_MILLIS, deletedMillis, fewestGoodAfter.get());
      assertTrue(replacedMillis <= BELOW_TARGET_MILLIS_MAX, "good replicas below target for " + replacedMillis
          + " ms: the repair waited (for the lease?)");
      assertEquals(3, fewestGoodAfter.get(), "the count of good replicas never drops again after the repair");

      byte[] back = new byte[FILE_BYTES];
      try (FSDataInputStream in = fs.open(new Path("/scrub/f"))) {
        in.readFully(0, back);
      }
      assertArrayEquals(data, back);
      for (ChunkLocation c : RepairSupport.chunks(rpc, master, "/scrub/f")) {
        assertEquals(3, c.getReplicasSize(), "chunk " + c.getChunkIndex());
      }
    }
  }

  /** The first chunk's replicas the master lists, the corrupted one left out. */
  private static int goodReplicas(RpcClients rpc, HostPort master, HostPort bad) {
    try {
      ChunkLocation now = RepairSupport.chunks(rpc, master, "/scrub/f").get(0);
      return now.getReplicasSize() - (RepairSupport.holds(now, bad) ? 1 : 0);
    } catch (TException e) {
      throw new IllegalStateException(e);
    }
  }

  /** With minReplicas > 0: every chunk has that many replicas; with 0: the master counts none under-replicated. */
  private static boolean fullyReplicated(RpcClients rpc, HostPort master, int minReplicas) {
    try {
      if (minReplicas == 0) {
        return rpc.master(master, c -> c.getClusterStatus()).getUnderReplicatedChunks() == 0;
      }
      List<ChunkLocation> chunks = RepairSupport.chunks(rpc, master, "/scrub/f");
      return chunks.size() == 3 && chunks.stream().allMatch(c -> c.getReplicasSize() >= minReplicas);
    } catch (TException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The corrupted bytes are no longer on the bad server's disk (deleted, or replaced by a good clone later). */
  private static boolean badCopyGone(MiniGfsCluster cluster, int bad, ChunkLocation chunk, byte[] original) {
    try {
      java.nio.file.Path file = RepairSupport.chunkFile(cluster.chunkServerDataDir(bad), chunk.getHandle());
      return file == null || Arrays.equals(Files.readAllBytes(file), original);
    } catch (IOException e) {
      return false; // deleted while reading
    }
  }

  private static int serverIndex(MiniGfsCluster cluster, ChunkLocation chunk) {
    for (int i = 0; i < 4; i++) {
      if (RepairSupport.holds(chunk, cluster.chunkServerAddress(i))) {
        return i;
      }
    }
    throw new IllegalStateException("no replica of chunk " + chunk.getHandle() + " on a known chunkserver");
  }
}
