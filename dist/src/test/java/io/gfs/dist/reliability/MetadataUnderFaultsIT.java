package io.gfs.dist.reliability;

import io.gfs.client.GfsClient;
import io.gfs.dist.MiniGfsCluster;
import io.gfs.zk.ZnodeLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Metadata under master faults (issue 4 with the seed's [0120-0122]): two master processes elect one through
 * ZooKeeper while the active one is SIGKILLed, SIGSTOPped past its session, or has its session expired; three
 * clients that find the master through the alias run namespace operations on four names. The completed history must
 * be linearizable, epochs must strictly increase from election to election, and no two masters may answer "active"
 * at the same time.
 */
class MetadataUnderFaultsIT {
  private static final String SCENARIO = "metadata-under-master-faults";
  private static final String DIRECTORY = "/lin";

  @Test
  void namespaceHistoryIsLinearizableAcrossFailovers() throws Exception {
    ReliabilityRun run = ReliabilityRun.of(SCENARIO, 40_000);
    List<Fault> schedule = FaultSchedule.generate(run.seed(),
        new FaultSchedule.Shape(run.runMillis(), 3_000, 6_000, 1_000, 6_000, 1),
        List.of(FaultKind.KILL_MASTER, FaultKind.PAUSE_MASTER, FaultKind.EXPIRE_ZK_SESSION));
    // Histories stay small enough for the search: at most 120 operations per client, or a fresh directory (checked
    // on its own) every 40 s of a soak run.
    int operationsPerClient = run.soak() ? Integer.MAX_VALUE : 120;
    long windowMillis = 40_000;
    int windows = (int) Math.max(1, run.runMillis() / windowMillis);
    try (MiniGfsCluster cluster = ScenarioSupport.cluster(SCENARIO, 1).masters(2).build();
        MasterWatch watch = new MasterWatch(cluster.zookeeperConnectString(), cluster.uri().getAuthority())) {
      List<GfsClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          clients.add(ScenarioSupport.zooKeeperClient(cluster));
        }
        List<String> directories = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
          directories.add(DIRECTORY + "/w" + w);
          clients.get(0).mkdirs(directories.get(w));
        }
        NamespaceWorkload workload = new NamespaceWorkload(directories, windowMillis);
        // Only the active master's session: it holds the alias (every master holds an election znode).
        String alias = ZnodeLayout.alias("/gfs", cluster.uri().getAuthority());
        List<FaultWindow> faults;
        try (FaultInjector injector = new FaultInjector(cluster, null, alias, run, schedule)) {
          workload.start(clients, run.seed(), operationsPerClient);
          injector.start();
          injector.awaitScheduleEnd();
          faults = injector.finish(false);
        }
        List<List<NamespaceOp>> windowHistories = workload.stopAndCollect();
        List<NamespaceOp> history = windowHistories.stream().flatMap(List::stream).toList();
        long unknown = history.stream().filter(o -> o.status() == NamespaceOp.Status.UNKNOWN).count();
        List<CheckResult> results = new ArrayList<>();
        for (List<NamespaceOp> h : windowHistories) {
          results.add(new LinearizabilityChecker(new NamespaceModel(NamespaceWorkload.NAMES), 5_000_000).check(h, 0));
        }
        results.add(new EpochChecker().check(watch.elections(), List.of(), watch.claims()));
        run.log("%d operations (%d with unknown outcome) in %d window(s), %d faults, elections %s, %d active claims; "
            + "%s", history.size(), unknown, windows, faults.size(), watch.elections(), watch.claims().size(), results);
        ReliabilityTable.record(ScenarioRow.of(run, history.size(), faults.size(), results));
        // The whole history, for whoever reads a failure: one operation a line, in invocation order.
        java.nio.file.Path dump = ReliabilityTable.resultsDir().resolve("metadata-history-" + run.seed() + ".txt");
        java.nio.file.Files.write(dump, history.stream()
            .sorted(java.util.Comparator.comparingLong(NamespaceOp::invokeNanos)).map(NamespaceOp::toString).toList());
        run.log("history written to %s; faults %s", dump, faults);
        for (CheckResult r : results) {
          r.assertOk();
        }
      } finally {
        for (GfsClient c : clients) {
          c.close();
        }
      }
    }
  }
}
