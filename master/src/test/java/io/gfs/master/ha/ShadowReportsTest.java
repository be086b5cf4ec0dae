package io.gfs.master.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.master.state.HeartbeatReport;
import io.gfs.thrift.gen.AccessKey;
import io.gfs.thrift.gen.ChunkReport;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ServerAddress;
import io.gfs.thrift.gen.ShadowReport;
import io.gfs.thrift.gen.ShadowReportReply;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The shadow's bookkeeping of chunk reports: full, then deltas on the acknowledged base only. */
class ShadowReportsTest {
  private final List<HeartbeatReport> recorded = new ArrayList<>();
  private final List<AccessKey> keys = List.of(new AccessKey(7, ByteBuffer.wrap(new byte[32]), 99));
  private final ShadowReports reports = new ShadowReports((report, now) -> recorded.add(report), () -> keys,
      "/default", new SplittableRandom(1));

  private static ShadowReport report(boolean full, long incarnation, long base, List<ChunkReport> chunks,
      List<Long> removed) {
    return new ShadowReport("cs-1", new ServerAddress("127.0.0.1", 4000), 100, 10, full, incarnation, base, chunks,
        removed);
  }

  private List<HeartbeatReport.Replica> last() {
    return recorded.get(recorded.size() - 1).chunks();
  }

  @Test
  void aFullReportThenDeltasKeepTheWholeSetCurrent() throws Exception {
    ShadowReportReply first = reports.accept(report(true, 0, 0, List.of(new ChunkReport(1, 1, 10),
        new ChunkReport(2, 1, 20)), List.of()), 0);
    assertEquals(1, first.getSequence());
    assertEquals(reports.incarnation(), first.getShadowIncarnation());
    assertEquals(keys, first.getReadKeys(), "the shadow's read keys ride on every reply");
    ShadowReportReply second = reports.accept(report(false, first.getShadowIncarnation(), 1,
        List.of(new ChunkReport(2, 2, 25), new ChunkReport(3, 1, 0)), List.of(1L)), 0);
    assertEquals(2, second.getSequence());
    assertEquals(List.of(new HeartbeatReport.Replica(2, 2, 25), new HeartbeatReport.Replica(3, 1, 0)), last());
    HeartbeatReport whole = recorded.get(recorded.size() - 1);
    assertTrue(whole.leaseExtensionRequests().isEmpty() && whole.corruptChunks().isEmpty());
    assertEquals("/default", whole.rack());
  }

  @Test
  void aDeltaOnAnotherBaseOrIncarnationAsksForAFullReport() throws Exception {
    ShadowReportReply first = reports.accept(report(true, 0, 0, List.of(new ChunkReport(1, 1, 10)), List.of()), 0);
    int before = recorded.size();
    assertEquals(-1, reports.accept(report(false, first.getShadowIncarnation(), 0, List.of(), List.of()), 0)
        .getSequence(), "a lost reply: the chunkserver's base is behind");
    assertEquals(-1, reports.accept(report(false, first.getShadowIncarnation() + 1, 1, List.of(), List.of()), 0)
        .getSequence(), "another run of the shadow");
    assertEquals(before, recorded.size(), "a refused delta records nothing");
    ShadowReports restarted = new ShadowReports((report, now) -> recorded.add(report), () -> keys, "/default",
        new SplittableRandom(2));
    assertEquals(-1, restarted.accept(report(false, first.getShadowIncarnation(), 1, List.of(), List.of()), 0)
        .getSequence(), "a restarted shadow knows no stream");
  }

  @Test
  void aReportWithoutAServerOrAddressIsATypedError() {
    ShadowReport bad = report(true, 0, 0, List.of(), List.of());
    bad.setServerId("");
    GfsException e = assertThrows(GfsException.class, () -> reports.accept(bad, 0));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.getCode());
    ShadowReport zeroPort = report(true, 0, 0, List.of(), List.of());
    zeroPort.setAddress(new ServerAddress("127.0.0.1", 0));
    assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(GfsException.class, () -> reports.accept(zeroPort, 0))
        .getCode());
    assertThrows(GfsException.class, () -> reports.accept(null, 0));
  }
}
