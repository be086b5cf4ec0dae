package io.gfs.dist.reliability;

import io.gfs.chunkserver.store.ServerIdFile;
import io.gfs.client.GfsClient;
import io.gfs.dist.MiniGfsCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Slow disks [0006: disks are among the components that fail; a disk that is slow but not dead is the common case].
 * Each of four chunkservers keeps its chunks on an ext4 of its own on a loop device ({@link SlowDisk}); record
 * appenders and file writers (with hsyncs) run in three phases on one cluster: every disk at full speed (the
 * baseline), one chunkserver's disk throttled by the kernel's block layer, then every disk throttled. Each phase is a
 * row of the table with what its clients saw (throughput, longest call, failed calls) and what the checkers decided:
 * every acknowledged record intact at its offset and returned once by the record reader (duplicates only from
 * appends retried under the slow disk), every closed or hsync'd file byte-identical.
 */
class SlowDiskIT {
  private static final String SCENARIO = "slow-disk";
  private static final int CHUNK_SERVERS = 4;
  private static final int PAYLOAD_BYTES_MAX = 24 << 10;
  private static final long DISK_BYTES = 512L << 20; // sparse: only what is written takes space
  /** A slow disk: 1 MiB/s and 40 I/O operations per second each way, a struggling spindle. */
  private static final long SLOW_BYTES_PER_SECOND = 1L << 20;
  private static final long SLOW_IOPS = 40;

  /** One phase: its name in the table and which chunkservers' disks are slow during it. */
  private record Phase(String name, List<Integer> slowDisks) {}

  private record PhaseResult(Phase phase, ReliabilityRun run, String log, List<AppendAttempt> attempts,
      List<ExpectedFile> written, long fileFailures, ClientView clients, List<FaultWindow> windows) {}

  @Test
  void acknowledgedDataSurvivesSlowDisks() throws Exception {
    ReliabilityRun run = ReliabilityRun.of(SCENARIO, 24_000);
    List<Phase> phases = List.of(new Phase("slow-disk-none", List.of()), new Phase("slow-disk-one", List.of(0)),
        new Phase("slow-disk-every", List.of(0, 1, 2, 3)));
    long phaseMillis = run.runMillis() / phases.size();
    Path base = ScenarioSupport.freshDir(SCENARIO);
    List<SlowDisk> disks = new ArrayList<>();
    try {
      for (int i = 0; i < CHUNK_SERVERS; i++) {
        SlowDisk disk = SlowDisk.mount(base.resolve("cluster").resolve("chunkserver" + i),
            base.resolve("disk" + i + ".img"), DISK_BYTES);
        Assumptions.assumeTrue(disk != null, "no loop device, mount or blkio throttle here (needs root and the "
            + "cgroup v1 blkio controller): the slow-disk scenario is skipped");
        disks.add(disk);
      }
      try (MiniGfsCluster cluster = MiniGfsCluster.builder(base.resolve("cluster")).clusterName("slow_disk")
              .chunkServers(CHUNK_SERVERS).chunkSizeBytes(ScenarioSupport.CHUNK_BYTES).separateProcesses(true)
              .leaseDurationMillis(3_000).heartbeatIntervalMillis(300).chunkServerDeadAfterMillis(2_000)
              .config("gfs.rpc.call.timeout.ms", Long.toString(ScenarioSupport.CALL_TIMEOUT_MILLIS)).build();
          GfsClient client = ScenarioSupport.client(cluster, cluster.masterAddress())) {
        for (int i = 0; i < CHUNK_SERVERS; i++) {
          Path serverId = cluster.chunkServerDataDir(i).resolve(ServerIdFile.FILE_NAME);
          if (!disks.get(i).holds(serverId)) {
            throw new AssertionError("chunkserver " + i + "'s data is not on its disk " + disks.get(i).device());
          }
        }
        warmUp(client);
        List<PhaseResult> results = new ArrayList<>();
        for (Phase phase : phases) {
          results.add(runPhase(run, phase, phaseMillis, client, disks));
        }
        for (SlowDisk disk : disks) {
          disk.fast();
        }
        cluster.waitForChunkServers(CHUNK_SERVERS);
        try (GfsClient reader = ScenarioSupport.client(cluster, cluster.masterAddress())) {
          for (PhaseResult r : results) {
            check(cluster, reader, r);
          }
        }
      }
    } finally {
      for (SlowDisk disk : disks) {
        disk.close();
      }
    }
  }

