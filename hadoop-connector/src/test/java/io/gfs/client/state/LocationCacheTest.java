package io.gfs.client.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocationCacheTest {
  private static ChunkReplicas chunk(long index) {
    return new ChunkReplicas(index, 1000 + index, 1, 10, List.of(new HostPort("h" + index, 7710)));
  }

  @Test
  void entriesExpireAfterTheTtl() {
    LocationCache cache = new LocationCache(1000);
    cache.put("/f", List.of(chunk(0), chunk(1)), 5000);
    assertEquals(chunk(1), cache.get("/f", 1, 5999).orElseThrow());
    assertTrue(cache.get("/f", 2, 5999).isEmpty());
    assertTrue(cache.get("/g", 0, 5999).isEmpty());
    assertTrue(cache.get("/f", 0, 6000).isEmpty(), "expired at exactly ttl after the answer");
    assertEquals(1, cache.size());
  }

  @Test
  void invalidationDropsAFileOrEverything() {
    LocationCache cache = new LocationCache(60_000);
    cache.put("/f", List.of(chunk(0)), 0);
    cache.put("/g", List.of(chunk(0), chunk(1)), 0);
    cache.invalidate("/f");
    assertTrue(cache.get("/f", 0, 1).isEmpty());
    assertFalse(cache.get("/g", 1, 1).isEmpty());
    assertEquals(2, cache.size());
    cache.invalidateAll();
    assertEquals(0, cache.size());
  }

  @Test
  void aZeroTtlCachesNothing() {
    LocationCache cache = new LocationCache(0);
    cache.put("/f", List.of(chunk(0)), 0);
    assertTrue(cache.get("/f", 0, 0).isEmpty());
  }

  @Test
  void theCacheStaysBounded() {
    LocationCache cache = new LocationCache(10);
    List<ChunkReplicas> many = new ArrayList<>();
    for (int i = 0; i < LocationCache.ENTRIES_MAX / 2 + 1; i++) {
      many.add(chunk(i));
    }
    cache.put("/a", many, 0);
    cache.put("/b", many, 100); // "/a" expired by now: evicted to make room
    assertTrue(cache.size() <= LocationCache.ENTRIES_MAX);
    assertTrue(cache.get("/a", 0, 100).isEmpty());
    cache.put("/c", many, 100); // nothing expired: everything goes
    assertTrue(cache.size() <= LocationCache.ENTRIES_MAX, "size " + cache.size());
  }
}
