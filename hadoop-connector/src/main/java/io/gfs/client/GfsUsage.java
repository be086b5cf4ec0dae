package io.gfs.client;

import io.gfs.common.Check;

/** Storage of the live chunkservers, summed: what `hadoop fs -df` shows. */
public record GfsUsage(long capacityBytes, long usedBytes, int chunkServerCount) {
  public GfsUsage {
    Check.argument(capacityBytes >= 0 && usedBytes >= 0 && chunkServerCount >= 0,
        "negative usage: capacity %s, used %s, servers %s", capacityBytes, usedBytes, chunkServerCount);
  }

  public long remainingBytes() {
    return Math.max(0, capacityBytes - usedBytes);
  }
}
