package io.gfs.client.state;

import io.gfs.common.Check;
import io.gfs.common.HostPort;
import java.util.ArrayList;
import java.util.List;

/**
 * A chunk lease as the client caches it [0096]: the primary that orders mutations, the secondaries that follow, the
 * chunk version they hold and until when (on the client's clock) the client may use it without asking the master.
 */
public record Lease(long chunkIndex, long handle, long version, HostPort primary, List<HostPort> secondaries,
    long chunkSizeBytes, long expiresAtMillis, byte[] accessToken) {
  /** Without an access token (a cluster with gfs.access.tokens.enabled=false). */
  public Lease(long chunkIndex, long handle, long version, HostPort primary, List<HostPort> secondaries,
      long chunkSizeBytes, long expiresAtMillis) {
    this(chunkIndex, handle, version, primary, secondaries, chunkSizeBytes, expiresAtMillis, null);
  }

  /** accessToken: the master's signed WRITE token for the chunk (issue 7), null when none; never changed. */
  public Lease {
    Check.argument(chunkIndex >= 0, "chunk index %s < 0", chunkIndex);
    Check.notNull(primary, "primary");
    Check.argument(chunkSizeBytes > 0, "chunk size %s <= 0", chunkSizeBytes);
    secondaries = List.copyOf(secondaries);
    Check.argument(!secondaries.contains(primary), "primary %s is also a secondary", primary);
  }

  public boolean validAt(long nowMillis) {
    return nowMillis < expiresAtMillis;
  }

  /** Primary and secondaries: every server that must receive pushed data. */
  public List<HostPort> replicas() {
    List<HostPort> all = new ArrayList<>(secondaries.size() + 1);
    all.add(primary);
    all.addAll(secondaries);
    return List.copyOf(all);
  }
}
