package io.gfs.master.server;

import io.gfs.common.Check;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers which (chunkserver, chunk handle) pairs were already warned about, so a condition that every heartbeat
 * repeats (a chunkserver holding handles the master never issued) is logged once per pair instead of once per
 * heartbeat. Bounded: beyond pairsMax the oldest pairs are forgotten (and may be warned about again, rarely).
 */
final class WarnOnce {
  private record Pair(String serverId, long handle) {}

  private final int pairsMax;
  private final Map<Pair, Boolean> warned;

  WarnOnce(int pairsMax) {
    Check.argument(pairsMax > 0, "pairsMax %s <= 0", pairsMax);
    this.pairsMax = pairsMax;
    this.warned = new LinkedHashMap<>(16, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Pair, Boolean> eldest) {
        return size() > WarnOnce.this.pairsMax;
      }
    };
  }

  /** The handles not warned about yet for this server; they count as warned from now on. */
  synchronized List<Long> firstTime(String serverId, List<Long> handles) {
    List<Long> fresh = new ArrayList<>();
    for (long handle : handles) {
      if (warned.putIfAbsent(new Pair(serverId, handle), Boolean.TRUE) == null) {
        fresh.add(handle);
      }
    }
    return fresh;
  }

  synchronized int size() {
    return warned.size();
  }
}
