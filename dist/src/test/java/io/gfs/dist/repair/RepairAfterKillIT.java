package io.gfs.dist.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.dist.MiniGfsCluster;
import io.gfs.thrift.gen.ChunkLocation;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.thrift.TException;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, re-replication [0069-0072] with real processes: about 300 MB in 4 MiB chunks at replication 3 on four
 * chunkservers; one is SIGKILLed while a client keeps writing. Every chunk must be back at three live replicas within
 * {@link #REPAIR_TIMEOUT_MILLIS}, the client's write rate from the kill until the repair is done must be at least
 * half its rate before the kill, and everything reads back byte-identical.
 */
class RepairAfterKillIT {
  private static final long CHUNK_BYTES = 4L << 20;
  private static final int FILES = 10;
  private static final int FILE_BYTES = 30 << 20;
  private static final int WRITER_FILE_BYTES = 16 << 20;
  private static final int BLOCK_BYTES = 1 << 20;
  private static final long REPAIR_TIMEOUT_MILLIS = 120_000;
  private static final long BEFORE_WINDOW_MILLIS = 15_000;
  private static final int KILLED = 0;
  /**
   * Set explicitly so the rate check does not depend on the default: each clone pulls at most 16 MB/s and each
   * chunkserver takes part in at most two at once (the master's per-server limit), so the three survivors clone at
   * most ~48 MB/s in all, which repairs ~225 MB in seconds yet leaves disk and CPU to the client on a 2-core machine.
   */
  private static final String CLONE_BYTES_PER_SECOND = "16m";

  @Test
  void everyChunkBackToThreeReplicasWhileAClientKeepsWriting() throws Exception {
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(RepairSupport.clusterDir("kill"))
            .chunkServers(4).chunkSizeBytes(CHUNK_BYTES).separateProcesses(true)
            .heartbeatIntervalMillis(500).chunkServerDeadAfterMillis(3_000)
            .chunkServerConfig(GfsConfigKeys.ChunkServer.CLONE_BYTES_PER_SECOND.name(), CLONE_BYTES_PER_SECOND)
            .build();
        FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration());
        RpcClients rpc = new RpcClients(RpcLimits.defaults())) {
      HostPort master = cluster.masterAddress();
      long writeStart = System.nanoTime();
      for (int f = 0; f < FILES; f++) {
        write(fs, "/repair/data" + f, f, FILE_BYTES, null);
      }
      System.out.printf("RepairAfterKillIT: wrote %d MiB in %d ms%n", (long) FILES * FILE_BYTES >> 20,
          (System.nanoTime() - writeStart) / 1_000_000);
      assertTrue(RepairSupport.await(30_000, 200, () -> underReplicated(rpc, master) == 0), "initially replicated");

      // A client writing all along: bytes acknowledged by write() calls, sampled with timestamps.
      AtomicLong written = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> writerFailure = new AtomicReference<>();
      ConcurrentLinkedQueue<String> writerFiles = new ConcurrentLinkedQueue<>();
      Thread writer = new Thread(() -> {
        try (FileSystem wfs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
          for (int n = 0; !stop.get(); n++) {
            String path = "/repair/writer" + n;
            write(wfs, path, 1000 + n, WRITER_FILE_BYTES, written);
            writerFiles.add(path);
          }
        } catch (Throwable t) {
          writerFailure.set(t);
        }
      }, "repair-writer");
      writer.start();
      try {
        Thread.sleep(2_000); // warm-up, not measured
        long beforeBytes0 = written.get();
        long before0 = System.nanoTime();
        Thread.sleep(BEFORE_WINDOW_MILLIS);
        double beforeRate = rate(written.get() - beforeBytes0, System.nanoTime() - before0);

        cluster.killChunkServer(KILLED);
        long killedAt = System.nanoTime();
        long duringBytes0 = written.get();
        HostPort killed = cluster.chunkServerAddress(KILLED);
        AtomicLong maxUnder = new AtomicLong();
        boolean repaired = RepairSupport.await(REPAIR_TIMEOUT_MILLIS, 250, () -> {
          long under = underReplicated(rpc, master);
          maxUnder.accumulateAndGet(under, Math::max);
          return maxUnder.get() > 0 && under == 0 && allOnLiveReplicas(rpc, master, killed, List.of());
        });
        long repairMillis = (System.nanoTime() - killedAt) / 1_000_000;
        double duringRate = rate(written.get() - duringBytes0, System.nanoTime() - killedAt);
        System.out.printf("RepairAfterKillIT: client %.1f MB/s before the kill, %.1f MB/s from the kill to the "
                + "repair; %d chunks under-replicated at most; repaired=%s after %d ms (limit %d ms)%n",
            beforeRate / 1e6, duringRate / 1e6, maxUnder.get(), repaired, repairMillis, REPAIR_TIMEOUT_MILLIS);
        assertTrue(repaired, "every chunk back at 3 live replicas within " + REPAIR_TIMEOUT_MILLIS + " ms");
        assertNull(writerFailure.get(), () -> "writer failed: " + writerFailure.get());
        assertTrue(duringRate >= beforeRate / 2, String.format(
            "client rate during repair %.1f MB/s below half of %.1f MB/s", duringRate / 1e6, beforeRate / 1e6));
      } finally {
        stop.set(true);
        writer.join(120_000);
      }
      assertNull(writerFailure.get(), () -> "writer failed: " + writerFailure.get());
      assertFalse(writer.isAlive(), "writer finished");
      HostPort killed = cluster.chunkServerAddress(KILLED);
      assertTrue(RepairSupport.await(REPAIR_TIMEOUT_MILLIS, 250,
          () -> underReplicated(rpc, master) == 0 && allOnLiveReplicas(rpc, master, killed, writerFiles)),
          "writer's files at 3 live replicas too");

      for (int f = 0; f < FILES; f++) {
        verify(fs, "/repair/data" + f, f, FILE_BYTES);
      }
      int n = 0;
      for (String path : writerFiles) {
        verify(fs, path, 1000 + Integer.parseInt(path.substring("/repair/writer".length())), WRITER_FILE_BYTES);
        n++;
      }
      System.out.printf("RepairAfterKillIT: %d data files and %d writer files read back byte-identical%n", FILES, n);
    }
  }

  private static double rate(long bytes, long nanos) {
    return bytes * 1e9 / Math.max(1, nanos);
  }

  private static void write(FileSystem fs, String path, long seed, int length, AtomicLong progress)
      throws IOException {
    byte[] block = new byte[BLOCK_BYTES];
    try (FSDataOutputStream out = fs.create(new Path(path))) {
      for (long at = 0; at < length; at += BLOCK_BYTES) {
        int n = (int) Math.min(BLOCK_BYTES, length - at);
        RepairSupport.fill(seed, at, block, 0, n);
        out.write(block, 0, n);
        if (progress != null) {
          progress.addAndGet(n);
        }
      }
    }
  }

  private static void verify(FileSystem fs, String path, long seed, int length) throws IOException {
    assertEquals(length, fs.getFileStatus(new Path(path)).getLen(), path);
    byte[] got = new byte[BLOCK_BYTES];
    byte[] want = new byte[BLOCK_BYTES];
    try (FSDataInputStream in = fs.open(new Path(path))) {
      for (long at = 0; at < length; at += BLOCK_BYTES) {
        int n = (int) Math.min(BLOCK_BYTES, length - at);
        in.readFully(at, got, 0, n);
        RepairSupport.fill(seed, at, want, 0, n);
        for (int i = 0; i < n; i++) {
          if (got[i] != want[i]) {
            throw new AssertionError(path + " differs at byte " + (at + i));
          }
        }
      }
    }
  }

  private static long underReplicated(RpcClients rpc, HostPort master) {
    try {
      return rpc.master(master, c -> c.getClusterStatus()).getUnderReplicatedChunks();
    } catch (TException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every chunk of the data files (and of extra) has exactly 3 replicas, none on the killed chunkserver. */
  private static boolean allOnLiveReplicas(RpcClients rpc, HostPort master, HostPort killed, Iterable<String> extra) {
    try {
      for (int f = 0; f < FILES; f++) {
        if (!allOnLive(RepairSupport.chunks(rpc, master, "/repair/data" + f), killed)) {
          return false;
        }
      }
      for (String path : extra) {
        if (!allOnLive(RepairSupport.chunks(rpc, master, path), killed)) {
          return false;
        }
      }
      return true;
    } catch (TException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean allOnLive(List<ChunkLocation> chunks, HostPort killed) {
    return chunks.stream().allMatch(c -> c.getReplicasSize() == 3 && !RepairSupport.holds(c, killed));
  }
}
