package io.gfs.dist.reliability;

import io.gfs.client.GfsClient;
import io.gfs.dist.MiniGfsCluster;
import io.gfs.zk.ZnodeLayout;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Data under a random schedule of faults [0006, 0117]: record appenders and file writers run while chunkservers are
 * SIGKILLed and restarted or SIGSTOPped, the master is SIGKILLed and restarted or loses its ZooKeeper session, and
 * the connections between clients and the master are cut or slowed by a loopback proxy. Afterwards, with every fault
 * healed: every acknowledged record is intact at its offset and returned by the record reader, duplicates only where
 * a fault was in flight; every closed or hsync'd file reads back byte-identical.
 */
class DataUnderFaultsIT {
  private static final String SCENARIO = "data-under-faults";
  private static final int CHUNK_SERVERS = 4;
  private static final int PAYLOAD_BYTES_MAX = 24 << 10;

  @Test
  void acknowledgedDataSurvivesRandomFaults() throws Exception {
    ReliabilityRun run = ReliabilityRun.of(SCENARIO, 40_000);
    List<Fault> schedule = FaultSchedule.generate(run.seed(),
        new FaultSchedule.Shape(run.runMillis(), 1_500, 4_000, 1_000, 5_000, CHUNK_SERVERS),
        List.of(FaultKind.KILL_CHUNKSERVER, FaultKind.PAUSE_CHUNKSERVER, FaultKind.KILL_MASTER,
            FaultKind.EXPIRE_ZK_SESSION, FaultKind.CUT_CONNECTIONS, FaultKind.DELAY_CONNECTIONS));
    try (MiniGfsCluster cluster = ScenarioSupport.cluster(SCENARIO, CHUNK_SERVERS).build();
        LoopbackProxy proxy = LoopbackProxy.start(cluster.masterAddress());
        GfsClient client = ScenarioSupport.client(cluster, proxy.address())) {
      String log = "/data/appended";
      client.create(log, false, true, 0).close();
      AppendWorkload appends = new AppendWorkload(client, log, PAYLOAD_BYTES_MAX);
      FileWorkload files = new FileWorkload(client, "/data/files", run.seed());
      String aliasPrefix = ZnodeLayout.alias("/gfs", cluster.uri().getAuthority());
      List<FaultWindow> faults;
      long began;
      try (FaultInjector injector = new FaultInjector(cluster, proxy, aliasPrefix, run, schedule)) {
        appends.start(3, 1);
        files.start(2);
        began = System.nanoTime();
        injector.start();
        injector.awaitScheduleEnd();
        faults = injector.finish(false);
      }
      long elapsed = System.nanoTime() - began;
      List<AppendAttempt> attempts = appends.stopAndCollect();
      List<ExpectedFile> written = files.stopAndCollect();
      cluster.waitForChunkServers(CHUNK_SERVERS);

      try (GfsClient reader = ScenarioSupport.client(cluster, cluster.masterAddress())) {
        CheckResult appendResult;
        try {
          byte[] file = ScenarioSupport.readAll(reader, log);
          List<RecordAppendChecker.ReadRecord> read = RecordReaderScan.read(cluster.clientConfiguration(), log);
          appendResult = new RecordAppendChecker(PAYLOAD_BYTES_MAX,
              TimeUnit.MILLISECONDS.toNanos(4 * ScenarioSupport.CALL_TIMEOUT_MILLIS)).check(attempts, file, read,
                  faults);
        } catch (java.io.IOException e) {
          appendResult = RecordAppendChecker.unreadable(attempts, log, e);
        }
        CheckResult fileResult = new FileContentChecker().check(written, path -> ScenarioSupport.readAll(reader, path));
        long acked = attempts.stream().filter(AppendAttempt::acknowledged).count();
        run.log("%d appends (%d acknowledged), %d files promised (%d writers' files failed), %d faults; %s; %s",
            attempts.size(), acked, written.size(), files.failures(), faults.size(), appendResult, fileResult);
        ClientView clients = appends.view(elapsed).plus(files.view(elapsed));
        run.log("%s", clients);
        ReliabilityTable.record(ScenarioRow.of(run, attempts.size() + written.size(), faults.size(),
            List.of(appendResult, fileResult), clients));
        appendResult.assertOk();
        fileResult.assertOk();
        if (acked == 0 || written.isEmpty()) {
          throw new AssertionError("the workload acknowledged nothing: " + acked + " appends, " + written.size()
              + " files (seed " + run.seed() + ")");
        }
      }
    }
  }
}
