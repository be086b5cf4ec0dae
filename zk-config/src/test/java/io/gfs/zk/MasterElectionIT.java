package io.gfs.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

class MasterElectionIT {
  @Test
  void oneLeaderAtATimeAndEveryTermHasAHigherEpoch() throws Exception {
    try (TestingServer server = new TestingServer();
        CuratorFramework a = CanonicalName.connect(server.getConnectString(), 5000);
        CuratorFramework b = CanonicalName.connect(server.getConnectString(), 5000)) {
      CountDownLatch aLost = new CountDownLatch(1);
      MasterElection first = MasterElection.join(a, "/gfs", "c", "a:1", reason -> aLost.countDown());
      assertEquals(1, first.awaitLeadership());
      assertTrue(first.isLeader());
      MasterElection second = MasterElection.join(b, "/gfs", "c", "b:1", reason -> {});
      CompletableFuture<Long> secondTerm = CompletableFuture.supplyAsync(() -> {
        try {
          return second.awaitLeadership();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      Thread.sleep(300); // give a wrong implementation the chance to let the standby lead too
      assertFalse(secondTerm.isDone(), "the standby must not lead while the active master holds the latch");
      first.close();
      assertEquals(2, secondTerm.get(30, TimeUnit.SECONDS));
      assertTrue(second.isLeader());
      assertFalse(first.isLeader());
      assertEquals(2, MasterElection.currentEpoch(a, "/gfs", "c"));
      second.close();
    }
  }

  @Test
  void losingTheZooKeeperConnectionEndsTheTerm() throws Exception {
    try (TestingServer server = new TestingServer();
        CuratorFramework zk = CanonicalName.connect(server.getConnectString(), 3000)) {
      CountDownLatch lost = new CountDownLatch(1);
      try (MasterElection election = MasterElection.join(zk, "/gfs", "c", "a:1", reason -> lost.countDown())) {
        election.awaitLeadership();
        server.stop();
        assertTrue(lost.await(30, TimeUnit.SECONDS), "the leader steps down when ZooKeeper goes away");
        assertFalse(election.isLeader());
        server.restart();
        Thread.sleep(500);
        assertFalse(election.isLeader(), "a term never resumes after it was lost");
      }
    }
  }

  @Test
  void concurrentEpochRaisesNeverCollide() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (TestingServer server = new TestingServer();
        CuratorFramework zk = CanonicalName.connect(server.getConnectString(), 5000)) {
      List<Future<Long>> raises = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        raises.add(pool.submit(() -> MasterElection.nextEpoch(zk, "/gfs", "race")));
      }
      Set<Long> seen = new HashSet<>();
      for (Future<Long> raise : raises) {
        assertTrue(seen.add(raise.get(30, TimeUnit.SECONDS)), "epochs are unique");
      }
      assertEquals(40, MasterElection.currentEpoch(zk, "/gfs", "race"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shadowsAreListedWhileRegistered() throws Exception {
    try (TestingServer server = new TestingServer();
        CuratorFramework zk = CanonicalName.connect(server.getConnectString(), 5000)) {
      assertTrue(ShadowRegistry.list(zk, "/gfs", "s").isEmpty());
      io.gfs.common.HostPort address = new io.gfs.common.HostPort("127.0.0.1", 7800);
      try (ShadowRegistry shadow = ShadowRegistry.register(zk, "/gfs", "s", address)) {
        assertEquals(List.of(address), ShadowRegistry.list(zk, "/gfs", "s"));
      }
      assertTrue(ShadowRegistry.list(zk, "/gfs", "s").isEmpty());
    }
  }
}
