package io.gfs.dist.reliability;

import io.gfs.client.GfsClient;
import io.gfs.dist.MiniGfsCluster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A full data disk: one of four chunkservers keeps its chunks on a 3 MiB tmpfs that the writers fill within seconds.
 * Writes that land on it fail (ENOSPC) and are retried or abandoned; every file whose close or hsync returned must
 * still read back byte-identical, and the full chunkserver must still be serving at the end.
 */
class FullDiskIT {
  private static final String SCENARIO = "full-data-disk";
  private static final int CHUNK_SERVERS = 4;
  private static final long DISK_BYTES = 3L << 20;

  @Test
  void acknowledgedFilesSurviveAFullDisk() throws Exception {
    ReliabilityRun run = ReliabilityRun.of(SCENARIO, 20_000);
    Path base = ScenarioSupport.freshDir(SCENARIO);
    SmallDisk disk = SmallDisk.mount(base.resolve("cluster").resolve("chunkserver" + (CHUNK_SERVERS - 1)), DISK_BYTES);
    Assumptions.assumeTrue(disk != null, "cannot mount a size-limited tmpfs here (needs root or CAP_SYS_ADMIN): "
        + "the full-disk scenario is skipped");
    try (disk) {
      try (MiniGfsCluster cluster = MiniGfsCluster.builder(base.resolve("cluster"))
              .clusterName("full_data_disk").chunkServers(CHUNK_SERVERS).chunkSizeBytes(ScenarioSupport.CHUNK_BYTES)
              .separateProcesses(true).leaseDurationMillis(3_000).heartbeatIntervalMillis(300)
              .chunkServerDeadAfterMillis(2_000)
              .config("gfs.rpc.call.timeout.ms", Long.toString(ScenarioSupport.CALL_TIMEOUT_MILLIS)).build();
          GfsClient client = ScenarioSupport.client(cluster, cluster.masterAddress())) {
        FileWorkload files = new FileWorkload(client, "/full", run.seed());
        files.start(2);
        Thread.sleep(run.runMillis());
        List<ExpectedFile> written = files.stopAndCollect();
        CheckResult result;
        try (GfsClient reader = ScenarioSupport.client(cluster, cluster.masterAddress())) {
          result = new FileContentChecker().check(written, p -> ScenarioSupport.readAll(reader, p));
        }
        int serving = cluster.liveChunkServers().size();
        run.log("%d files promised, %d writes failed, %d of %d chunkservers serving; %s", written.size(),
            files.failures(), serving, CHUNK_SERVERS, result);
        ReliabilityTable.record(ScenarioRow.of(run, written.size() + files.failures(), 1, List.of(result)));
        result.assertOk();
        if (written.isEmpty()) {
          throw new AssertionError("no file was acknowledged beside the full disk (seed " + run.seed() + ")");
        }
        if (serving != CHUNK_SERVERS) {
          throw new AssertionError("a chunkserver stopped serving: " + serving + " of " + CHUNK_SERVERS);
        }
      }
    }
  }
}
