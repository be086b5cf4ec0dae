package io.gfs.dist.reliability;

import io.gfs.client.GfsClient;
import io.gfs.client.GfsFileWriter;
import io.gfs.client.state.ChunkReplicas;
import io.gfs.common.GfsConfigKeys;
import io.gfs.dist.MiniGfsCluster;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Snapshots [0113-0116] and garbage collection [0075-0076] under chunkserver faults: a writer keeps appending to a file
 * while chunkservers are killed and paused; a snapshot is taken mid-way; afterwards the live file is deleted and
 * purged at once. The snapshot must hold every append acknowledged before it began, read the same every time, and no
 * chunk it references may ever be seen with no replica.
 */
class SnapshotGcIT {
  private static final String SCENARIO = "snapshot-gc-under-faults";
  private static final int CHUNK_SERVERS = 4;
  private static final String DIR = "/snap";
  private static final String FILE = DIR + "/f";
  private static final String SNAPSHOT_FILE = DIR + "/.snapshot/s1/f";

  @Test
  void aSnapshotKeepsWhatWasAcknowledgedAndItsChunksKeepAReplica() throws Exception {
    ReliabilityRun run = ReliabilityRun.of(SCENARIO, 30_000);
    List<Fault> schedule = FaultSchedule.generate(run.seed(),
        new FaultSchedule.Shape(run.runMillis(), 1_500, 4_000, 1_000, 4_000, CHUNK_SERVERS),
        List.of(FaultKind.KILL_CHUNKSERVER, FaultKind.PAUSE_CHUNKSERVER));
    SplittableRandom random = new SplittableRandom(run.seed());
    List<SnapshotChecker.Append> appends = new ArrayList<>();
    List<SnapshotChecker.SnapshotRead> reads = new ArrayList<>();
    List<SnapshotChecker.ReplicaCount> replicas = new ArrayList<>();
    try (MiniGfsCluster cluster = ScenarioSupport.cluster(SCENARIO, CHUNK_SERVERS)
            .masterConfig(GfsConfigKeys.Master.GC_RETENTION_MS.name(), "0")
            .masterConfig(GfsConfigKeys.Master.GC_SCAN_INTERVAL_MS.name(), "500").build();
        GfsClient client = ScenarioSupport.client(cluster, cluster.masterAddress())) {
      client.create(FILE, false, true, 3).close();
      long snapshotBegan;
      List<FaultWindow> faults;
      AtomicBoolean watching = new AtomicBoolean(true);
      Thread watcher = new Thread(() -> watchReplicas(cluster, watching, replicas), "replica-watch");
      try (FaultInjector injector = new FaultInjector(cluster, null, "", run, schedule)) {
        injector.start();
        watcher.start();
        long length = appendFor(client, run.seed(), 0, run.runMillis() / 2, random, appends);
        snapshotBegan = System.nanoTime();
        client.createSnapshot(DIR, "s1");
        reads.add(readSnapshot(cluster));
        appendFor(client, run.seed(), length, run.runMillis() / 2, random, appends);
        injector.awaitScheduleEnd();
        faults = injector.finish(false);
        cluster.waitForChunkServers(CHUNK_SERVERS);
        reads.add(readSnapshot(cluster));
        client.delete(FILE, true);
        Thread.sleep(3_000); // a few GC scans (500 ms) and heartbeats carrying the deletes
        reads.add(readSnapshot(cluster));
      } finally {
        watching.set(false);
        watcher.join();
      }
      CheckResult result = new SnapshotChecker().check(run.seed(), appends, snapshotBegan, reads, replicas);
      run.log("%d appends, %d faults, snapshot %d bytes, %d replica observations; %s", appends.size(), faults.size(),
          reads.get(0).bytes().length, replicas.size(), result);
      ReliabilityTable.record(ScenarioRow.of(run, appends.size() + reads.size(), faults.size(),
          List.of(result)));
      result.assertOk();
    }
  }

  /**
   * Appends pieces of the file's pattern for about millis. A failed append is not acknowledged and may have left
   * bytes behind [0103]: the next one starts where the master says the file ends, which is never before what was
   * acknowledged.
   */
  private static long appendFor(GfsClient client, long seed, long length, long millis, SplittableRandom random,
      List<SnapshotChecker.Append> appends) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (System.nanoTime() < deadline) {
      int n = 1 + random.nextInt(200_000);
      try (GfsFileWriter w = client.append(FILE)) {
        if (w.position() < length) {
          throw new AssertionError("the file is " + w.position() + " bytes long, " + length + " were acknowledged");
        }
        length = w.position();
        w.write(Payloads.bytes(seed, length, n), 0, n);
        w.close();
        appends.add(new SnapshotChecker.Append(length, n, System.nanoTime()));
        length += n;
      } catch (IOException e) {
        Thread.sleep(200); // not acknowledged; try again once the fault has had a moment
      }
    }
    return length;
  }

  private static SnapshotChecker.SnapshotRead readSnapshot(MiniGfsCluster cluster) throws IOException {
    try (GfsClient reader = ScenarioSupport.client(cluster, cluster.masterAddress())) {
      return new SnapshotChecker.SnapshotRead("s1", System.nanoTime(), ScenarioSupport.readAll(reader, SNAPSHOT_FILE));
    }
  }

  private static void watchReplicas(MiniGfsCluster cluster, AtomicBoolean watching,
      List<SnapshotChecker.ReplicaCount> out) {
    while (watching.get()) {
      try (GfsClient c = ScenarioSupport.client(cluster, cluster.masterAddress())) {
        for (ChunkReplicas chunk : c.chunkLocations(SNAPSHOT_FILE, 0, Long.MAX_VALUE / 2)) {
          synchronized (out) {
            out.add(new SnapshotChecker.ReplicaCount(chunk.handle(), SNAPSHOT_FILE, chunk.replicas().size(),
                System.nanoTime()));
          }
        }
      } catch (IOException | RuntimeException noSnapshotYetOrMasterBusy) {
        // before the snapshot exists, or while the master restarts
      }
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
