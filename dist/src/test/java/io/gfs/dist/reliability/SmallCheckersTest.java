package io.gfs.dist.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The integrity, lease, epoch and snapshot checkers on hand-made histories, passing and failing ones. */
class SmallCheckersTest {
  @Test
  void integrity() {
    IntegrityChecker c = new IntegrityChecker();
    assertTrue(c.checkReplication(Map.of(1L, 3, 2L, 4), 3).ok());
    assertFalse(c.checkReplication(Map.of(1L, 3, 2L, 2), 3).ok());
    assertTrue(c.checkAllCorrupt(List.of(new IntegrityChecker.AllCorruptRead("/f", null,
        "read /f: chunk 3: CHECKSUM_MISMATCH on every replica"))).ok());
    CheckResult bytes = c.checkAllCorrupt(List.of(new IntegrityChecker.AllCorruptRead("/f", new byte[7], null)));
    assertFalse(bytes.ok());
    assertEquals(7, bytes.corruptBytes());
    assertFalse(c.checkAllCorrupt(List.of(new IntegrityChecker.AllCorruptRead("/f", null, "Connection reset")))
        .ok(), "an error that does not name the corruption is not a clear one");
  }

  @Test
  void leases() {
    LeaseFenceChecker c = new LeaseFenceChecker();
    List<LeaseFenceChecker.Grant> grants = List.of(new LeaseFenceChecker.Grant(5, 2, "cs0", 100),
        new LeaseFenceChecker.Grant(5, 3, "cs1", 500));
    assertTrue(c.check(grants, List.of(new LeaseFenceChecker.Apply(5, 2, "cs0", 200, true, ""),
        new LeaseFenceChecker.Apply(5, 2, "cs0", 600, false, "LEASE_EXPIRED"),
        new LeaseFenceChecker.Apply(5, 3, "cs1", 700, true, ""))).ok());
    CheckResult stale = c.check(grants, List.of(new LeaseFenceChecker.Apply(5, 2, "cs0", 600, true, "")));
    assertFalse(stale.ok());
    assertEquals(1, stale.acknowledgedLost());
    assertTrue(c.check(grants, List.of(new LeaseFenceChecker.Apply(6, 2, "cs0", 600, true, ""))).ok(),
        "another chunk's grant does not fence this one");
  }

  @Test
  void epochs() {
    EpochChecker c = new EpochChecker();
    List<EpochChecker.Election> elections = List.of(new EpochChecker.Election(1, "m0", 100),
        new EpochChecker.Election(2, "m1", 1000));
    assertTrue(c.check(elections, List.of(new EpochChecker.Ack("m0", 1, 200, 300, "create /a"),
        new EpochChecker.Ack("m0", 1, 900, 1100, "create /b"), new EpochChecker.Ack("m1", 2, 1200, 1300, "mkdir")),
        List.of(new EpochChecker.ActiveClaim("m0", 200, 210), new EpochChecker.ActiveClaim("m1", 1200, 1201),
            new EpochChecker.ActiveClaim("m1", 1201, 1210))).ok());
    assertFalse(c.check(elections, List.of(new EpochChecker.Ack("m0", 1, 1100, 1200, "create /c")), List.of()).ok(),
        "an old term acknowledged an operation begun after a newer election");
    assertFalse(c.check(elections, List.of(), List.of(new EpochChecker.ActiveClaim("m0", 1500, 1510),
        new EpochChecker.ActiveClaim("m1", 1505, 1506))).ok(), "two active masters");
    assertFalse(c.check(List.of(new EpochChecker.Election(2, "m0", 1), new EpochChecker.Election(2, "m1", 2)),
        List.of(), List.of()).ok(), "an epoch reused");
  }

  @Test
  void snapshots() {
    SnapshotChecker c = new SnapshotChecker();
    byte[] content = Payloads.bytes(3, 0, 300);
    List<SnapshotChecker.Append> appends = List.of(new SnapshotChecker.Append(0, 100, 10),
        new SnapshotChecker.Append(100, 200, 20), new SnapshotChecker.Append(300, 50, 99));
    List<SnapshotChecker.ReplicaCount> replicas = List.of(new SnapshotChecker.ReplicaCount(1, "/f@s1", 3, 40));
    List<SnapshotChecker.SnapshotRead> same = List.of(new SnapshotChecker.SnapshotRead("s1", 60, content),
        new SnapshotChecker.SnapshotRead("s1", 90, content.clone()));
    assertTrue(c.check(3, appends, 50, same, replicas).ok());

    assertFalse(c.check(3, appends, 50, List.of(new SnapshotChecker.SnapshotRead("s1", 60,
        java.util.Arrays.copyOf(content, 250))), replicas).ok(), "an acknowledged append missing");
    byte[] changed = content.clone();
    changed[5] ^= 1;
    assertFalse(c.check(3, appends, 50, List.of(same.get(0), new SnapshotChecker.SnapshotRead("s1", 90, changed)),
        replicas).ok(), "the snapshot changed");
    assertFalse(c.check(3, appends, 50, same, List.of(new SnapshotChecker.ReplicaCount(1, "/f@s1", 0, 70))).ok(),
        "a referenced chunk lost its last replica");
  }

  @Test
  void theFaultScheduleIsAFunctionOfItsSeed() {
    FaultSchedule.Shape shape = new FaultSchedule.Shape(60_000, 1_000, 3_000, 500, 4_000, 4);
    List<FaultKind> kinds = List.of(FaultKind.values());
    List<Fault> a = FaultSchedule.generate(42, shape, kinds);
    assertEquals(a, FaultSchedule.generate(42, shape, kinds));
    assertTrue(a.size() >= 5, "a minute of faults: " + a);
    long end = 0;
    for (Fault f : a) {
      assertTrue(f.startMillis() >= end + 1_000, "faults never overlap and leave a gap: " + a);
      end = f.startMillis() + f.durationMillis();
      assertTrue(end <= 60_000 && f.target() < 4);
    }
    assertFalse(a.equals(FaultSchedule.generate(43, shape, kinds)));
  }
}
