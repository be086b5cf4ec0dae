package io.gfs.master.server;

import static io.gfs.master.server.MasterItCluster.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.Crc32c;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.master.oplog.MetaFiles;
import io.gfs.thrift.gen.ChunkLease;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.FileInfo;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.HeartbeatRequest;
import io.gfs.thrift.gen.MasterService;
import io.gfs.thrift.gen.ReadResult;
import io.gfs.thrift.gen.ServerAddress;
import io.gfs.thrift.gen.WriteRequest;
import io.gfs.zk.CanonicalName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real master on a real port and a real disk, driven over Thrift, with real chunkservers where chunks matter. */
class MasterServerIT {
  @TempDir
  Path metaDir;
  @TempDir
  Path chunkDir;

  private final RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(30_000));
  private MasterServer master;

  private Map<String, String> config(Map<String, String> extra) {
    Map<String, String> values = new HashMap<>();
    values.put(GfsConfigKeys.Master.META_DIR.name(), metaDir.toString());
    values.put(GfsConfigKeys.Master.PORT.name(), "0");
    values.put(GfsConfigKeys.Master.HOST.name(), "127.0.0.1");
    values.putAll(extra);
    return values;
  }

  private MasterServer start(Map<String, String> extra) throws IOException {
    master = MasterServer.start(GfsConfig.of(config(extra)));
    return master;
  }

  private <R> R call(RpcClients.Call<MasterService.Client, R> call) throws Exception {
    return rpc.master(master.address(), call);
  }

  private ErrorCode errorOf(RpcClients.Call<MasterService.Client, ?> call) {
    return assertThrows(GfsException.class, () -> call(call)).getCode();
  }

  @AfterEach
  void stop() {
    rpc.close();
    if (master != null) {
      master.close();
    }
  }

  @Test
  void createsSurviveARestart() throws Exception {
    start(Map.of(GfsConfigKeys.Master.CHECKPOINT_RECORDS.name(), "7"));
    assertTrue(master.address().port() > 0);
    for (int i = 0; i < 40; i++) {
      int n = i;
      FileInfo info = call(c -> c.create("/dir" + (n % 3) + "/file" + n, false, true, 0, null, null, (short) -1));
      assertEquals(3, info.getReplication());
      assertEquals(64L << 20, info.getChunkSizeBytes());
    }
    assertTrue((boolean) call(c -> c.mkdirs("/empty/dir", null, null, (short) -1)));
    call(c -> {
      c.rename("/dir0/file0", "/moved");
      return null;
    });
    assertTrue((boolean) call(c -> c.remove("/dir1/file1", false)));
    long sequence = master.lastLogSequence();
    master.journal().checkpoint().get();
    master.close();

    start(Map.of());
    assertEquals(sequence, master.lastLogSequence());
    assertTrue(Files.list(metaDir).anyMatch(p -> p.getFileName().toString().endsWith(".ckpt")));
    assertEquals(40, call(c -> c.getClusterStatus()).getFileCount(), "the deleted file counts until it is purged");
    assertEquals(1, call(c -> c.listDeleted("/dir1")).size());
    assertFalse(call(c -> c.getFileInfo("/moved")).isDirectory());
    assertTrue(call(c -> c.getFileInfo("/empty/dir")).isDirectory());
    assertEquals(ErrorCode.NOT_FOUND, errorOf(c -> c.getFileInfo("/dir1/file1")));
    assertEquals(13, call(c -> c.listStatus("/dir2")).size());
    master.state().checkInvariants();
  }

  @Test
  void aTornLogTailRecovers() throws Exception {
    start(Map.of());
    for (int i = 0; i < 10; i++) {
      int n = i;
      call(c -> c.create("/f" + n, false, true, 1, null, null, (short) -1));
    }
    master.close();
    master = null;
    TreeMap<Long, Path> segments = MetaFiles.segments(metaDir);
    Path last = segments.lastEntry().getValue();
    if (Files.size(last) == 0) {
      last = segments.lowerEntry(segments.lastKey()).getValue();
    }
    byte[] bytes = Files.readAllBytes(last);
    Files.write(last, java.util.Arrays.copyOf(bytes, bytes.length - 5)); // cut the last record mid-way
    start(Map.of());
    assertEquals(9, call(c -> c.getClusterStatus()).getFileCount());
    assertEquals(ErrorCode.NOT_FOUND, errorOf(c -> c.getFileInfo("/f9")));
    call(c -> c.create("/f9", false, true, 1, null, null, (short) -1)); // and it goes on logging
    master.close();
    start(Map.of());
    assertEquals(10, call(c -> c.getClusterStatus()).getFileCount());
  }

  @Test
  void errorsAreTypedAndTheServerGoesOn() throws Exception {
    start(Map.of());
    call(c -> c.create("/a/file", false, true, 0, null, null, (short) -1));
    assertEquals(ErrorCode.INVALID_PATH, errorOf(c -> c.create("relative", false, true, 0, null, null, (short) -1)));
    assertEquals(ErrorCode.INVALID_PATH, errorOf(c -> c.getFileInfo("/a/../b")));
    assertEquals(ErrorCode.INVALID_PATH, errorOf(c -> c.listStatus("/x\0y")));
    assertEquals(ErrorCode.INVALID_PATH, errorOf(c -> c.mkdirs("/" + "n".repeat(300), null, null, (short) -1)));
    assertEquals(ErrorCode.ALREADY_EXISTS, errorOf(c -> c.create("/a/file", false, true, 0, null, null, (short) -1)));
    assertEquals(ErrorCode.PARENT_NOT_DIRECTORY, errorOf(c -> c.mkdirs("/a/file/x", null, null, (short) -1)));
    assertEquals(ErrorCode.DIRECTORY_NOT_EMPTY, errorOf(c -> c.remove("/a", false)));
    assertEquals(ErrorCode.IS_DIRECTORY, errorOf(c -> c.findChunks("/a", 0, 10)));
    assertEquals(ErrorCode.INVALID_ARGUMENT, errorOf(c -> c.findChunks("/a/file", -1, 10)));
    assertEquals(ErrorCode.NO_CHUNKSERVERS, errorOf(c -> c.acquireLease("/a/file", 0)));
    assertEquals(ErrorCode.OUT_OF_RANGE, errorOf(c -> c.acquireLease("/a/file", 3)));
    assertEquals(ErrorCode.INVALID_ARGUMENT, errorOf(c -> c.heartbeat(new HeartbeatRequest("", new ServerAddress(
        "127.0.0.1", 1), 0, 0, List.of(), List.of(), List.of()))));
    assertEquals(ErrorCode.INVALID_ARGUMENT, errorOf(c -> c.heartbeat(new HeartbeatRequest("cs", new ServerAddress(
        "127.0.0.1", 99999), 0, 0, List.of(), List.of(), List.of()))));
    assertEquals(ErrorCode.OUT_OF_RANGE, errorOf(c -> {
      c.reportChunkLength("/a/file", 0, 5, 5);
      return null;
    }));
    assertEquals(0, call(c -> c.findChunks("/a/file", 0, 10)).getChunks().size());
    assertEquals(1, call(c -> c.getClusterStatus()).getFileCount());
  }

  @Test
  void garbageTruncatedAndOversizedFramesCloseOnlyThatConnection() throws Exception {
    start(Map.of());
    byte[] garbage = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] oversized = ByteBuffer.allocate(8).putInt(1 << 30).putInt(0).array();
    byte[] badMessage = ByteBuffer.allocate(12).putInt(8).putLong(0x7fffffffffffffffL).array();
    for (byte[] bytes : List.of(garbage, oversized, badMessage)) {
      try (Socket socket = new Socket("127.0.0.1", master.address().port())) {
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
        assertClosedByServer(socket.getInputStream());
      }
      assertTrue((boolean) call(c -> c.mkdirs("/still-serving", null, null, (short) -1)));
    }
    try (Socket socket = new Socket("127.0.0.1", master.address().port())) {
      socket.getOutputStream().write(ByteBuffer.allocate(6).putInt(100).putShort((short) 1).array());
    } // truncated frame, then the client goes away
    assertTrue(call(c -> c.getFileInfo("/still-serving")).isDirectory());
  }

  private static void assertClosedByServer(InputStream in) throws IOException {
    try {
      byte[] buffer = new byte[1024];
      int total = 0;
      int n;
      while ((n = in.read(buffer)) >= 0) {
        total += n;
        assertTrue(total < 1 << 20, "server kept talking to a garbage client");
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close a garbage connection", e);
    } catch (IOException reset) {
      // connection reset: closed as well
    }
  }

  @Test
  void aSecondMasterOnTheSameMetaDirIsRefused() throws Exception {
    start(Map.of());
    IOException e = assertThrows(IOException.class, () -> MasterServer.start(GfsConfig.of(config(Map.of()))));
    assertTrue(e.getMessage().contains("in use"), e.getMessage());
  }

  @Test
  void theCanonicalNameIsRegisteredInZooKeeper() throws Exception {
    try (TestingServer zk = new TestingServer(true)) {
      start(Map.of(GfsConfigKeys.Cluster.ZOOKEEPER_CONNECT.name(), zk.getConnectString(),
          GfsConfigKeys.Cluster.NAME.name(), "itcluster"));
      try (CuratorFramework client = CanonicalName.connect(zk.getConnectString(), 15_000)) {
        HostPort resolved = CanonicalName.resolve(client, "/gfs", "itcluster");
        assertEquals(master.address(), resolved);
        master.close();
        master = null;
        assertThrows(IOException.class, () -> CanonicalName.resolve(client, "/gfs", "itcluster"));
      }
    }
  }

  @Test
  void leaseGrantsBumpVersionsThroughRealChunkservers() throws Exception {
    TestClock clock = new TestClock();
    Map<String, String> fast = Map.of(GfsConfigKeys.Master.HEARTBEAT_INTERVAL_MS.name(), "200");
    master = MasterServer.start(GfsConfig.of(config(fast)), clock);
    HostPort masterAddress = master.address();
    try (RealChunkServers servers = new RealChunkServers(chunkDir, () -> masterAddress).start(3)) {
      awaitLiveServers(3);
      call(m -> m.create("/log", false, true, 3, null, null, (short) -1));
      ChunkLease first = call(m -> m.acquireLease("/log", -1));
      long handle = first.getHandle();
      assertEquals(0, first.getChunkIndex());
      assertEquals(1, first.getVersion());
      assertEquals(2, first.getSecondaries().size());
      for (int i = 0; i < 3; i++) {
        assertTrue(servers.holdsOnDisk(i, handle), "assignVersion(create) made the chunk on server " + i);
      }
      // The replica named primary really took the lease: it orders a write that its secondaries apply.
      byte[] data = "ordered by the primary".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      write(first, 1L, data);
      HostPort secondary = RpcErrors.fromThrift(first.getSecondaries().get(0));
      GfsException notPrimary = assertThrows(GfsException.class, () -> rpc.chunkServer(secondary, c -> {
        c.write(new WriteRequest(handle, 1, 0, 2L, data.length, List.of(), false));
        return null;
      }));
      assertEquals(ErrorCode.NOT_PRIMARY, notPrimary.getCode());

      // The lease expires on the master's clock; one chunkserver really stops. The next grant bumps the version on
      // the two that answer and leaves the stopped one out.
      clock.advance(61_000);
      awaitReplicas("/log", 3);
      int stopped = servers.indexOf(secondary);
      servers.stop(stopped);
      ChunkLease second = call(m -> m.acquireLease("/log", 0));
      assertEquals(2, second.getVersion());
      assertEquals(1, second.getSecondaries().size());
      assertFalse(List.of(second.getPrimary(), second.getSecondaries().get(0)).contains(first.getSecondaries().get(0)));
      write(second, 3L, data);
      // Restarted, it reports version 1: a stale replica, which the master has it delete [0079].
      servers.restart(stopped);
      awaitTrue(() -> !servers.holdsOnDisk(stopped, handle), "the stale replica is deleted");
      assertEquals(2, call(m -> m.findChunks("/log", 0, 5)).getChunks().get(0).getReplicas().size());
      master.state().checkInvariants();

      // Versions are logged before anyone hears them: after a restart (same port, so the chunkservers find it) the
      // version is still 2, and the first grant after it moves to 3.
      master.close();
      rpc.forget(masterAddress); // the pooled connection died with the old master
      master = MasterServer.start(GfsConfig.of(config(Map.of(GfsConfigKeys.Master.HEARTBEAT_INTERVAL_MS.name(), "200",
          GfsConfigKeys.Master.PORT.name(), Integer.toString(masterAddress.port())))), clock);
      awaitReplicas("/log", 2);
      assertEquals(2, call(m -> m.findChunks("/log", 0, 5)).getChunks().get(0).getVersion());
      ChunkLease third = call(m -> m.acquireLease("/log", 0));
      assertEquals(3, third.getVersion(), "leases are not persisted: a restart means a new grant, new version");
      ReadResult read = rpc.chunkServer(RpcErrors.fromThrift(third.getPrimary()), c -> c.read(handle, 3, 0, 100, null));
      assertEquals(new String(data, java.nio.charset.StandardCharsets.UTF_8), new String(read.getData(),
          java.nio.charset.StandardCharsets.UTF_8));
      master.state().checkInvariants();
    }
  }

  /** Pushes data along the lease's replicas and has the primary write it at offset 0. */
  private void write(ChunkLease lease, long dataId, byte[] data) throws Exception {
    HostPort primary = RpcErrors.fromThrift(lease.getPrimary());
    rpc.chunkServer(primary, c -> {
      c.pushData(dataId, 0, ByteBuffer.wrap(data), true, data.length, Crc32c.of(data, 0, data.length),
          lease.getSecondaries(), null);
      c.write(new WriteRequest(lease.getHandle(), lease.getVersion(), 0, dataId, data.length, lease.getSecondaries(),
          true));
      return null;
    });
  }

  private void awaitLiveServers(int count) throws Exception {
    awaitTrue(() -> call(c -> c.getClusterStatus()).getChunkServers().size() == count,
        count + " chunkservers registered");
  }

  private void awaitReplicas(String path, int count) throws Exception {
    awaitTrue(() -> call(c -> c.findChunks(path, 0, 1)).getChunks().get(0).getReplicas().size() == count,
        count + " replicas of " + path + " known");
  }
}
