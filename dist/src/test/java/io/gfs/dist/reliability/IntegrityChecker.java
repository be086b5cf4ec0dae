package io.gfs.dist.reliability;

import java.util.List;
import java.util.Map;

/**
 * Integrity [0125-0127]: across bit flips injected into chunk files, no corrupt byte reaches a client (reads are
 * checked by {@link FileContentChecker}); afterwards every chunk is back at full replication; and a chunk whose every
 * replica is corrupt gives the client a clear error naming the checksum failure, never bytes.
 */
final class IntegrityChecker {
  /** A read of a file whose chunks are all corrupt: either bytes came back (bad) or an error with this message. */
  record AllCorruptRead(String path, byte[] bytesReturned, String errorMessage) {}

  CheckResult checkReplication(Map<Long, Integer> liveReplicasByChunk, int target) {
    CheckResult.Builder result = new CheckResult.Builder("integrity: replication")
        .operations(liveReplicasByChunk.size());
    liveReplicasByChunk.forEach((handle, replicas) -> {
      if (replicas < target) {
        result.violation("chunk %d has %d good replicas after repair, target %d", handle, replicas, target);
      }
    });
    return result.build();
  }

  CheckResult checkAllCorrupt(List<AllCorruptRead> reads) {
    CheckResult.Builder result = new CheckResult.Builder("integrity: all replicas corrupt").operations(reads.size());
    for (AllCorruptRead r : reads) {
      if (r.bytesReturned() != null) {
        result.corruptBytes(r.bytesReturned().length).violation(
            "%s: every replica is corrupt, yet the read returned %d bytes", r.path(), r.bytesReturned().length);
      } else if (r.errorMessage() == null || !clear(r.errorMessage())) {
        result.violation("%s: every replica is corrupt and the error does not say so: %s", r.path(),
            r.errorMessage());
      }
    }
    return result.build();
  }

  /** A clear error names the cause: a checksum mismatch or corruption. */
  private static boolean clear(String message) {
    String m = message.toLowerCase(java.util.Locale.ROOT);
    return m.contains("checksum") || m.contains("corrupt");
  }
}
