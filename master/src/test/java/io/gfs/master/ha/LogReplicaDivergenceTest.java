package io.gfs.master.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.master.oplog.LogEntry;
import io.gfs.master.oplog.RecordCodec;
import io.gfs.master.state.LogRecord;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.LogAck;
import io.gfs.thrift.gen.LogBatch;
import io.gfs.thrift.gen.LogEpoch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: a replica's log that diverged from the active master's (Raft's consistency check with the epoch of each
 * position) - cut when the sender is more up to date, refused otherwise, never cut below what the sender proves.
 */
class LogReplicaDivergenceTest {
  private final MemoryLogSink sink = new MemoryLogSink();
  private final List<LogEntry> log = sink.log;

  private static LogRecord record(String what) {
    return what.startsWith("term ") ? new LogRecord.NewTerm(Long.parseLong(what.substring(5)), 1)
        : new LogRecord.Mkdir(what, 1, null);
  }

  /** A batch of epoch from first on; epochs (pairs epoch, first sequence) is the sender's table, or null. */
  private static LogBatch batch(long epoch, long first, long[] epochs, String... records) {
    List<ByteBuffer> frames = new ArrayList<>();
    for (int i = 0; i < records.length; i++) {
      frames.add(ByteBuffer.wrap(RecordCodec.frame(new LogEntry(first + i, record(records[i])))));
    }
    LogBatch batch = new LogBatch(epoch, first, frames);
    if (epochs != null) {
      List<LogEpoch> table = new ArrayList<>();
      for (int i = 0; i < epochs.length; i += 2) {
        table.add(new LogEpoch(epochs[i], epochs[i + 1]));
      }
      batch.setEpochs(table);
    }
    return batch;
  }

  private List<String> contents() {
    return log.stream().map(e -> e.record() instanceof LogRecord.Mkdir m ? m.path()
        : "term " + ((LogRecord.NewTerm) e.record()).epoch()).toList();
  }

  /** This replica was the active master of epoch 1 and flushed /unacked-1, /unacked-2 that nobody else got. */
  private void aFormerActiveMastersLog() throws Exception {
    new LogReplica(sink).accept(batch(1, 1, null, "term 1", "/a", "/unacked-1", "/unacked-2"), 0);
  }

  @Test
  void aMoreUpToDateSendersTableCutsTheUnacknowledgedSuffix() throws Exception {
    aFormerActiveMastersLog();
    LogReplica replica = new LogReplica(sink);
    LogAck probe = replica.accept(batch(4, 6, new long[] {1, 1, 2, 3}), 0);
    assertEquals(2, probe.getLastSequence(), "cut back to the last position both logs hold in the same epoch");
    assertEquals(1, probe.getLastEpoch());
    assertEquals(1, sink.cuts);
    LogAck caughtUp = replica.accept(batch(4, 3, new long[] {1, 1, 2, 3}, "term 2", "/acked-in-epoch-2"), 0);
    assertEquals(4, caughtUp.getLastSequence());
    assertEquals(2, caughtUp.getLastEpoch());
    assertEquals(List.of("term 1", "/a", "term 2", "/acked-in-epoch-2"), contents());
  }

  @Test
  void aSenderThatIsNotMoreUpToDateCutsNothing() throws Exception {
    // This log went on in epoch 2 from sequence 3; the sender's 3 and 4 are of epoch 1 (its unacknowledged suffix).
    new LogReplica(sink).accept(batch(2, 1, null, "term 1", "/a", "term 2", "/acked-in-epoch-2"), 0);
    LogReplica replica = new LogReplica(sink);
    // Its position probe is answered with this log's position: the prober sees a replica ahead and steps aside.
    LogAck probe = replica.accept(batch(3, 5, new long[] {1, 1}), 0);
    assertEquals(4, probe.getLastSequence());
    assertEquals(2, probe.getLastEpoch());
    // Records from such a sender are refused, and nothing is cut.
    GfsException refused = assertThrows(GfsException.class,
        () -> new LogReplica(sink).accept(batch(3, 5, new long[] {1, 1}, "/y"), 0));
    assertEquals(ErrorCode.INTERNAL, refused.getCode());
    assertEquals(0, sink.cuts);
    assertEquals(List.of("term 1", "/a", "term 2", "/acked-in-epoch-2"), contents());
  }

  @Test
  void withoutTheTableAMismatchedPrevEpochIsRefusedAndTheTableAskedFor() throws Exception {
    aFormerActiveMastersLog();
    LogBatch next = batch(4, 5, null, "/from-the-leader");
    next.setPrevEpoch(2);
    GfsException refused = assertThrows(GfsException.class, () -> new LogReplica(sink).accept(next, 0));
    assertEquals(ErrorCode.INTERNAL, refused.getCode());
    assertTrue(refused.getMessage().contains("epoch table"), refused.getMessage());
    assertEquals(0, sink.cuts);
    assertEquals(4, log.size());
    LogBatch matching = batch(4, 5, null, "/from-the-leader");
    matching.setPrevEpoch(1);
    assertEquals(5, new LogReplica(sink).accept(matching, 0).getLastSequence(), "the same epoch: appended");
  }

  @Test
  void aRestartedReplicaRefusesASenderOlderThanItsLastRecordsEpoch() throws Exception {
    new LogReplica(sink).accept(batch(3, 1, null, "term 3", "/a"), 0);
    GfsException stale = assertThrows(GfsException.class,
        () -> new LogReplica(sink).accept(batch(2, 3, null, "/old-master"), 0));
    assertEquals(ErrorCode.STALE_EPOCH, stale.getCode());
    assertEquals(2, log.size());
  }

  @Test
  void aBadTableIsABadArgument() throws Exception {
    aFormerActiveMastersLog();
    GfsException bad = assertThrows(GfsException.class,
        () -> new LogReplica(sink).accept(batch(4, 5, new long[] {2, 3, 1, 4}), 0));
    assertEquals(ErrorCode.INVALID_ARGUMENT, bad.getCode());
    assertEquals(0, sink.cuts);
  }

  @Test
  void theElectionComparesTheLastEpochFirstThenTheSequence() {
    assertTrue(LogShipper.isAhead(2, 5, 1, 5), "a later epoch at the same sequence is ahead");
    assertTrue(LogShipper.isAhead(2, 3, 1, 9), "a later epoch wins over a longer log");
    assertFalse(LogShipper.isAhead(1, 9, 2, 3));
    assertTrue(LogShipper.isAhead(2, 6, 2, 5));
    assertFalse(LogShipper.isAhead(2, 5, 2, 5));
    assertFalse(LogShipper.isAhead(0, 4, 0, 5), "older logs (epoch 0 everywhere) compare sequences as before");
  }
}
