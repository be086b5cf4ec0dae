package io.gfs.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.GfsConfigKeys;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.common.security.AccessToken;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ReadResult;
import io.gfs.thrift.gen.WriteRequest;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Issue 7: chunk access tokens between a real master and real chunkservers. Tokens live 1.5 s and keys rotate every
 * second here (the shortest the keys allow), so expiry and rotation happen during the test.
 */
class AccessTokenIT {
  private static final long CHUNK_BYTES = 1 << 20;
  private static final int FILE_BYTES = (int) (2 * CHUNK_BYTES + 12_345);
  private static final long TOKEN_LIFETIME_MILLIS = 1500;
  private static final Path FILE = new Path("/tokens/file");

  private static MiniGfsCluster cluster;
  private static FileSystem fs;
  private static RpcClients rpc;
  private static final byte[] DATA = new byte[FILE_BYTES];

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniGfsCluster.builder(TestData.clusterDir("access-tokens")).chunkServers(2).chunkSizeBytes(CHUNK_BYTES)
        .masterConfig(GfsConfigKeys.Master.ACCESS_TOKEN_LIFETIME_MS.name(), Long.toString(TOKEN_LIFETIME_MILLIS))
        .masterConfig(GfsConfigKeys.Master.ACCESS_KEY_ROTATION_MS.name(), "1000").build();
    Configuration conf = cluster.clientConfiguration();
    // Cached locations outlive their tokens: the client must notice the refusal and ask the master again.
    conf.set(GfsConfigKeys.Client.LOCATION_CACHE_TTL_MS.name(), "600000");
    fs = FileSystem.newInstance(cluster.uri(), conf);
    rpc = new RpcClients(RpcLimits.defaults());
    TestData.fill(3, 0, DATA, 0, DATA.length);
    try (FSDataOutputStream out = fs.create(FILE)) {
      out.write(DATA);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (rpc != null) {
      rpc.close();
    }
    if (fs != null) {
      fs.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Fresh locations, each with a READ token the master just signed. */
  private static List<ChunkLocation> locate() throws Exception {
    return rpc.master(cluster.masterAddress(), c -> c.findChunks(FILE.toUri().getPath(), 0, 10)).getChunks();
  }

  private static HostPort replica(ChunkLocation chunk) {
    return RpcErrors.fromThrift(chunk.getReplicas().get(0));
  }

  private static ReadResult read(ChunkLocation chunk, ByteBuffer token) throws Exception {
    return rpc.chunkServer(replica(chunk), c -> c.read(chunk.getHandle(), chunk.getVersion(), 0, 1000, token));
  }

  private static void refused(String reason, Executable call) {
    GfsException e = assertThrows(GfsException.class, call);
    assertEquals(ErrorCode.INVALID_TOKEN, e.getCode(), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage() + " should say " + reason);
  }

  @Test
  void aClientThatSkipsTheMasterGetsNothingAndATokenOpensOnlyItsChunk() throws Exception {
    List<ChunkLocation> chunks = locate();
    ChunkLocation a = chunks.get(0);
    ChunkLocation b = chunks.get(1);
    refused("no access token", () -> read(a, null));
    refused("malformed", () -> read(a, ByteBuffer.wrap(new byte[] {1, 2, 3})));
    refused("not chunk " + b.getHandle(), () -> read(b, a.bufferForAccessToken()));
    byte[] forged = a.getAccessToken().clone();
    forged[forged.length - 1] ^= 1;
    refused("does not verify", () -> read(a, ByteBuffer.wrap(forged)));
    ReadResult granted = read(a, a.bufferForAccessToken());
    assertArrayEquals(java.util.Arrays.copyOf(DATA, 1000), granted.getData());

    // A READ token writes nothing, and no client token gives the master's orders.
    HostPort server = replica(a);
    refused("does not allow WRITE", () -> rpc.chunkServer(server, c -> {
      c.pushData(42, 0, ByteBuffer.wrap(new byte[10]), true, 10, io.gfs.common.Crc32c.of(new byte[10], 0, 10),
          List.of(), a.bufferForAccessToken());
      return null;
    }));
    refused("no access token", () -> rpc.chunkServer(server, c -> {
      c.write(new WriteRequest(a.getHandle(), a.getVersion(), 0, 42, 10, List.of(), false));
      return null;
    }));
    refused("does not allow MASTER", () -> rpc.chunkServer(server, c -> {
      c.assignVersion(a.getHandle(), a.getVersion() + 1, false, 60_000, 0, a.bufferForAccessToken());
      return null;
    }));
    refused("no access token", () -> rpc.chunkServer(server, c -> c.getChunkChecksum(a.getHandle(), a.getVersion(),
        null)));
    assertArrayEquals(DATA, readFile(fs)); // nothing above changed a byte
  }

  @Test
  void anExpiredTokenIsRefusedAndTheFileSystemAsksForAFreshOne() throws Exception {
    try (FSDataInputStream in = fs.open(FILE)) {
      byte[] first = new byte[1000];
      in.readFully(0, first); // caches the locations with their tokens
      ChunkLocation a = locate().get(0);
      long deadline = System.currentTimeMillis() + 20 * TOKEN_LIFETIME_MILLIS;
      GfsException refusal = null;
      while (refusal == null && System.currentTimeMillis() < deadline) {
        try {
          read(a, a.bufferForAccessToken());
          Thread.sleep(100);
        } catch (GfsException e) {
          refusal = e;
        }
      }
      assertTrue(refusal != null, "the token was still accepted " + 20 * TOKEN_LIFETIME_MILLIS + " ms after it was issued");
      assertEquals(ErrorCode.INVALID_TOKEN, refusal.getCode());
      assertTrue(refusal.getMessage().contains("expired"), refusal.getMessage());
      // The stream's cached tokens expired too: it asks the master again without the caller noticing.
      byte[] all = new byte[FILE_BYTES];
      in.readFully(0, all);
      assertArrayEquals(DATA, all);
    }
  }

  @Test
  void readsAndWritesGoOnAcrossKeyRotations() throws Exception {
    Set<Long> keyIds = new HashSet<>();
    long end = System.currentTimeMillis() + 6000;
    long giveUp = end + 60_000; // a bound on waiting for rotations, not a timing goal
    int round = 0;
    while (System.currentTimeMillis() < end || keyIds.size() < 3) {
      keyIds.add(AccessToken.parse(locate().get(0).getAccessToken()).keyId());
      assertArrayEquals(DATA, readFile(fs));
      Path written = new Path("/tokens/rotation-" + round);
      byte[] small = new byte[50_000 + round];
      TestData.fill(round, 0, small, 0, small.length);
      try (FSDataOutputStream out = fs.create(written)) {
        out.write(small);
      }
      byte[] back = new byte[small.length];
      try (FSDataInputStream in = fs.open(written)) {
        in.readFully(0, back);
      }
      assertArrayEquals(small, back);
      round++;
      assertTrue(keyIds.size() >= 3 || System.currentTimeMillis() < giveUp,
          "keys did not rotate in " + round + " rounds: " + keyIds);
    }
    assertTrue(keyIds.size() >= 3, "saw keys " + keyIds);
  }

  private static byte[] readFile(FileSystem fileSystem) throws Exception {
    byte[] out = new byte[FILE_BYTES];
    try (FSDataInputStream in = fileSystem.open(FILE)) {
      in.readFully(0, out);
    }
    return out;
  }
}
