package io.gfs.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.Crc32c;
import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ChunkLocations;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ServerAddress;
import java.nio.ByteBuffer;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.AccessControlException;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, [0123]: shadow masters learn replica locations from chunkservers' reports, so with the active master down
 * (no standby) a client that never read a file reads it through a shadow, with READ tokens the shadow signed that
 * chunkservers accept for reads only; a re-replicated chunk reaches the shadow's view too, and a restarted shadow
 * gets full reports again; and a shadow checks the caller's permissions as the active master does.
 */
class ShadowLocationsIT {
  private static final String FILE = "/data/f";
  private static final long POLL_SECONDS = 180; // generous: the machine may be loaded 20+
  /**
   * The one elected master's ZooKeeper session (the shadow makes the cluster elect): nothing here waits for it to end,
   * and a session that ended under load (a long stall) would make the only master step down mid-test.
   */
  private static final long LONG_SESSION_MILLIS = 10_000;

  @Test
  void aFreshClientReadsThroughTheShadowAfterTheActiveMasterStopped() throws Exception {
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(TestData.clusterDir("shadow-locations"))
            .masters(1).shadows(1).separateProcesses(true).chunkServers(4).chunkSizeBytes(1 << 20)
            .heartbeatIntervalMillis(200).chunkServerDeadAfterMillis(3000)
            .masterSessionTimeoutMillis(LONG_SESSION_MILLIS).build();
        RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(10_000))) {
      byte[] data = new byte[(3 << 20) + 12345]; // four chunks, the last one partial
      new Random(4).nextBytes(data);
      try (FileSystem writer = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
        try (FSDataOutputStream out = writer.create(new Path(FILE), (short) 3)) {
          out.write(data);
        }
      }
      // 1. The shadow's locations match the active master's, chunk by chunk.
      List<Set<HostPort>> atMaster = replicaSets(locations(rpc, cluster.masterAddress()));
      assertEquals(4, atMaster.size());
      awaitShadow(rpc, cluster, null, "the shadow never learned the replicas the master knows");
      // 2. A chunk re-replicated after a chunkserver died is reported to the shadow at its new place too.
      int victim = indexOf(cluster, atMaster.get(0).iterator().next());
      HostPort gone = cluster.chunkServerAddress(victim);
      cluster.killChunkServer(victim);
      awaitMaster(rpc, cluster, gone);
      List<Set<HostPort>> repaired = awaitShadow(rpc, cluster, gone, "the shadow never saw the re-replicated chunks");
      assertTrue(repaired.get(0).stream().anyMatch(r -> !atMaster.get(0).contains(r)),
          "chunk 0 lost a replica with the killed server and the shadow lists its new place: " + repaired);
      // 3. A restarted shadow (a new process, address and keys) is sent full reports and knows every location again.
      cluster.restartShadow(0);
      awaitShadow(rpc, cluster, gone, "the restarted shadow never learned the locations again");
      // 4. The active master stops (no standby): a client that never read the file reads it through the shadow.
      cluster.stopMaster();
      byte[] read = new byte[data.length];
      try (FileSystem fresh = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration());
          FSDataInputStream in = fresh.open(new Path(FILE))) {
        assertEquals(data.length, fresh.getFileStatus(new Path(FILE)).getLen());
        in.readFully(0, read);
      }
      assertArrayEquals(data, read, "read through the shadow, byte for byte");
      // 5. The shadow's token reads but never writes.
      ChunkLocation first = locations(rpc, cluster.shadowAddress(0)).getChunks().get(0);
      HostPort replica = RpcErrors.fromThrift(first.getReplicas().get(0));
      ByteBuffer token = ByteBuffer.wrap(first.getAccessToken());
      assertEquals(16, rpc.chunkServer(replica, c -> c.read(first.getHandle(), first.getVersion(), 0, 16, token))
          .getData().length);
      byte[] piece = new byte[64];
      GfsException push = assertThrows(GfsException.class, () -> rpc.chunkServer(replica,
          c -> { c.pushData(new Random().nextLong(), 0, ByteBuffer.wrap(piece), true, piece.length,
              Crc32c.of(piece, 0, piece.length), List.<ServerAddress>of(), token); return null; }));
      assertEquals(ErrorCode.INVALID_TOKEN, push.getCode(), push.getMessage());
    }
  }

  @Test
  void theShadowRefusesWhatTheMasterWouldRefuse() throws Exception {
    UserGroupInformation alice = UserGroupInformation.createUserForTesting("alice", new String[] {"staff"});
    UserGroupInformation bob = UserGroupInformation.createUserForTesting("bob", new String[] {"bob"});
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(TestData.clusterDir("shadow-permissions"))
            .masters(1).shadows(1).chunkServers(1).chunkSizeBytes(1 << 20)
            .masterSessionTimeoutMillis(LONG_SESSION_MILLIS).build();
        RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(10_000))) {
      Configuration conf = cluster.clientConfiguration();
      Path home = new Path("/user/alice");
      try (FileSystem admin = FileSystem.newInstance(cluster.uri(), conf)) {
        admin.mkdirs(home);
        admin.setOwner(home, "alice", "staff");
        admin.setPermission(home, new FsPermission((short) 0700));
        try (FSDataOutputStream out = admin.create(new Path(home, "secret"))) {
          out.write(new byte[] {1, 2, 3});
        }
        admin.setOwner(new Path(home, "secret"), "alice", "staff");
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(POLL_SECONDS);
      // The owner comes with the log, the length with the chunkserver's next report to the shadow.
      while (!"alice 3".equals(ownerAndLengthAtShadow(rpc, cluster.shadowAddress(0), "/user/alice/secret"))) {
        assertTrue(System.nanoTime() < deadline, "the shadow did not follow the log and the chunk reports");
        Thread.sleep(50);
      }
      cluster.stopMaster(); // from here on only the shadow answers
      try (FileSystem asBob = as(bob, cluster, conf); FileSystem asAlice = as(alice, cluster, conf)) {
        assertThrows(AccessControlException.class, () -> asBob.listStatus(home));
        assertThrows(AccessControlException.class, () -> asBob.getFileStatus(new Path(home, "secret")));
        assertThrows(AccessControlException.class, () -> asBob.open(new Path(home, "secret")).close());
        assertEquals(1, asAlice.listStatus(home).length, "the owner lists it through the shadow");
        assertEquals(3, asAlice.getFileStatus(new Path(home, "secret")).getLen());
      }
    }
  }

  private static FileSystem as(UserGroupInformation user, MiniGfsCluster cluster, Configuration conf)
      throws Exception {
    return user.doAs((PrivilegedExceptionAction<FileSystem>) () -> FileSystem.newInstance(cluster.uri(), conf));
  }

  private static String ownerAndLengthAtShadow(RpcClients rpc, HostPort shadow, String path) {
    try {
      io.gfs.thrift.gen.FileInfo info = rpc.master(shadow, c -> c.getFileInfo(path));
      return info.getOwner() + " " + info.getLengthBytes();
    } catch (Exception notYet) {
      return null;
    }
  }

  private static ChunkLocations locations(RpcClients rpc, HostPort master) throws Exception {
    return rpc.master(master, c -> c.findChunks(FILE, 0, 100));
  }

  private static List<Set<HostPort>> replicaSets(ChunkLocations locations) {
    List<Set<HostPort>> out = new ArrayList<>();
    for (ChunkLocation chunk : locations.getChunks()) {
      Set<HostPort> replicas = new HashSet<>();
      chunk.getReplicas().forEach(r -> replicas.add(RpcErrors.fromThrift(r)));
      out.add(replicas);
    }
    return out;
  }

  /**
   * Waits until the shadow lists, chunk by chunk, the replicas the active master lists at that moment (compared
   * afresh each time: the master may still move replicas), every chunk with three and none on {@code gone}.
   */
  private static List<Set<HostPort>> awaitShadow(RpcClients rpc, MiniGfsCluster cluster, HostPort gone,
      String failure) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(POLL_SECONDS);
    List<Set<HostPort>> atMaster = null;
    List<Set<HostPort>> seen = null;
    while (true) {
      try {
        atMaster = replicaSets(locations(rpc, cluster.masterAddress()));
        seen = replicaSets(locations(rpc, cluster.shadowAddress(0)));
        if (seen.equals(atMaster) && seen.stream().allMatch(r -> r.size() == 3 && !r.contains(gone))) {
          return seen;
        }
      } catch (GfsException notYet) {
        // the shadow has not applied the file yet
      }
      assertTrue(System.nanoTime() < deadline, failure + ": master has " + atMaster + ", shadow has " + seen);
      Thread.sleep(50);
    }
  }

  /** The master's locations once every chunk has three replicas again, none on the dead server. */
  private static List<Set<HostPort>> awaitMaster(RpcClients rpc, MiniGfsCluster cluster, HostPort gone)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(POLL_SECONDS);
    while (true) {
      List<Set<HostPort>> now = replicaSets(locations(rpc, cluster.masterAddress()));
      if (now.stream().allMatch(s -> s.size() == 3 && !s.contains(gone))) {
        return now;
      }
      assertTrue(System.nanoTime() < deadline, "the master did not re-replicate: " + now);
      Thread.sleep(100);
    }
  }

  private static int indexOf(MiniGfsCluster cluster, HostPort address) {
    for (int i = 0; ; i++) {
      if (cluster.chunkServerAddress(i).equals(address)) {
        return i;
      }
      assertFalse(i > 10, address + " is none of the cluster's chunkservers");
    }
  }
}
