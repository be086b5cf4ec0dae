package io.gfs.master.server;

import static io.gfs.master.server.MasterItCluster.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.Crc32c;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.FileInfo;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.MasterService;
import io.gfs.thrift.gen.WriteRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lazy garbage collection end to end [0075-0078] with a real master and real chunkservers: delete hides, undelete
 * restores (also across a master restart), the scan purges after the retention, a second delete purges at once, and
 * the chunk files leave the chunkservers' disks through heartbeat replies.
 */
class GarbageCollectionIT {
  private static final short NO_PERMISSION = -1;

  @TempDir
  Path metaDir;
  @TempDir
  Path chunkDir;

  private final RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(30_000));
  private MasterServer master;
  private HostPort masterAddress;
  private RealChunkServers chunkServers;

  private void startMaster(int port, long retentionMillis) throws Exception {
    Map<String, String> values = new HashMap<>();
    values.put(GfsConfigKeys.Master.META_DIR.name(), metaDir.toString());
    values.put(GfsConfigKeys.Master.PORT.name(), Integer.toString(port));
    values.put(GfsConfigKeys.Master.HOST.name(), "127.0.0.1");
    values.put(GfsConfigKeys.Master.HEARTBEAT_INTERVAL_MS.name(), "200");
    values.put(GfsConfigKeys.Master.GC_RETENTION_MS.name(), Long.toString(retentionMillis));
    values.put(GfsConfigKeys.Master.GC_SCAN_INTERVAL_MS.name(), "100");
    values.put(GfsConfigKeys.Cluster.CHUNK_SIZE_BYTES.name(), "1m");
    master = MasterServer.start(GfsConfig.of(values));
    masterAddress = master.address();
  }

  @AfterEach
  void stop() {
    rpc.close();
    if (chunkServers != null) {
      chunkServers.close();
    }
    if (master != null) {
      master.close();
    }
  }

  private <R> R call(RpcClients.Call<MasterService.Client, R> call) throws Exception {
    return rpc.master(masterAddress, call);
  }

  @Test
  void deleteUndeletePurgeAndDiskSpaceReturns() throws Exception {
    startMaster(0, 3_600_000); // an hour: nothing expires by itself in this test
    chunkServers = new RealChunkServers(chunkDir, () -> masterAddress).start(2);
    awaitTrue(() -> call(c -> c.getClusterStatus()).getChunkServers().size() == 2, "2 chunkservers registered");
    call(c -> c.create("/logs/a", false, true, 2, null, null, NO_PERMISSION));
    long handle = write("/logs/a", "kept through a delete and an undelete".getBytes());
    assertTrue((boolean) call(c -> c.remove("/logs/a", false)));
    assertEquals(ErrorCode.NOT_FOUND, assertThrows(GfsException.class, () -> call(c -> c.getFileInfo("/logs/a")))
        .getCode());
    assertEquals(List.of(), call(c -> c.listStatus("/logs")));
    List<FileInfo> deleted = call(c -> c.listDeleted("/logs"));
    assertEquals(1, deleted.size());
    assertTrue(deleted.get(0).getPath().startsWith("/logs/.gfs-deleted."), deleted.get(0).getPath());
    // The name is free, and the master keeps the deleted entry (and undelete works) across a restart.
    call(c -> c.create("/logs/a", false, false, 1, null, null, NO_PERMISSION));
    assertEquals(ErrorCode.ALREADY_EXISTS, assertThrows(GfsException.class, () -> call(c -> c.undelete("/logs/a")))
        .getCode());
    call(c -> c.remove("/logs/a", false));
    restartMaster(3_600_000);
    awaitTrue(() -> call(c -> c.listDeleted("/logs")).size() == 2, "both deleted entries listed after the restart");
    assertTrue((boolean) call(c -> c.undelete("/logs/a")));
    assertEquals(0, call(c -> c.getFileInfo("/logs/a")).getLengthBytes(), "the newest deletion came back");
    call(c -> c.remove("/logs/a", false));
    assertTrue((boolean) call(c -> c.undelete("/logs/a")));
    assertEquals(ErrorCode.ALREADY_EXISTS, assertThrows(GfsException.class, () -> call(c -> c.undelete("/logs/a")))
        .getCode(), "the older one cannot come back while the name is taken");
    call(c -> {
      c.rename("/logs/a", "/logs/empty");
      return null;
    });
    assertTrue((boolean) call(c -> c.undelete("/logs/a")));
    assertEquals(1, call(c -> c.findChunks("/logs/a", 0, 1)).getChunks().size(), "the written file is back");
    assertEquals(handle, call(c -> c.findChunks("/logs/a", 0, 1)).getChunks().get(0).getHandle());

    // Deleting the deleted entry again purges it at once; its replicas leave both disks.
    call(c -> c.remove("/logs/a", false));
    String hidden = call(c -> c.listDeleted("/logs")).get(0).getPath();
    assertTrue((boolean) call(c -> c.remove(hidden, false)));
    assertEquals(List.of(), call(c -> c.listDeleted("/logs")));
    awaitTrue(() -> !chunkServers.holdsOnDisk(0, handle) && !chunkServers.holdsOnDisk(1, handle),
        "the purged chunk is deleted on both chunkservers");
    master.state().checkInvariants();
  }

  @Test
  void theNamespaceScanPurgesAfterTheRetention() throws Exception {
    startMaster(0, 500);
    chunkServers = new RealChunkServers(chunkDir, () -> masterAddress).start(1);
    awaitTrue(() -> call(c -> c.getClusterStatus()).getChunkServers().size() == 1, "the chunkserver registered");
    call(c -> c.create("/tmp/x", false, true, 1, null, null, NO_PERMISSION));
    long handle = write("/tmp/x", "short-lived".getBytes());
    assertTrue(chunkServers.holdsOnDisk(0, handle));
    call(c -> c.remove("/tmp", true));
    awaitTrue(() -> call(c -> c.listDeleted("/")).isEmpty(), "the scan purged /tmp");
    assertEquals(0, call(c -> c.getClusterStatus()).getChunkCount());
    awaitTrue(() -> !chunkServers.holdsOnDisk(0, handle), "disk space returned on the chunkserver");
    assertFalse((boolean) call(c -> c.undelete("/tmp")));
  }

  private void restartMaster(long retentionMillis) throws Exception {
    master.close();
    master = null;
    rpc.forget(masterAddress);
    startMaster(masterAddress.port(), retentionMillis);
  }

  /** Writes data as chunk 0 of the file through its primary; returns the chunk handle. */
  private long write(String path, byte[] data) throws Exception {
    ChunkLease lease = call(c -> c.acquireLease(path, 0));
    rpc.chunkServer(RpcErrors.fromThrift(lease.getPrimary()), c -> {
      c.pushData(9L, 0, ByteBuffer.wrap(data), true, data.length, Crc32c.of(data, 0, data.length),
          lease.getSecondaries(), null);
      c.write(new WriteRequest(lease.getHandle(), lease.getVersion(), 0, 9L, data.length, lease.getSecondaries(),
          true));
      return null;
    });
    call(c -> {
      c.reportChunkLength(path, 0, lease.getHandle(), data.length);
      return null;
    });
    return lease.getHandle();
  }
}
