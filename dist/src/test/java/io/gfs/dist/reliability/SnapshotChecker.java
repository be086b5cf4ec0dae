package io.gfs.dist.reliability;

import java.util.Arrays;
import java.util.List;

/**
 * Snapshots [0113-0116] and garbage collection [0075-0076]: a snapshot holds every append acknowledged before it began, and
 * reads the same every time afterwards, whatever happens to the live file; and no chunk that a file or snapshot still
 * references ever has zero replicas.
 */
final class SnapshotChecker {
  /** An append of length bytes at offset, acknowledged at completeNanos; its bytes are Payloads.bytes(seed, offset). */
  record Append(long offsetBytes, int lengthBytes, long completeNanos) {}

  /** What a snapshot read as at one moment. */
  record SnapshotRead(String snapshot, long readNanos, byte[] bytes) {}

  /** The replicas a chunk referenced by a live file or a snapshot had when looked up. */
  record ReplicaCount(long handle, String referencedBy, int replicas, long atNanos) {}

  CheckResult check(long seed, List<Append> appends, long snapshotBeganNanos, List<SnapshotRead> reads,
      List<ReplicaCount> replicaCounts) {
    CheckResult.Builder result = new CheckResult.Builder("snapshots and GC")
        .operations(appends.size() + reads.size() + replicaCounts.size());
    if (reads.isEmpty()) {
      return result.violation("the snapshot was never read").build();
    }
    byte[] first = reads.get(0).bytes();
    for (Append a : appends) {
      if (a.completeNanos() >= snapshotBeganNanos) {
        continue;
      }
      if (a.offsetBytes() + a.lengthBytes() > first.length) {
        result.lost(1).violation("append [%d, +%d) acknowledged before the snapshot is not in it (%d bytes)",
            a.offsetBytes(), a.lengthBytes(), first.length);
        continue;
      }
      byte[] expected = Payloads.bytes(seed, a.offsetBytes(), a.lengthBytes());
      int from = (int) a.offsetBytes();
      if (!Arrays.equals(expected, 0, expected.length, first, from, from + a.lengthBytes())) {
        result.lost(1).violation("append [%d, +%d) acknowledged before the snapshot differs in it", a.offsetBytes(),
            a.lengthBytes());
      }
    }
    for (SnapshotRead r : reads.subList(1, reads.size())) {
      if (!Arrays.equals(first, r.bytes())) {
        result.violation("snapshot %s changed: %d bytes when first read, %d bytes (different) at a later read",
            r.snapshot(), first.length, r.bytes().length);
      }
    }
    for (ReplicaCount c : replicaCounts) {
      if (c.replicas() == 0) {
        result.lost(1).violation("chunk %d, referenced by %s, had no replica left", c.handle(), c.referencedBy());
      }
    }
    return result.build();
  }
}
