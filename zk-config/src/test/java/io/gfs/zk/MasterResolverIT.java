package io.gfs.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/** The resolver chunkservers and clients share: alias [0122] with caching, hints and invalidation, and shadows [0123]. */
class MasterResolverIT {
  @Test
  void resolvesCachesFollowsAndListsShadows() throws Exception {
    try (TestingServer server = new TestingServer(true);
        CuratorFramework zk = CanonicalName.connect(server.getConnectString(), 15_000);
        MasterResolver resolver = new MasterResolver(server.getConnectString(), 15_000, "/gfs", "c1")) {
      assertFalse(resolver.isConnected(), "connects on the first lookup only");
      assertThrows(IOException.class, resolver::master, "no master registered yet");
      assertTrue(resolver.isConnected());
      assertEquals(List.of(), resolver.shadows());
      HostPort first = new HostPort("127.0.0.1", 1234);
      HostPort moved = new HostPort("127.0.0.1", 5678);
      try (CanonicalName alias = CanonicalName.register(zk, "/gfs", "c1", first)) {
        assertEquals(first, resolver.master());
      }
      try (CanonicalName alias = CanonicalName.register(zk, "/gfs", "c1", moved)) {
        assertEquals(first, resolver.master(), "cached until it fails");
        resolver.invalidate(new HostPort("127.0.0.1", 9));
        assertEquals(first, resolver.master(), "another address failing changes nothing");
        resolver.invalidate(first);
        assertEquals(moved, resolver.master());
        HostPort hinted = new HostPort("127.0.0.1", 4321);
        resolver.redirect(hinted);
        assertEquals(hinted, resolver.master(), "a NOT_MASTER hint is used until it fails");
        resolver.invalidate(null);
        assertEquals(moved, resolver.master());
      }
      HostPort shadow = new HostPort("127.0.0.1", 7777);
      try (ShadowRegistry registered = ShadowRegistry.register(zk, "/gfs", "c1", shadow)) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!resolver.shadows().equals(List.of(shadow))) {
          assertTrue(System.nanoTime() < deadline, "the shadow never showed: " + resolver.shadows());
          Thread.sleep(20);
        }
      }
      resolver.close();
      assertThrows(IOException.class, resolver::master, "closed");
      assertThrows(IOException.class, resolver::shadows, "closed");
    }
  }
}
