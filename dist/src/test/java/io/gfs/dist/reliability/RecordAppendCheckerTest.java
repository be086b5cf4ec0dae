package io.gfs.dist.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordAppendCheckerTest {
  private static final int PAYLOAD_MAX = 200;
  private final RecordAppendChecker checker = new RecordAppendChecker(PAYLOAD_MAX, 0);

  /** A file of the given (writer, seq) frames back to back, with the attempts that acknowledged them. */
  private static final class History {
    final ByteArrayOutputStream file = new ByteArrayOutputStream();
    final List<AppendAttempt> attempts = new ArrayList<>();
    final List<RecordAppendChecker.ReadRecord> read = new ArrayList<>();
    long clock = 100;

    History append(long writer, long seq, boolean ack) {
      long offset = file.size();
      byte[] frame = Payloads.recordFrame(writer, seq, PAYLOAD_MAX);
      file.writeBytes(frame);
      attempts.add(new AppendAttempt(writer, seq, clock, clock + 10, ack ? offset : -1));
      read.add(new RecordAppendChecker.ReadRecord(writer, seq, Payloads.recordPayload(writer, seq, PAYLOAD_MAX)));
      clock += 20;
      return this;
    }

    History copyOf(long writer, long seq) {
      file.writeBytes(Payloads.recordFrame(writer, seq, PAYLOAD_MAX));
      return this;
    }

    History padding(int bytes) {
      file.writeBytes(new byte[bytes]);
      return this;
    }
  }

  @Test
  void acknowledgedRecordsInPlacePass() {
    History h = new History().append(1, 0, true).padding(50).append(2, 0, true).append(1, 1, false);
    CheckResult r = checker.check(h.attempts, h.file.toByteArray(), h.read, List.of());
    assertTrue(r.ok(), r.violations().toString());
    assertEquals(3, r.operationsChecked());
  }

  @Test
  void aRecordMissingFromItsOffsetFails() {
    History h = new History().append(1, 0, true).append(2, 0, true);
    byte[] file = h.file.toByteArray();
    byte[] cut = java.util.Arrays.copyOf(file, file.length - 5);
    CheckResult r = checker.check(h.attempts, cut, h.read, List.of());
    assertFalse(r.ok());
    assertEquals(1, r.acknowledgedLost());
  }

  @Test
  void aFlippedByteInAnAcknowledgedRecordFails() {
    History h = new History().append(1, 0, true).append(2, 0, true);
    byte[] file = h.file.toByteArray();
    file[file.length - 3] ^= 1;
    CheckResult r = checker.check(h.attempts, file, h.read, List.of());
    assertFalse(r.ok());
    assertTrue(r.violations().get(0).contains("differ"), r.violations().toString());
  }

  @Test
  void aTornRecordFromTheReaderFails() {
    History h = new History().append(1, 0, true);
    byte[] payload = Payloads.recordPayload(1, 0, PAYLOAD_MAX);
    h.read.set(0, new RecordAppendChecker.ReadRecord(1, 0, java.util.Arrays.copyOf(payload, payload.length / 2)));
    CheckResult r = checker.check(h.attempts, h.file.toByteArray(), h.read, List.of());
    assertFalse(r.ok());
    assertTrue(r.corruptBytes() > 0);
  }

  @Test
  void aRecordNobodyAppendedFails() {
    History h = new History().append(1, 0, true);
    h.read.add(new RecordAppendChecker.ReadRecord(9, 9, Payloads.recordPayload(9, 9, PAYLOAD_MAX)));
    assertFalse(checker.check(h.attempts, h.file.toByteArray(), h.read, List.of()).ok());
  }

  @Test
  void anAcknowledgedRecordTheReaderSkipsFails() {
    History h = new History().append(1, 0, true).append(1, 1, true);
    h.read.remove(1);
    CheckResult r = checker.check(h.attempts, h.file.toByteArray(), h.read, List.of());
    assertFalse(r.ok());
    assertEquals(1, r.acknowledgedLost());
  }

  @Test
  void aDuplicateWithoutAFaultFailsAndWithOneInFlightPasses() {
    History h = new History().append(1, 0, true).copyOf(1, 0);
    assertFalse(checker.check(h.attempts, h.file.toByteArray(), h.read, List.of()).ok(),
        "a copy with no fault in flight breaks at-least-once-only-on-retry");
    FaultWindow fault = new FaultWindow(FaultKind.PAUSE_CHUNKSERVER, "cs1", 105, 300);
    assertTrue(checker.check(h.attempts, h.file.toByteArray(), h.read, List.of(fault)).ok());
  }

  @Test
  void copiesOfAFailedAppendAreAllowed() {
    History h = new History().append(1, 0, false).copyOf(1, 0).copyOf(1, 0);
    assertTrue(checker.check(h.attempts, h.file.toByteArray(), h.read, List.of()).ok());
  }
}
