package io.gfs.client.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseCacheTest {
  private static final HostPort A = new HostPort("a", 1);
  private static final HostPort B = new HostPort("b", 1);

  private static Lease lease(long chunkIndex, long expiresAtMillis) {
    return new Lease(chunkIndex, 100 + chunkIndex, 2, A, List.of(B), 1 << 20, expiresAtMillis);
  }

  @Test
  void leasesAreUsedUntilTheyExpire() {
    LeaseCache cache = new LeaseCache();
    cache.put("/f", lease(0, 1000));
    assertEquals(lease(0, 1000), cache.get("/f", 0, 999).orElseThrow());
    assertTrue(cache.get("/f", 1, 999).isEmpty());
    assertTrue(cache.get("/f", 0, 1000).isEmpty());
  }

  @Test
  void aFailedMutationDropsTheLeaseAlsoAsLastChunk() {
    LeaseCache cache = new LeaseCache();
    cache.putLastChunk("/f", lease(3, 1000));
    assertEquals(3, cache.lastChunk("/f", 0).orElseThrow().chunkIndex());
    assertEquals(3, cache.get("/f", 3, 0).orElseThrow().chunkIndex());
    cache.drop("/f", 3);
    assertTrue(cache.lastChunk("/f", 0).isEmpty());
    assertTrue(cache.get("/f", 3, 0).isEmpty());
  }

  @Test
  void theLastChunkNeverMovesBack() {
    LeaseCache cache = new LeaseCache();
    cache.putLastChunk("/f", lease(4, 1000));
    cache.putLastChunk("/f", lease(2, 1000));
    assertEquals(4, cache.lastChunk("/f", 0).orElseThrow().chunkIndex());
    cache.putLastChunk("/f", lease(5, 1000));
    assertEquals(5, cache.lastChunk("/f", 0).orElseThrow().chunkIndex());
    cache.dropFile("/f");
    assertTrue(cache.lastChunk("/f", 0).isEmpty());
    assertTrue(cache.get("/f", 4, 0).isEmpty());
  }

  @Test
  void aLeaseListsPrimaryFirstAndRejectsAPrimaryAmongSecondaries() {
    assertEquals(List.of(A, B), lease(0, 1).replicas());
    assertThrows(IllegalArgumentException.class, () -> new Lease(0, 1, 1, A, List.of(A), 1 << 20, 1));
  }
}
