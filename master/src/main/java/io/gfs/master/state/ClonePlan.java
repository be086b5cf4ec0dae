package io.gfs.master.state;

import io.gfs.common.Check;
import io.gfs.common.HostPort;

/**
 * One re-replication clone the master decided [0069-0072]: target pulls chunk handle at version from source
 * (copyChunkFrom), then the master hears the outcome through {@link MasterState#completeClone}. missingReplicas is how
 * far the chunk was below its target when planned (its priority).
 */
public record ClonePlan(long handle, long version, String sourceId, HostPort source, String targetId, HostPort target,
    int missingReplicas, long plannedAtMillis) {
  public ClonePlan {
    Check.argument(handle > 0 && version > 0, "bad chunk %s/%s", handle, version);
    Check.notNull(source, "source");
    Check.notNull(target, "target");
    Check.argument(!sourceId.equals(targetId), "clone of chunk %s from %s to itself", handle, sourceId);
  }
}
