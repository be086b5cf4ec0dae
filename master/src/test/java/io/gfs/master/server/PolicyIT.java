package io.gfs.master.server;

import static io.gfs.master.server.MasterItCluster.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfigKeys;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.DirectoryPolicy;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-directory policy with a real master and real chunkservers [0069, 0084, 0120]: a temp directory with one replica
 * and immediate deletes; files created below it without a replication get one replica, a delete frees the disk at once
 * (nothing to undelete), and the policy survives a master restart.
 */
class PolicyIT extends MasterItClusterTest {
  private static final int CHUNK_BYTES = 1 << 20;

  @BeforeEach
  void start() throws Exception {
    cluster = MasterItCluster.start(metaDir, chunkDir, CHUNK_BYTES, 60_000,
        Map.of(GfsConfigKeys.Master.GC_RETENTION_MS.name(), "3600000")); // an hour elsewhere
    cluster.startChunkServers(3);
  }

  @Test
  void aTempDirectoryKeepsOneReplicaAndItsDeletesFreeTheDiskAtOnce() throws Exception {
    cluster.call(c -> c.mkdirs("/tmp", null, null, (short) -1));
    cluster.call(c -> {
      c.setPolicy("/tmp", 1, 0);
      return null;
    });
    assertEquals(new DirectoryPolicy("/tmp", 1, 0, 1, 0), cluster.call(c -> c.getPolicy("/tmp")));
    assertEquals(new DirectoryPolicy("/", -1, -1, 3, 3_600_000), cluster.call(c -> c.getPolicy("/")));
    assertEquals(1, cluster.call(c -> c.create("/tmp/job/part-0", false, true, 0, null, null, (short) -1))
        .getReplication());
    assertEquals(3, cluster.call(c -> c.create("/kept", false, true, 0, null, null, (short) -1)).getReplication());
    byte[] data = new byte[4096];
    new Random(1).nextBytes(data);
    ChunkLease lease = cluster.writeChunk("/tmp/job/part-0", 0, data);
    assertEquals(0, lease.getSecondariesSize(), "one replica");
    boolean removed = cluster.call(c -> c.remove("/tmp/job", true));
    assertTrue(removed);
    assertEquals(List.of(), cluster.call(c -> c.listDeleted("/tmp")), "nothing to undelete");
    awaitTrue(() -> cluster.diskCopies(lease.getHandle()) == 0, "the chunk deleted from disk at once");
    GfsException notDirectory = assertThrows(GfsException.class, () -> cluster.call(c -> {
      c.setPolicy("/kept", 1, 0);
      return null;
    }));
    assertEquals(ErrorCode.NOT_DIRECTORY, notDirectory.getCode());
    // The policy is durable.
    cluster.restartMaster();
    assertEquals(new DirectoryPolicy("/tmp", 1, 0, 1, 0), cluster.call(c -> c.getPolicy("/tmp")));
  }

}
