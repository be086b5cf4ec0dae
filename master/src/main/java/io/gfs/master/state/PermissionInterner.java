package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared {@link PermissionStatus} per distinct owner, group and mode, as HDFS shares its owner and group names: a
 * namespace of a million files usually has a handful of distinct ones, and a private copy per node cost 24 bytes per
 * file (issue 6). Bounded: past {@link #DISTINCT_MAX} distinct values new ones are simply not shared.
 */
final class PermissionInterner {
  /** Most distinct values kept; a namespace with more still works, its extra values are stored per node. */
  static final int DISTINCT_MAX = 1 << 16;
  private final ConcurrentHashMap<PermissionStatus, PermissionStatus> shared = new ConcurrentHashMap<>();

  PermissionStatus intern(PermissionStatus value) {
    Check.notNull(value, "permission");
    PermissionStatus known = shared.get(value);
    if (known != null) {
      return known;
    }
    if (shared.size() >= DISTINCT_MAX) {
      return value;
    }
    PermissionStatus raced = shared.putIfAbsent(value, value);
    return raced == null ? value : raced;
  }

  int size() {
    return shared.size();
  }
}
