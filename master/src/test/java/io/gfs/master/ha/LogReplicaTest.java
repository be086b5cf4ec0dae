package io.gfs.master.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.master.oplog.LogEntry;
import io.gfs.master.oplog.RecordCodec;
import io.gfs.master.state.LogRecord;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.LogBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogReplicaTest {
  private final MemoryLogSink sink = new MemoryLogSink();
  private final List<LogEntry> log = sink.log;
  private final LogReplica replica = new LogReplica(sink);

  private static LogBatch batch(long epoch, long first, String... paths) {
    List<ByteBuffer> frames = new ArrayList<>();
    for (int i = 0; i < paths.length; i++) {
      frames.add(ByteBuffer.wrap(RecordCodec.frame(new LogEntry(first + i, new LogRecord.Mkdir(paths[i], 1, null)))));
    }
    LogBatch batch = new LogBatch(epoch, first, frames);
    batch.setSentMillis(990);
    return batch;
  }

  @Test
  void appliesInOrderSkipsWhatItHoldsAndReportsGaps() throws Exception {
    assertEquals(2, replica.accept(batch(1, 1, "/a", "/b"), 1000).getLastSequence());
    assertEquals(10, replica.lagMillis());
    assertEquals(3, replica.accept(batch(1, 2, "/b", "/c"), 1000).getLastSequence(), "the resent /b is skipped");
    assertEquals(3, replica.accept(batch(1, 5, "/e"), 1000).getLastSequence(), "a gap: the ack asks for 4");
    assertEquals(List.of("/a", "/b", "/c"), log.stream().map(e -> ((LogRecord.Mkdir) e.record()).path()).toList());
  }

  @Test
  void lowerEpochsAreRefusedAndNothingOnceItsOwnMasterLeads() throws Exception {
    replica.accept(batch(3, 1, "/a"), 1000);
    GfsException stale = assertThrows(GfsException.class, () -> replica.accept(batch(2, 2, "/b"), 1000));
    assertEquals(ErrorCode.STALE_EPOCH, stale.getCode());
    replica.becomeActive(4);
    assertEquals(ErrorCode.STALE_EPOCH,
        assertThrows(GfsException.class, () -> replica.accept(batch(4, 2, "/b"), 1000)).getCode());
    assertEquals(1, log.size());
  }

  @Test
  void aDivergedLogIsRefusedNotOverwritten() throws Exception {
    replica.accept(batch(1, 1, "/a", "/unreplicated-tail"), 1000);
    GfsException diverged = assertThrows(GfsException.class, () -> replica.accept(batch(2, 2, "/other"), 1000));
    assertEquals(ErrorCode.INTERNAL, diverged.getCode());
    assertEquals(2, log.size());
  }

  @Test
  void majorityCountsTheActiveMaster() {
    assertEquals(1, LogShipper.Acks.MAJORITY.required(1));
    assertEquals(1, LogShipper.Acks.MAJORITY.required(2));
    assertEquals(2, LogShipper.Acks.MAJORITY.required(4));
    assertEquals(2, LogShipper.Acks.ALL.required(2));
    assertEquals(LogShipper.Acks.ALL, LogShipper.Acks.parse(" All "));
    assertThrows(IllegalArgumentException.class, () -> LogShipper.Acks.parse("some"));
  }
}
