package io.gfs.master.server;

import static io.gfs.master.server.MasterItCluster.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ContentSummary;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.FileInfo;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ListingEntry;
import io.gfs.thrift.gen.ListingPage;
import io.gfs.thrift.gen.MasterService;
import io.gfs.thrift.gen.WriteRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master RPCs behind the Hadoop surface (permissions, times, replication, content summary, paged and located
 * listings, concat), over Thrift against a real master and real chunkservers, each checked again after a restart.
 */
class HadoopSurfaceIT {
  private static final int CHUNK_BYTES = 1 << 20;
  private static final short NO_PERMISSION = -1;

  @TempDir
  Path metaDir;
  @TempDir
  Path chunkDir;

  private final RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(30_000));
  private MasterServer master;
  private HostPort masterAddress;
  private RealChunkServers chunkServers;

  private MasterServer startMaster(int port) throws Exception {
    Map<String, String> values = new HashMap<>();
    values.put(GfsConfigKeys.Master.META_DIR.name(), metaDir.toString());
    values.put(GfsConfigKeys.Master.PORT.name(), Integer.toString(port));
    values.put(GfsConfigKeys.Master.HOST.name(), "127.0.0.1");
    values.put(GfsConfigKeys.Master.HEARTBEAT_INTERVAL_MS.name(), "200");
    values.put(GfsConfigKeys.Cluster.CHUNK_SIZE_BYTES.name(), Integer.toString(CHUNK_BYTES));
    return MasterServer.start(GfsConfig.of(values));
  }

  @BeforeEach
  void start() throws Exception {
    master = startMaster(0);
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

  /** Restarts the master on its port (chunkservers keep finding it), from its log and, if asked, a checkpoint. */
  private void restartMaster(boolean checkpointFirst) throws Exception {
    if (checkpointFirst) {
      master.journal().checkpoint().get(60, TimeUnit.SECONDS);
    }
    master.close();
    master = null;
    rpc.forget(masterAddress);
    master = startMaster(masterAddress.port());
  }

  private <R> R call(RpcClients.Call<MasterService.Client, R> call) throws Exception {
    return rpc.master(masterAddress, call);
  }

  private ErrorCode errorOf(RpcClients.Call<MasterService.Client, ?> call) {
    return assertThrows(GfsException.class, () -> call(call)).getCode();
  }

  private FileInfo info(String path) throws Exception {
    return call(c -> c.getFileInfo(path));
  }

  @Test
  void ownerGroupPermissionTimesAndReplicationAreStoredReturnedAndDurable() throws Exception {
    assertTrue((boolean) call(c -> c.mkdirs("/home/alice", "alice", "staff", (short) 0700)));
    FileInfo home = info("/home/alice");
    assertEquals("alice", home.getOwner());
    assertEquals("staff", home.getGroup());
    assertEquals((short) 0700, home.getPermission());
    // HDFS's missing parents (issue 7): the caller's (here the requested owner), the bits plus owner write and execute.
    assertEquals("alice", info("/home").getOwner(), "a created parent belongs to whoever created it");
    assertEquals((short) 0700, info("/home").getPermission());
    FileInfo created = call(c -> c.create("/home/alice/f", false, false, 2, null, null, NO_PERMISSION));
    assertEquals("alice", created.getOwner(), "absent owner: the parent's");
    assertEquals("staff", created.getGroup());
    assertEquals((short) 0644, created.getPermission());
    assertEquals(created.getModificationTimeMillis(), created.getAccessTimeMillis());
    call(c -> c.create("/home/alice/g", false, false, 1, "bob", "wheel", (short) 0600));
    assertEquals("bob", info("/home/alice/g").getOwner());
    assertEquals((short) 0600, info("/home/alice/g").getPermission());

    call(c -> {
      c.setPermission("/home/alice/f", (short) 0440);
      c.setOwner("/home/alice/f", "carol", null);
      c.setOwner("/home/alice", null, "admins");
      c.setTimes("/home/alice/f", 1_000, 2_000);
      c.setTimes("/home/alice/g", -1, 3_000);
      return null;
    });
    assertTrue((boolean) call(c -> c.setReplication("/home/alice/f", 5)));
    assertFalse((boolean) call(c -> c.setReplication("/home/alice", 5)), "false for a directory");

    assertEquals(ErrorCode.INVALID_ARGUMENT, errorOf(c -> c.mkdirs("/x", "", null, NO_PERMISSION)));
    assertEquals(ErrorCode.INVALID_ARGUMENT, errorOf(c -> c.create("/x", false, true, 1, null, null, (short) 010000)));
    assertEquals(ErrorCode.INVALID_ARGUMENT, errorOf(c -> {
      c.setPermission("/home/alice/f", (short) -5);
      return null;
    }));
    assertEquals(ErrorCode.INVALID_ARGUMENT, errorOf(c -> {
      c.setOwner("/home/alice/f", "", "g");
      return null;
    }));
    assertEquals(ErrorCode.INVALID_ARGUMENT, errorOf(c -> {
      c.setTimes("/home/alice/f", -7, 1);
      return null;
    }));
    assertEquals(ErrorCode.INVALID_ARGUMENT, errorOf(c -> c.setReplication("/home/alice/f", 99)));
    assertEquals(ErrorCode.NOT_FOUND, errorOf(c -> {
      c.setTimes("/nope", 1, 1);
      return null;
    }));
    assertEquals(ErrorCode.NOT_FOUND, errorOf(c -> c.setReplication("/nope", 1)));
    assertEquals(ErrorCode.INVALID_PATH, errorOf(c -> {
      c.setPermission("no/slash", (short) 0644);
      return null;
    }));

    for (boolean checkpoint : List.of(false, true)) {
      restartMaster(checkpoint);
      FileInfo f = info("/home/alice/f");
      assertEquals("carol", f.getOwner());
      assertEquals("staff", f.getGroup());
      assertEquals((short) 0440, f.getPermission());
      assertEquals(1_000, f.getModificationTimeMillis());
      assertEquals(2_000, f.getAccessTimeMillis());
      assertEquals(5, f.getReplication());
      assertEquals("admins", info("/home/alice").getGroup());
      assertEquals("alice", info("/home/alice").getOwner());
      assertEquals(3_000, info("/home/alice/g").getAccessTimeMillis());
      assertEquals("wheel", info("/home/alice/g").getGroup());
    }
  }

  @Test
  void listStatusPagePagesInNameOrderAndContentSummaryCounts() throws Exception {
    for (int i = 0; i < 12; i++) {
      int n = i;
      call(c -> c.create(String.format("/d/f%02d", n), false, true, 1, null, null, NO_PERMISSION));
    }
    call(c -> c.mkdirs("/d/sub/deeper", null, null, NO_PERMISSION));
    List<String> names = new ArrayList<>();
    String after = "";
    int pages = 0;
    while (true) {
      String startAfter = after;
      ListingPage page = call(c -> c.listStatusPage("/d", startAfter, 5, false));
      pages++;
      for (ListingEntry e : page.getEntries()) {
        names.add(e.getFile().getPath());
        assertFalse(e.isSetChunks());
        assertEquals("gfs", e.getFile().getOwner());
      }
      if (!page.isHasMore()) {
        break;
      }
      String last = names.get(names.size() - 1);
      after = last.substring(last.lastIndexOf('/') + 1);
    }
    assertEquals(3, pages);
    List<String> expected = new ArrayList<>();
    call(c -> c.listStatus("/d")).forEach(info -> expected.add(info.getPath()));
    assertEquals(expected, names);
    assertEquals(13, names.size());
    ListingPage file = call(c -> c.listStatusPage("/d/f03", "", 10, true));
    assertEquals(List.of("/d/f03"), file.getEntries().stream().map(e -> e.getFile().getPath()).toList());
    assertEquals(List.of(), file.getEntries().get(0).getChunks(), "an empty file: an empty chunk list");
    assertEquals(ErrorCode.NOT_FOUND, errorOf(c -> c.listStatusPage("/none", "", 10, false)));
    assertEquals(ErrorCode.INVALID_ARGUMENT, errorOf(c -> c.listStatusPage("/d", "", 0, false)));

    ContentSummary summary = call(c -> c.getContentSummary("/d"));
    assertEquals(new ContentSummary(0, 12, 3, 0), summary);
    assertEquals(ErrorCode.NOT_FOUND, errorOf(c -> c.getContentSummary("/none")));
  }

  @Test
  void locatedListingsAndConcatWorkOnRealChunks() throws Exception {
    chunkServers = new RealChunkServers(chunkDir, () -> masterAddress).start(2);
    awaitTrue(() -> call(c -> c.getClusterStatus()).getChunkServers().size() == 2, "2 chunkservers registered");
    Random random = new Random(5);
    byte[] t0 = bytes(random, CHUNK_BYTES);
    byte[] a0 = bytes(random, CHUNK_BYTES);
    byte[] b0 = bytes(random, CHUNK_BYTES);
    byte[] b1 = bytes(random, 1234);
    for (String name : List.of("t", "a", "b")) {
      call(c -> c.create("/cat/" + name, false, true, 2, null, null, NO_PERMISSION));
    }
    writeChunk("/cat/t", 0, t0);
    writeChunk("/cat/a", 0, a0);
    writeChunk("/cat/b", 0, b0);
    writeChunk("/cat/b", 1, b1);

    ListingPage located = call(c -> c.listStatusPage("/cat", "", 100, true));
    assertEquals(List.of("/cat/a", "/cat/b", "/cat/t"),
        located.getEntries().stream().map(e -> e.getFile().getPath()).toList());
    List<ChunkLocation> bChunks = located.getEntries().get(1).getChunks();
    assertEquals(2, bChunks.size());
    assertEquals(1234, bChunks.get(1).getLengthBytes());
    assertEquals(2, bChunks.get(0).getReplicas().size(), "each chunk with its replicas, in one call");
    assertEquals(new ContentSummary(3L * CHUNK_BYTES + 1234, 3, 1, 2 * (3L * CHUNK_BYTES + 1234)),
        call(c -> c.getContentSummary("/cat")));

    // Refusals: the target's last chunk not full, a source elsewhere, no sources.
    assertEquals(ErrorCode.INVALID_ARGUMENT, errorOf(c -> {
      c.concat("/cat/b", List.of("/cat/a"));
      return null;
    }));
    call(c -> c.create("/elsewhere/x", false, true, 1, null, null, NO_PERMISSION));
    assertEquals(ErrorCode.INVALID_ARGUMENT, errorOf(c -> {
      c.concat("/cat/t", List.of("/elsewhere/x"));
      return null;
    }));
    assertEquals(ErrorCode.INVALID_ARGUMENT, errorOf(c -> {
      c.concat("/cat/t", List.of());
      return null;
    }));
    assertEquals(ErrorCode.NOT_FOUND, errorOf(c -> {
      c.concat("/cat/t", List.of("/cat/none"));
      return null;
    }));

    call(c -> {
      c.concat("/cat/t", List.of("/cat/a", "/cat/b"));
      return null;
    });
    byte[] expected = concat(t0, a0, b0, b1);
    assertArrayEquals(expected, readFile("/cat/t"));
    assertEquals(List.of("/cat/t"), call(c -> c.listStatus("/cat")).stream().map(FileInfo::getPath).toList());
    restartMaster(false);
    awaitTrue(() -> call(c -> c.findChunks("/cat/t", 0, 10)).getChunks().stream()
        .allMatch(l -> l.getReplicas().size() == 2), "the chunkservers reported to the restarted master");
    assertEquals(expected.length, info("/cat/t").getLengthBytes());
    assertArrayEquals(expected, readFile("/cat/t"));
    assertEquals(ErrorCode.NOT_FOUND, errorOf(c -> c.getFileInfo("/cat/a")));
  }

  /** Writes data at offset 0 of chunk chunkIndex through its primary, then reports its length to the master. */
  private void writeChunk(String path, long chunkIndex, byte[] data) throws Exception {
    ChunkLease lease = call(c -> c.acquireLease(path, chunkIndex));
    long dataId = new Random().nextLong();
    rpc.chunkServer(RpcErrors.fromThrift(lease.getPrimary()), c -> {
      c.pushData(dataId, 0, ByteBuffer.wrap(data), true, data.length, Crc32c.of(data, 0, data.length),
          lease.getSecondaries(), null);
      c.write(new WriteRequest(lease.getHandle(), lease.getVersion(), 0, dataId, data.length, lease.getSecondaries(),
          true));
      return null;
    });
    call(c -> {
      c.reportChunkLength(path, chunkIndex, lease.getHandle(), data.length);
      return null;
    });
  }

  /** Reads the whole file from the first replica of each chunk, as a client would. */
  private byte[] readFile(String path) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ChunkLocation chunk : call(c -> c.findChunks(path, 0, 100)).getChunks()) {
      HostPort replica = RpcErrors.fromThrift(chunk.getReplicas().get(0));
      for (long offset = 0; offset < chunk.getLengthBytes(); ) {
        long at = offset;
        int length = (int) Math.min(1 << 20, chunk.getLengthBytes() - offset);
        byte[] piece = rpc.chunkServer(replica, c -> c.read(chunk.getHandle(), chunk.getVersion(), at, length, null))
            .getData();
        out.write(piece);
        offset += piece.length;
      }
    }
    return out.toByteArray();
  }

  private static byte[] bytes(Random random, int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
