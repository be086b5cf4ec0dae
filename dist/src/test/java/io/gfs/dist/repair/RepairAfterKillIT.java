package io.gfs.dist.repair;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.dist.MiniGfsCluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, re-replication [0069-0072] at the size, with real processes: four chunkservers, 8 MiB chunks at
 * replication 3, until the one to be killed holds about 1 GB; a client writes all along. Then that chunkserver is
 * SIGKILLed and the test checks the three promises together:
 * <ul>
 *   <li>every chunk is back at its target within the killed server's bytes at half the clone throttle's pace
 *       ({@link #REPAIR_SLOWDOWN_ALLOWED}; the figure is printed);
 *   <li>in priority order, read from the master's log of clone starts ("clone #n of chunk h", numbered in start
 *       order): chunks missing two replicas (a data set whose replication was raised from 2 to 3 as the server died)
 *       before chunks missing one; chunks of live files before those of deleted (not yet purged) files; and a chunk a
 *       client blocks on (it appends to a file whose last chunk lost a replica) within the next few clone starts
 *       after it asked;
 *   <li>the writing client keeps at least half the rate it had before the kill, from the kill until the repair is done
 *       (clone slots per server and the per-clone bandwidth throttle leave it its share). It writes in paced bursts
 *       ({@link PacedWriter}) over the whole repair and its rate counts only the time it spent writing, so its bytes
 *       are bounded (at most 1.1 GiB, ~3.4 GB on disk) while its share is still sampled from the kill to the end.
 * </ul>
 * Everything written reads back byte-identical afterwards.
 */
class RepairAfterKillIT {
  private static final long CHUNK_BYTES = 8L << 20;
  private static final int BLOCK_BYTES = 1 << 20;
  private static final int DATA_FILE_BYTES = 64 << 20;
  private static final int WRITER_FILE_BYTES = 32 << 20;
  private static final int RAISED_FILES = 4;
  private static final int DELETED_FILES = 4;
  private static final int SMALL_FILE_BYTES = 40 << 20;
  private static final int BLOCKED_CANDIDATES = 4;
  private static final int BLOCKED_FILE_BYTES = (int) (CHUNK_BYTES + CHUNK_BYTES / 2);
  /** The killed chunkserver holds this much before the writer's own files add to it (~1 GB in all at the kill). */
  private static final long VICTIM_BYTES_BEFORE_WRITER = 720L << 20;
  private static final long VICTIM_BYTES_AT_KILL_MIN = 900L << 20;
  /**
   * "About 1 GB" from above too: the data loop overshoots by less than one data file's share and the writer adds
   * about 3/4 of its bursts before the kill (~170 MiB), so ~1.1 GiB; the repair limit and the disk use follow it.
   */
  private static final long VICTIM_BYTES_AT_KILL_MAX = 1_400L << 20;
  /**
   * Clones running at once after the kill: three survivors, each in at most two clones (as source or as target,
   * gfs.master.replication.clones.per.server.max), and a clone takes a slot on two servers.
   */
  private static final int CLONES_AT_ONCE = 3;
  /**
   * The repair limit is the killed server's bytes at the throttle's pace (CLONES_AT_ONCE x CLONE_BYTES_PER_SECOND =
   * 12 MiB/s) times this. Why 2: the repair runs at that pace, it is what bounds it. The four passing fresh-clone
   * runs of session 12 repaired 1,429-1,716 MiB in 123.8-143.0 s, 11.5-12.0 MiB/s, 96-100% of 12 MiB/s; in
   * session 13, beside two benches (load 15-23), 1,084-1,120 MiB took 102.3-116.2 s, 78-91%. So a limit of twice
   * the throttle-paced time passes a repair slowed to half the throttle by a loaded CI machine, where the fixed
   * 180 s it replaces left 1.26-1.45x over those runs (their writer made the victim hold 1.4-1.7 GB, not ~1 GB).
   * For ~1.1 GiB: ~94 s at the throttle, a limit of ~190 s.
   */
  private static final double REPAIR_SLOWDOWN_ALLOWED = 2.0;
  /** The master's dead-after (3 s) and a heartbeat: the repair cannot start before it takes the server as down. */
  private static final long REPAIR_START_MILLIS = 4_000;
  /**
   * The writer's pace: a 32 MiB file every 5 s, about 20 bursts over a ~100 s repair, each long enough (0.4-1 s at
   * 40-90 MB/s) to be a rate rather than a latency.
   */
  private static final long WRITER_PERIOD_MILLIS = 5_000;
  /**
   * Bursts that measure the rate before the kill, after one warm-up burst. Six, not four: under a load of 20 (two
   * benches beside it) four bursts took 1.0-3.2 s each, too few to stand for the rate.
   */
  private static final int BEFORE_BURSTS = 6;
  /**
   * The writer's bytes in all, 36 files (x3 replicas on disk): the warm-up and BEFORE_BURSTS bursts before the kill
   * leave 29 for the repair, 145 s of it at the pace; a slower repair has its rate measured over those 145 s.
   */
  private static final long WRITER_BUDGET_BYTES = 36L * WRITER_FILE_BYTES;
  /** Pairs of clone starts in priority order, of all pairs of a higher and a lower class: "approximate order". */
  private static final double ORDER_FRACTION_MIN = 0.9;
  /**
   * The blocked chunk's clone starts within this many clone starts after the client asked: the clones already
   * running finish first, and with three live servers and two clones per server at most three run at once.
   */
  private static final int BLOCKED_STARTS_MAX = 6;
  private static final int KILLED = 0;
  /**
   * The clone throttle that keeps the writer's share on this 2-core machine with one disk: at 16 MB/s per clone the
   * three clones took what the disk had (17.5 MB/s measured) and the writer fell to 0.42 of its rate under a load
   * average of 30; at 4 MB/s repair traffic is capped at 12 MB/s.
   */
  private static final long CLONE_BYTES_PER_SECOND = 4L << 20;

  @Test
  void aChunkServerHoldingAboutAGigabyteIsKilledAndEveryChunkIsRepairedInPriorityOrderWhileAClientWrites()
      throws Exception {
    java.nio.file.Path dir = RepairSupport.clusterDir("kill");
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(dir)
            .chunkServers(4).chunkSizeBytes(CHUNK_BYTES).separateProcesses(true)
            .heartbeatIntervalMillis(500).chunkServerDeadAfterMillis(3_000)
            .chunkServerConfig(GfsConfigKeys.ChunkServer.CLONE_BYTES_PER_SECOND.name(),
                Long.toString(CLONE_BYTES_PER_SECOND))
            .build();
        FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration());
        RpcClients rpc = new RpcClients(RpcLimits.defaults())) {
      HostPort master = cluster.masterAddress();
      HostPort killed = cluster.chunkServerAddress(KILLED);
      java.nio.file.Path victimDir = cluster.chunkServerDataDir(KILLED);
      KillData data = new KillData(fs);
      long writeStart = System.nanoTime();
      int dataFiles = 0;
      while (RepairSupport.chunkBytes(victimDir) < VICTIM_BYTES_BEFORE_WRITER) {
        data.write("/repair/data" + dataFiles++, DATA_FILE_BYTES, (short) 3, null);
      }
      for (int i = 0; i < RAISED_FILES; i++) {
        data.write("/repair/raised" + i, SMALL_FILE_BYTES, (short) 2, null);
      }
      for (int i = 0; i < DELETED_FILES; i++) {
        data.write("/repair/deleted" + i, SMALL_FILE_BYTES, (short) 3, null);
      }
      for (int i = 0; i < BLOCKED_CANDIDATES; i++) {
        data.write("/repair/blocked" + i, BLOCKED_FILE_BYTES, (short) 3, null);
      }
      System.out.printf("RepairAfterKillIT: wrote %d MiB in %d ms; chunkserver %d holds %d MiB%n",
          data.totalBytes() >> 20, (System.nanoTime() - writeStart) / 1_000_000, KILLED,
          RepairSupport.chunkBytes(victimDir) >> 20);
      assertTrue(RepairSupport.await(60_000, 200, () -> KillChecks.underReplicated(rpc, master) == 0),
          "initially replicated");
      Set<Long> deletedOnVictim = KillChecks.handlesOn(rpc, master, data.paths("/repair/deleted"), killed);
      for (int i = 0; i < DELETED_FILES; i++) {
        assertTrue(fs.delete(new Path("/repair/deleted" + i), false));
        data.forget("/repair/deleted" + i);
      }

      PacedWriter writer = new PacedWriter(cluster.uri(), cluster.clientConfiguration(), "/repair/writer",
          WRITER_FILE_BYTES, WRITER_PERIOD_MILLIS, WRITER_BUDGET_BYTES);
      try {
        assertTrue(RepairSupport.await(60_000, 50, () -> writer.burstsDone() >= 1 || writer.failure() != null),
            "warm-up burst written");
        PacedWriter.Mark before0 = writer.mark();
        assertTrue(RepairSupport.await(120_000, 50,
            () -> writer.burstsDone() >= 1 + BEFORE_BURSTS || writer.failure() != null), "bursts before the kill");
        assertNull(writer.failure(), () -> "writer failed before the kill: " + writer.failure());

        Set<Long> raisedOnVictim = KillChecks.handlesOn(rpc, master, data.paths("/repair/raised"), killed);
        Set<Long> onVictim = KillChecks.handlesOn(rpc, master, allLivePaths(data, writer.files()), killed);
        String blocked = KillChecks.fileWhoseLastChunkIsOn(rpc, master, data.paths("/repair/blocked"), killed);
        long victimBytes = RepairSupport.chunkBytes(victimDir);
        int clonesBefore = KillChecks.cloneStarts(cluster).size();
        long repairLimitMillis = REPAIR_START_MILLIS + (long) (REPAIR_SLOWDOWN_ALLOWED * 1000.0 * victimBytes
            / (CLONES_AT_ONCE * CLONE_BYTES_PER_SECOND));

        cluster.killChunkServer(KILLED);
        long killedAt = System.nanoTime();
        PacedWriter.Mark atKill = writer.mark();
        double beforeRate = atKill.rateSince(before0);
        // An operator raises a data set's replication as the server dies: its chunks there now miss two replicas.
        for (int i = 0; i < RAISED_FILES; i++) {
          assertTrue(fs.setReplication(new Path("/repair/raised" + i), (short) 3));
        }
        assertTrue(RepairSupport.await(30_000, 100, () -> KillChecks.liveServers(rpc, master) == 3),
            "the master takes the killed chunkserver as down");
        // A client appends to a file whose last chunk lost a replica: it blocks on that chunk.
        int startsAtAppend = KillChecks.cloneStarts(cluster).size();
        long appendStart = System.nanoTime();
        data.append(blocked, BLOCK_BYTES);
        long appendMillis = (System.nanoTime() - appendStart) / 1_000_000;

        AtomicLong maxUnder = new AtomicLong();
        long repairWaitMillis = repairLimitMillis - (System.nanoTime() - killedAt) / 1_000_000;
        boolean repaired = RepairSupport.await(repairWaitMillis, 250, () -> {
          long under = KillChecks.underReplicated(rpc, master);
          maxUnder.accumulateAndGet(under, Math::max);
          return under == 0 && KillChecks.allOnLive(rpc, master, allLivePaths(data, writer.files()), killed);
        });
        long repairMillis = (System.nanoTime() - killedAt) / 1_000_000;
        PacedWriter.Mark atRepair = writer.mark();
        writer.close(); // the repair is over: no more bytes (a burst in progress finishes its file)
        double duringRate = atRepair.rateSince(atKill);
        System.out.printf("RepairAfterKillIT: killed chunkserver held %d MiB in %d chunks; every chunk back at its "
                + "target after %d ms (limit %d ms: %.0f MiB/s, %.0f%% of the clone throttle, repaired=%s); %d "
                + "chunks under-replicated at most%n",
            victimBytes >> 20, onVictim.size(), repairMillis, repairLimitMillis,
            (victimBytes / 1048576.0) / (repairMillis / 1000.0),
            100.0 * victimBytes / (repairMillis / 1000.0) / (CLONES_AT_ONCE * CLONE_BYTES_PER_SECOND), repaired,
            maxUnder.get());
        System.out.printf("RepairAfterKillIT: client %.1f MB/s before the kill, %.1f MB/s from the kill to the "
                + "repair (ratio %.2f, at least 0.5 required), over %.1f s and %.1f s of writing; it wrote %d MiB "
                + "in %d files%n", beforeRate / 1e6, duringRate / 1e6, duringRate / beforeRate,
            (atKill.writingNanos() - before0.writingNanos()) / 1e9,
            (atRepair.writingNanos() - atKill.writingNanos()) / 1e9, atRepair.bytes() >> 20,
            writer.files().size());
        System.out.printf("RepairAfterKillIT: the writer's bursts (start ms from the kill:duration ms): %s%n",
            writer.bursts(killedAt));

        List<Long> starts = KillChecks.cloneStarts(cluster);
        List<Long> sinceKill = starts.subList(clonesBefore, starts.size());
        Set<Long> liveOne = new HashSet<>(onVictim);
        liveOne.removeAll(raisedOnVictim);
        double twoBeforeOne = KillChecks.orderedFraction(sinceKill, raisedOnVictim, liveOne);
        double liveBeforeDeleted = KillChecks.orderedFraction(sinceKill, liveOne, deletedOnVictim);
        long blockedHandle = KillChecks.lastChunk(rpc, master, blocked);
        int blockedAt = sinceKill.indexOf(blockedHandle) + clonesBefore;
        System.out.printf("RepairAfterKillIT: %d clone starts after the kill; missing-two before missing-one in %.3f "
                + "of pairs (%d and %d chunks), live before deleted in %.3f of pairs (%d and %d chunks); the blocked "
                + "chunk's clone was start %d, the client asked after start %d and its append took %d ms%n",
            sinceKill.size(), twoBeforeOne, raisedOnVictim.size(), liveOne.size(), liveBeforeDeleted,
            liveOne.size(), deletedOnVictim.size(), blockedAt + 1, startsAtAppend, appendMillis);
        assertTrue(victimBytes >= VICTIM_BYTES_AT_KILL_MIN && victimBytes <= VICTIM_BYTES_AT_KILL_MAX,
            "the killed chunkserver held about 1 GB: " + victimBytes);
        assertTrue(repaired, "every chunk back at its target within " + repairLimitMillis + " ms");
        assertNull(writer.failure(), () -> "writer failed: " + writer.failure());
        assertTrue(duringRate >= beforeRate / 2, String.format(
            "client rate during repair %.1f MB/s below half of %.1f MB/s", duringRate / 1e6, beforeRate / 1e6));
        assertFalse(raisedOnVictim.isEmpty() || deletedOnVictim.isEmpty(), "each class has chunks on the victim");
        assertTrue(twoBeforeOne >= ORDER_FRACTION_MIN, "chunks missing two replicas first: " + twoBeforeOne);
        assertTrue(liveBeforeDeleted >= ORDER_FRACTION_MIN, "live files before deleted ones: " + liveBeforeDeleted);
        assertTrue(blockedAt >= startsAtAppend && blockedAt < startsAtAppend + BLOCKED_STARTS_MAX,
            "the chunk a client blocks on is cloned within " + BLOCKED_STARTS_MAX + " starts after it asked: start "
                + (blockedAt + 1) + ", asked after " + startsAtAppend);
      } finally {
        writer.close();
      }
      assertNull(writer.failure(), () -> "writer failed: " + writer.failure());
      assertFalse(writer.isAlive(), "writer finished");
      List<String> writerFiles = writer.files();
      // Its last burst may have ended after the repair; those chunks were placed on live servers, so this holds at once
      // unless a clone is still catching up.
      assertTrue(RepairSupport.await(120_000, 250,
          () -> KillChecks.underReplicated(rpc, master) == 0
              && KillChecks.allOnLive(rpc, master, allLivePaths(data, writerFiles), killed)),
          "the writer's files at their target too");
      data.verifyAll();
      KillData writerData = new KillData(fs);
      for (String path : writerFiles) {
        writerData.expect(path, WRITER_FILE_BYTES);
      }
      writerData.verifyAll();
      System.out.printf("RepairAfterKillIT: %d files read back byte-identical%n",
          data.files().size() + writerFiles.size());
    }
    // Passed: the ~8 GB of chunk files are of no further use, the logs are kept (a failure keeps everything).
    RepairSupport.dropChunkFiles(dir);
  }

  private static List<String> allLivePaths(KillData data, Iterable<String> writerFiles) {
    List<String> out = new ArrayList<>(data.files().keySet());
    writerFiles.forEach(out::add);
    return out;
  }

}
