package io.gfs.dist.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfigKeys;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.dist.MiniGfsCluster;
import io.gfs.thrift.gen.FileInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.thrift.TException;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, garbage collection [0075-0084] on real chunkserver processes: delete hides a file, undelete brings it back,
 * the namespace scan purges it after the retention interval, deleting the hidden entry again purges it at once, and
 * in both cases the chunk files disappear from the chunkservers' disks.
 */
class GcIT {
  private static final long CHUNK_BYTES = 4L << 20;
  private static final int FILE_BYTES = 3 * (4 << 20) + 777;
  /** Short enough to wait out, long enough that the "immediate" purge below cannot be the scan's doing. */
  private static final long RETENTION_MILLIS = 6_000;
  private static final long SPACE_TIMEOUT_MILLIS = 60_000;

  @Test
  void deleteUndeletePurgeAndDiskSpaceReturns() throws Exception {
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(RepairSupport.clusterDir("gc"))
            .chunkServers(4).chunkSizeBytes(CHUNK_BYTES).separateProcesses(true).heartbeatIntervalMillis(500)
            .masterConfig(GfsConfigKeys.Master.GC_RETENTION_MS.name(), Long.toString(RETENTION_MILLIS))
            .masterConfig(GfsConfigKeys.Master.GC_SCAN_INTERVAL_MS.name(), "500")
            .build();
        FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration());
        RpcClients rpc = new RpcClients(RpcLimits.defaults())) {
      long emptyBytes = totalChunkBytes(cluster);
      byte[] data = new byte[FILE_BYTES];
      RepairSupport.fill(5, 0, data, 0, data.length);
      write(fs, "/gc/a", data);
      long expected = 3L * FILE_BYTES;
      assertTrue(RepairSupport.await(SPACE_TIMEOUT_MILLIS, 200,
          () -> totalChunkBytes(cluster) - emptyBytes >= expected), "three replicas of /gc/a on disk");
      long withA = totalChunkBytes(cluster);
      System.out.printf("GcIT: chunk bytes on disk empty=%d with /gc/a=%d%n", emptyBytes, withA);

      // Delete hides it; undelete brings it back whole.
      assertTrue(fs.delete(new Path("/gc/a"), false));
      assertFalse(fs.exists(new Path("/gc/a")));
      assertEquals(1, listDeleted(rpc, cluster).size(), "the hidden entry is listed");
      boolean undeleted = rpc.master(cluster.masterAddress(), c -> c.undelete("/gc/a"));
      assertTrue(undeleted);
      assertArrayEquals(data, read(fs, "/gc/a"));
      assertTrue(listDeleted(rpc, cluster).isEmpty());
      assertTrue(totalChunkBytes(cluster) >= withA, "undelete kept every chunk file");

      // Delete again and wait: the scan purges it after the retention interval and the disks are freed.
      long deletedAt = System.currentTimeMillis();
      assertTrue(fs.delete(new Path("/gc/a"), false));
      assertTrue(RepairSupport.await(RETENTION_MILLIS + SPACE_TIMEOUT_MILLIS, 200,
          () -> listDeletedQuietly(rpc, cluster).isEmpty()), "purged after the retention interval");
      long purgedAfterMillis = System.currentTimeMillis() - deletedAt;
      assertTrue(purgedAfterMillis >= RETENTION_MILLIS - 1_000,
          "not purged before its retention interval: " + purgedAfterMillis + " ms");
      assertTrue(RepairSupport.await(SPACE_TIMEOUT_MILLIS, 200,
          () -> totalChunkBytes(cluster) <= emptyBytes), "chunk files of /gc/a deleted");
      long spaceBackMillis = System.currentTimeMillis() - deletedAt;
      System.out.printf("GcIT: purged %d ms after delete (retention %d ms), disk back at %d ms%n",
          purgedAfterMillis, RETENTION_MILLIS, spaceBackMillis);

      // Second delete (of the hidden entry) purges at once, long before the retention interval.
      write(fs, "/gc/b", data);
      assertTrue(RepairSupport.await(SPACE_TIMEOUT_MILLIS, 200,
          () -> totalChunkBytes(cluster) - emptyBytes >= expected), "three replicas of /gc/b on disk");
      long secondStart = System.currentTimeMillis();
      assertTrue(fs.delete(new Path("/gc/b"), false));
      List<FileInfo> hidden = listDeleted(rpc, cluster);
      assertEquals(1, hidden.size());
      String hiddenPath = hidden.get(0).getPath();
      boolean purged = rpc.master(cluster.masterAddress(), c -> c.remove(hiddenPath, false));
      assertTrue(purged, "purge " + hiddenPath);
      assertTrue(listDeleted(rpc, cluster).isEmpty(), "purged at once");
      boolean undeletedB = rpc.master(cluster.masterAddress(), c -> c.undelete("/gc/b"));
      assertFalse(undeletedB, "nothing left to undelete");
      assertTrue(RepairSupport.await(SPACE_TIMEOUT_MILLIS, 200,
          () -> totalChunkBytes(cluster) <= emptyBytes), "chunk files of /gc/b deleted");
      System.out.printf("GcIT: immediate purge of %s, disk back %d ms after the first delete%n", hiddenPath,
          System.currentTimeMillis() - secondStart);
    }
  }

  private static void write(FileSystem fs, String path, byte[] data) throws IOException {
    try (FSDataOutputStream out = fs.create(new Path(path))) {
      out.write(data);
    }
  }

  private static byte[] read(FileSystem fs, String path) throws IOException {
    byte[] back = new byte[(int) fs.getFileStatus(new Path(path)).getLen()];
    try (FSDataInputStream in = fs.open(new Path(path))) {
      in.readFully(0, back);
    }
    return back;
  }

  private static List<FileInfo> listDeleted(RpcClients rpc, MiniGfsCluster cluster) throws TException {
    return rpc.master(cluster.masterAddress(), c -> c.listDeleted("/gc"));
  }

  private static List<FileInfo> listDeletedQuietly(RpcClients rpc, MiniGfsCluster cluster) {
    try {
      return listDeleted(rpc, cluster);
    } catch (TException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long totalChunkBytes(MiniGfsCluster cluster) {
    try {
      long sum = 0;
      for (int i = 0; i < 4; i++) {
        sum += RepairSupport.chunkBytes(cluster.chunkServerDataDir(i));
      }
      return sum;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
