package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-directory replication and reclamation policy [0069, 0084, 0120], inherited by what is created below. */
class PolicyTest {
  private static final long RETENTION = 60_000;
  private final StateFixture f = new StateFixture(3, 1, RETENTION);

  private void setPolicy(String path, int replication, long gcRetentionMillis) {
    try (LockTable.Held l = f.state.lockWrite(path)) {
      f.commit(f.state.decideSetPolicy(path, replication, gcRetentionMillis));
    }
  }

  @Test
  void aTempDirectoryHasOneReplicaAndDeletesPurgeAtOnce() {
    f.mkdirs("/tmp/deep");
    setPolicy("/tmp", 1, 0);
    f.create("/tmp/deep/x", false, true, 0);
    assertEquals(1, f.state.fileStatus("/tmp/deep/x").replication(), "inherited from /tmp");
    f.create("/tmp/y", false, true, 2);
    assertEquals(2, f.state.fileStatus("/tmp/y").replication(), "an explicit replication wins");
    f.create("/elsewhere", false, true, 0);
    assertEquals(3, f.state.fileStatus("/elsewhere").replication(), "the master default outside");
    assertTrue(f.remove("/tmp/deep/x", false));
    assertEquals(List.of(), f.state.listDeleted("/tmp/deep"), "purged at once: nothing to undelete");
    assertTrue(f.remove("/elsewhere", false));
    assertEquals(1, f.state.listDeleted("/").size(), "kept for the master's retention");
    Policy p = f.state.policy("/tmp/deep");
    assertEquals(new Policy("/tmp/deep", -1, -1, 1, 0), p);
    assertEquals(new Policy("/tmp", 1, 0, 1, 0), f.state.policy("/tmp/y"), "a file reports its directory's");
    assertEquals(f.replay().image(), f.state.image());
  }

  @Test
  void aDirectoryRetentionDecidesWhenItsDeletedEntriesArePurged() {
    f.mkdirs("/keep/sub");
    f.mkdirs("/short");
    setPolicy("/keep", -1, 10 * RETENTION);
    setPolicy("/short", -1, 1_000);
    f.create("/keep/sub/a");
    f.create("/short/b");
    f.create("/c");
    f.remove("/keep/sub/a", false);
    f.remove("/short/b", false);
    f.remove("/c", false);
    f.nowMillis += 2_000;
    assertEquals(1, f.state.expiredDeleted(f.nowMillis, 100).size(), "only /short's");
    assertTrue(f.state.expiredDeleted(f.nowMillis, 100).get(0).startsWith("/short/"));
    f.nowMillis += RETENTION;
    assertEquals(2, f.state.expiredDeleted(f.nowMillis, 100).size(), "then the master's");
    f.nowMillis += 10 * RETENTION;
    assertEquals(3, f.state.expiredDeleted(f.nowMillis, 100).size(), "then /keep's");
    for (String hidden : f.state.expiredDeleted(f.nowMillis, 100)) {
      try (LockTable.Held l = f.state.lockWrite(hidden)) {
        assertTrue(f.commit(f.state.decidePurge(hidden, f.nowMillis)));
      }
    }
    assertEquals(f.replay().image(), f.state.image());
  }

  @Test
  void badPoliciesAreRefused() {
    f.mkdirs("/d");
    f.create("/d/f");
    assertEquals(StateError.NOT_DIRECTORY, f.state.decideSetPolicy("/d/f", 1, 0).error());
    assertEquals(StateError.INVALID_ARGUMENT, f.state.decideSetPolicy("/d", 0, 0).error());
    assertEquals(StateError.INVALID_ARGUMENT, f.state.decideSetPolicy("/d", 1, -2).error());
    assertEquals(StateError.NOT_FOUND, f.error(() -> f.state.decideSetPolicy("/nope", 1, 0)));
  }
}
