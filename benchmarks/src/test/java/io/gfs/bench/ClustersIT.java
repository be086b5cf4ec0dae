package io.gfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.client.GfsAdmin;
import io.gfs.client.GfsClientOptions;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;

/**
 * The bench's clusters delete alike: HDFS's {@code FileSystem.delete} frees a file's blocks at once, so the bench's gfs
 * master purges a deleted file instead of keeping it hidden for the default 3 days, whose replicas would stay on
 * disk and in the page cache for the rest of the run.
 */
class ClustersIT {
  @Test
  void aDeletedGfsFileIsPurgedNotHidden() throws Exception {
    Path work = Path.of("target", "it", "clusters");
    BenchRunner.deleteRecursively(work); // a run before this one left its master's metadata there
    try (Clusters clusters = Clusters.start(work, false);
        FileSystem fs = clusters.newClient(Measurement.GFS);
        GfsAdmin admin = GfsAdmin.create("bench", GfsClientOptions.from(GfsConfig.of(Map.of(
            GfsConfigKeys.Client.MASTER_ADDRESS.name(), clusters.gfsMasterAddress().toString()))))) {
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path("/purge");
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir, "f");
      try (FSDataOutputStream out = fs.create(file)) {
        out.write(new byte[1 << 20]);
      }
      assertTrue(fs.delete(file, false));
      assertFalse(fs.exists(file));
      assertEquals(0, admin.listDeleted("/purge").size(), "nothing kept hidden (and undoable) under /purge");
      assertTrue(clusters.deployment().contains("gfs.master.gc.retention.ms=0"), "the report says how gfs deletes");
    }
  }
}