  /** The first calls of a fresh cluster (directories, first leases) are not the baseline's business. */
  private static void warmUp(GfsClient client) throws Exception {
    byte[] record = Payloads.recordFrame(0, 0, 1024);
    client.create("/warm-up/appended", false, true, 0).close();
    client.recordAppend("/warm-up/appended", record, 0, record.length);
    try (var writer = client.create("/warm-up/file", false, true, 0)) {
      writer.write(record, 0, record.length);
      writer.hsync();
    }
  }

  private static PhaseResult runPhase(ReliabilityRun run, Phase phase, long phaseMillis, GfsClient client,
      List<SlowDisk> disks) throws Exception {
    ReliabilityRun phaseRun = new ReliabilityRun(phase.name(), run.seed(), phaseMillis, run.soak());
    String log = "/" + phase.name() + "/appended";
    client.create(log, false, true, 0).close();
    AppendWorkload appends = new AppendWorkload(client, log, PAYLOAD_BYTES_MAX);
    FileWorkload files = new FileWorkload(client, "/" + phase.name() + "/files", run.seed());
    long began = System.nanoTime();
    List<Long> writtenBefore = new ArrayList<>();
    for (int i : phase.slowDisks()) {
      writtenBefore.add(disks.get(i).bytesWritten());
      disks.get(i).slow(SLOW_BYTES_PER_SECOND, SLOW_IOPS);
    }
    phaseRun.log("disks of chunkservers %s slowed to %d B/s and %d IOPS (%s)", phase.slowDisks(),
        SLOW_BYTES_PER_SECOND, SLOW_IOPS, phase.slowDisks().stream().map(i -> disks.get(i).device()).toList());
    appends.start(2, 1);
    files.start(2);
    Thread.sleep(phaseMillis); // the workload's length, not a wait for something
    long elapsed = System.nanoTime() - began;
    ClientView clients = appends.view(elapsed).plus(files.view(elapsed));
    List<AppendAttempt> attempts = appends.stopAndCollect();
    List<ExpectedFile> written = files.stopAndCollect();
    long ended = System.nanoTime();
    List<Long> writtenSlow = new ArrayList<>();
    for (int k = 0; k < phase.slowDisks().size(); k++) {
      SlowDisk disk = disks.get(phase.slowDisks().get(k));
      writtenSlow.add(disk.bytesWritten() - writtenBefore.get(k));
      disk.fast();
    }
    phaseRun.log("bytes the slowed disks wrote meanwhile (fsyncs, writeback, journal): %s", writtenSlow);
    List<FaultWindow> windows = new ArrayList<>();
    for (int i : phase.slowDisks()) {
      windows.add(new FaultWindow(FaultKind.SLOW_DISK, "disk-cs" + i, began, ended));
    }
    phaseRun.log("%d appends, %d files promised, %d writers' files failed; %s", attempts.size(), written.size(),
        files.failures(), clients);
    return new PhaseResult(phase, phaseRun, log, attempts, written, files.failures(), clients, windows);
  }

  private static void check(MiniGfsCluster cluster, GfsClient reader, PhaseResult r) throws Exception {
    CheckResult appendResult;
    try {
      byte[] file = ScenarioSupport.readAll(reader, r.log());
      List<RecordAppendChecker.ReadRecord> read = RecordReaderScan.read(cluster.clientConfiguration(), r.log());
      appendResult = new RecordAppendChecker(PAYLOAD_BYTES_MAX,
          TimeUnit.MILLISECONDS.toNanos(4 * ScenarioSupport.CALL_TIMEOUT_MILLIS)).check(r.attempts(), file, read,
              r.windows());
    } catch (java.io.IOException e) {
      appendResult = RecordAppendChecker.unreadable(r.attempts(), r.log(), e);
    }
    CheckResult fileResult = new FileContentChecker().check(r.written(), p -> ScenarioSupport.readAll(reader, p));
    long acked = r.attempts().stream().filter(AppendAttempt::acknowledged).count();
    r.run().log("%d appends (%d acknowledged), %d files promised; %s; %s; %s", r.attempts().size(), acked,
        r.written().size(), appendResult, fileResult, r.clients());
    ReliabilityTable.record(ScenarioRow.of(r.run(), r.attempts().size() + r.written().size() + r.fileFailures(),
        r.phase().slowDisks().size(), List.of(appendResult, fileResult), r.clients()));
    appendResult.assertOk();
    fileResult.assertOk();
    if (acked == 0 && r.written().isEmpty()) {
      throw new AssertionError(r.phase().name() + ": the workload acknowledged nothing (seed " + r.run().seed()
          + ")");
    }
  }
}
