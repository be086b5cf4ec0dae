package io.gfs.dist.reliability;

import io.gfs.client.GfsClient;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.dist.MiniGfsCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Connections to chunkservers cut and slowed [0006: network failures among the common ones]. Each of four
 * chunkservers sits behind a loopback proxy whose address it advertises (gfs.chunkserver.advertised.address), so
 * every connection to it passes the proxy: clients pushing data, reading and sending writes and record appends to
 * the primary, the chunkservers forwarding pushed pieces down the chain [0098-0100] and mutations to secondaries,
 * clone reads, and the master's lease and version instructions. A seeded schedule resets and refuses, or delays,
 * one chunkserver's connections at a time, and the connections between clients and the master too, while record
 * appenders and file writers run. Afterwards every acknowledged record is intact at its offset and read once by the
 * record reader (duplicates only from appends a fault overlapped), every closed or hsync'd file byte-identical.
 */
class ChunkServerConnectionFaultsIT {
  private static final String SCENARIO = "chunkserver-connection-faults";
  private static final int CHUNK_SERVERS = 4;
  private static final int PAYLOAD_BYTES_MAX = 24 << 10;

  @Test
  void acknowledgedDataSurvivesCutAndSlowChunkServerConnections() throws Exception {
    ReliabilityRun run = ReliabilityRun.of(SCENARIO, 24_000);
    List<Fault> schedule = FaultSchedule.generate(run.seed(),
        new FaultSchedule.Shape(run.runMillis(), 1_000, 3_000, 1_000, 4_000, CHUNK_SERVERS),
        List.of(FaultKind.CUT_CHUNKSERVER_CONNECTIONS, FaultKind.DELAY_CHUNKSERVER_CONNECTIONS,
            FaultKind.CUT_CHUNKSERVER_CONNECTIONS, FaultKind.DELAY_CHUNKSERVER_CONNECTIONS,
            FaultKind.CUT_CONNECTIONS, FaultKind.DELAY_CONNECTIONS));
    AtomicReference<MiniGfsCluster> started = new AtomicReference<>();
    List<LoopbackProxy> proxies = new ArrayList<>();
    try {
      MiniGfsCluster.Builder builder = ScenarioSupport.cluster(SCENARIO, CHUNK_SERVERS);
      for (int i = 0; i < CHUNK_SERVERS; i++) {
        int index = i;
        // The chunkserver's port is chosen when it starts; until the cluster is up the proxy resets connections.
        LoopbackProxy proxy = LoopbackProxy.start(() -> {
          MiniGfsCluster c = started.get();
          return c == null ? null : c.chunkServerAddress(index);
        });
        proxies.add(proxy);
        builder.chunkServerConfig(i, GfsConfigKeys.ChunkServer.ADVERTISED_ADDRESS.name(), proxy.address().toString());
      }
      try (MiniGfsCluster cluster = builder.build()) {
        started.set(cluster);
        requireAdvertisedProxies(cluster, proxies);
        runAndCheck(run, schedule, cluster, proxies);
      }
    } finally {
      for (LoopbackProxy proxy : proxies) {
        proxy.close();
      }
    }
  }

  /** The master knows every chunkserver only by its proxy: no byte to a chunkserver can go around the faults. */
  private static void requireAdvertisedProxies(MiniGfsCluster cluster, List<LoopbackProxy> proxies)
      throws Exception {
    Set<String> registered = new TreeSet<>();
    cluster.liveChunkServers().forEach(s -> registered.add(RpcErrors.fromThrift(s.getAddress()).toString()));
    Set<String> expected = new TreeSet<>();
    proxies.forEach(p -> expected.add(p.address().toString()));
    if (!registered.equals(expected)) {
      throw new AssertionError("chunkservers registered as " + registered + ", not as their proxies " + expected);
    }
  }

  private static void runAndCheck(ReliabilityRun run, List<Fault> schedule, MiniGfsCluster cluster,
      List<LoopbackProxy> proxies) throws Exception {
    try (LoopbackProxy masterProxy = LoopbackProxy.start(cluster.masterAddress());
        GfsClient client = ScenarioSupport.client(cluster, masterProxy.address())) {
      String log = "/network/appended";
      client.create(log, false, true, 0).close();
      AppendWorkload appends = new AppendWorkload(client, log, PAYLOAD_BYTES_MAX);
      FileWorkload files = new FileWorkload(client, "/network/files", run.seed());
      List<FaultWindow> faults;
      long began;
      try (FaultInjector injector = new FaultInjector(cluster, masterProxy, proxies, "", run, schedule)) {
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
      ClientView clients = appends.view(elapsed).plus(files.view(elapsed));
      List<Long> connections = proxies.stream().map(LoopbackProxy::connectionsAccepted).toList();
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
        run.log("%d appends (%d acknowledged), %d files promised (%d writers' files failed), %d faults, connections "
            + "through each chunkserver's proxy %s; %s; %s; %s", attempts.size(), acked, written.size(),
            files.failures(), faults.size(), connections, appendResult, fileResult, clients);
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
