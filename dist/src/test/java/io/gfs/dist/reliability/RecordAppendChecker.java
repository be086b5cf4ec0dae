package io.gfs.dist.reliability;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a record-append history kept the promise of [0104-0111]:
 * <ul>
 *   <li>every acknowledged record is in the file, intact, at the offset gfs returned for it;</li>
 *   <li>the record reader returns every acknowledged record, and nothing it returns is torn, corrupt or unknown
 *       (a record nobody appended);</li>
 *   <li>a record appears more than once only if its append failed or was in flight while a fault happened: the
 *       at-least-once rule lets a retried append leave copies [0109], nothing else may.</li>
 * </ul>
 */
final class RecordAppendChecker {
  private static final int MAGIC = io.gfs.mapreduce.RecordFrame.MAGIC;
  private static final int HEADER_BYTES = io.gfs.mapreduce.RecordFrame.HEADER_BYTES;

  /** One record as the record reader returned it. */
  record ReadRecord(long writerId, long seq, byte[] payload) {}

  record Key(long writerId, long seq) {}

  private final int payloadBytesMax;
  private final long faultGraceNanos;

  /**
   * @param faultGraceNanos how long after a fault ends an append may still be retrying because of it (the client's
   *     call timeout and retry backoff)
   */
  RecordAppendChecker(int payloadBytesMax, long faultGraceNanos) {
    this.payloadBytesMax = payloadBytesMax;
    this.faultGraceNanos = faultGraceNanos;
  }

  /**
   * The verdict when the file cannot be read at all (a chunk with no replica left, say): every acknowledged record is
   * lost to its readers. The scenario still writes its row, so a long run's failure lands in the table.
   */
  static CheckResult unreadable(List<AppendAttempt> attempts, String path, java.io.IOException failure) {
    long acknowledged = attempts.stream().filter(AppendAttempt::acknowledged).count();
    return new CheckResult.Builder("record append").operations(attempts.size()).lost(acknowledged)
        .violation("%s cannot be read, so none of its %d acknowledged records can: %s", path, acknowledged, failure)
        .build();
  }

  CheckResult check(List<AppendAttempt> attempts, byte[] file, List<ReadRecord> read, List<FaultWindow> faults) {
    CheckResult.Builder result = new CheckResult.Builder("record append").operations(attempts.size());
    Map<Key, AppendAttempt> byKey = new HashMap<>();
    for (AppendAttempt a : attempts) {
      if (byKey.put(new Key(a.writerId(), a.seq()), a) != null) {
        result.violation("the history appends (%d, %d) twice: the workload must use each key once", a.writerId(),
            a.seq());
      }
    }
    checkAcknowledgedInPlace(attempts, file, result);
    checkReader(byKey, read, result);
    checkDuplicates(byKey, file, faults, result);
    return result.build();
  }

  private void checkAcknowledgedInPlace(List<AppendAttempt> attempts, byte[] file, CheckResult.Builder result) {
    for (AppendAttempt a : attempts) {
      if (!a.acknowledged()) {
        continue;
      }
      byte[] frame = Payloads.recordFrame(a.writerId(), a.seq(), payloadBytesMax);
      long end = a.offsetBytes() + frame.length;
      if (end > file.length) {
        result.lost(1).violation("acknowledged record (%d, %d) at offset %d: the file ends at %d", a.writerId(),
            a.seq(), a.offsetBytes(), file.length);
        continue;
      }
      int at = (int) a.offsetBytes();
      int differing = 0;
      for (int i = 0; i < frame.length; i++) {
        if (file[at + i] != frame[i]) {
          differing++;
        }
      }
      if (differing > 0) {
        result.lost(1).violation("acknowledged record (%d, %d) at offset %d: %d of its %d bytes differ", a.writerId(),
            a.seq(), a.offsetBytes(), differing, frame.length);
      }
    }
  }

  private void checkReader(Map<Key, AppendAttempt> byKey, List<ReadRecord> read, CheckResult.Builder result) {
    Map<Key, Integer> returned = new HashMap<>();
    for (ReadRecord r : read) {
      Key key = new Key(r.writerId(), r.seq());
      returned.merge(key, 1, Integer::sum);
      if (!byKey.containsKey(key)) {
        result.violation("the record reader returned (%d, %d), which nobody appended", r.writerId(), r.seq());
        continue;
      }
      byte[] expected = Payloads.recordPayload(r.writerId(), r.seq(), payloadBytesMax);
      if (!Arrays.equals(expected, r.payload())) {
        result.corruptBytes(differing(expected, r.payload()))
            .violation("the record reader returned a torn or corrupt (%d, %d): %d bytes, expected %d", r.writerId(),
                r.seq(), r.payload().length, expected.length);
      }
    }
    for (Map.Entry<Key, AppendAttempt> e : byKey.entrySet()) {
      if (e.getValue().acknowledged() && !returned.containsKey(e.getKey())) {
        result.lost(1).violation("the record reader did not return acknowledged record (%d, %d)",
            e.getKey().writerId(), e.getKey().seq());
      }
    }
  }

  private void checkDuplicates(Map<Key, AppendAttempt> byKey, byte[] file, List<FaultWindow> faults,
      CheckResult.Builder result) {
    Map<Key, Integer> copies = new HashMap<>();
    for (int at = 0; at + HEADER_BYTES <= file.length; at++) {
      if (intAt(file, at) != MAGIC) {
        continue;
      }
      Key key = new Key(longAt(file, at + 8), longAt(file, at + 16));
      if (!byKey.containsKey(key)) {
        continue;
      }
      byte[] frame = Payloads.recordFrame(key.writerId(), key.seq(), payloadBytesMax);
      if (at + frame.length <= file.length && Arrays.equals(frame, 0, frame.length, file, at, at + frame.length)) {
        copies.merge(key, 1, Integer::sum);
      }
    }
    for (Map.Entry<Key, Integer> e : copies.entrySet()) {
      AppendAttempt a = byKey.get(e.getKey());
      if (e.getValue() > 1 && a.acknowledged() && !duringFault(a, faults)) {
        result.violation("record (%d, %d) appears %d times, but its append succeeded with no fault in flight",
            a.writerId(), a.seq(), e.getValue());
      }
    }
  }

  private boolean duringFault(AppendAttempt a, List<FaultWindow> faults) {
    return faults.stream().anyMatch(f -> f.overlaps(a.invokeNanos(), a.completeNanos(), faultGraceNanos));
  }

  private static long differing(byte[] expected, byte[] actual) {
    long n = Math.abs(expected.length - actual.length);
    for (int i = 0; i < Math.min(expected.length, actual.length); i++) {
      if (expected[i] != actual[i]) {
        n++;
      }
    }
    return n;
  }

  private static int intAt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }

  private static long longAt(byte[] b, int at) {
    return (long) intAt(b, at) << 32 | (intAt(b, at + 4) & 0xffff_ffffL);
  }
}
