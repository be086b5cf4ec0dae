package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Owner, group, permission, times and replication: defaults, inheritance, setters, refusals, replay. */
class AttributesTest {
  private final StateFixture f = new StateFixture();

  private PermissionStatus permissionOf(String path) {
    return f.state.fileStatus(path).permission();
  }

  private static PermissionStatus p(String owner, String group, int permission) {
    return new PermissionStatus(owner, group, (short) permission);
  }

  @Test
  void rootHasTheDefaultsAndChildrenInheritOwnerAndGroup() {
    assertEquals(p("gfs", "supergroup", 0755), permissionOf("/"));
    f.mkdirs("/a");
    f.create("/a/f");
    assertEquals(p("gfs", "supergroup", 0755), permissionOf("/a"));
    assertEquals(p("gfs", "supergroup", 0644), permissionOf("/a/f"));
  }

  @Test
  void explicitAttributesAreStoredAndAbsentOnesComeFromTheParent() {
    f.mkdirs("/home/alice", "alice", "staff", 0700);
    assertEquals(p("alice", "staff", 0700), permissionOf("/home/alice"));
    // HDFS's missing parents (issue 7): the caller's, its own parent's group, the bits plus owner write and execute.
    assertEquals(p("alice", "supergroup", 0700), permissionOf("/home"), "a created parent is the caller's");
    f.create("/home/alice/notes", null, null, -1);
    assertEquals(p("alice", "staff", 0644), permissionOf("/home/alice/notes"));
    f.create("/home/alice/x/y/deep", "bob", null, 0600);
    assertEquals(p("bob", "staff", 0600), permissionOf("/home/alice/x/y/deep"));
    assertEquals(p("bob", "staff", 0755), permissionOf("/home/alice/x/y"), "parents made by create are the creator's");
    f.mkdirs("/home/alice/m", null, "wheel", -1);
    assertEquals(p("alice", "wheel", 0755), permissionOf("/home/alice/m"));
  }

  @Test
  void badAttributesAreRefused() {
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.mkdirs("/d", "", null, -1)));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.mkdirs("/d", "a\nb", null, -1)));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.create("/f", null, "x".repeat(257), -1)));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.create("/f", null, null, 010000)));
    f.create("/f");
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.setPermission("/f", 010000)));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.setPermission("/f", -1)));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.setOwner("/f", "", null)));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.setTimes("/f", -2, 5)));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.setReplication("/f", 0)));
    assertEquals(StateError.INVALID_ARGUMENT, f.error(() -> f.setReplication("/f", 33)));
    assertEquals(StateError.NOT_FOUND, f.error(() -> f.setPermission("/missing", 0644)));
    assertEquals(StateError.NOT_FOUND, f.error(() -> f.setOwner("/missing", "a", "b")));
    assertEquals(StateError.NOT_FOUND, f.error(() -> f.setTimes("/missing", 1, 1)));
    assertEquals(StateError.NOT_FOUND, f.error(() -> f.setReplication("/missing", 2)));
    assertEquals(StateError.PARENT_NOT_DIRECTORY, f.error(() -> f.setPermission("/f/x", 0644)));
    assertEquals(StateError.INVALID_PATH, f.error(() -> f.setOwner("relative", "a", "b")));
  }

  @Test
  void settersChangeOnlyWhatTheyName() {
    f.create("/f", "alice", "staff", 0640);
    f.setPermission("/f", 0400);
    assertEquals(p("alice", "staff", 0400), permissionOf("/f"));
    f.setOwner("/f", "bob", null);
    assertEquals(p("bob", "staff", 0400), permissionOf("/f"));
    f.setOwner("/f", null, "wheel");
    assertEquals(p("bob", "wheel", 0400), permissionOf("/f"));
    int logged = f.log.size();
    f.setOwner("/f", null, null);
    assertEquals(logged, f.log.size(), "nothing to change, nothing logged");
    f.setPermission("/", 01777);
    assertEquals(p("gfs", "supergroup", 01777), permissionOf("/"));
  }

  @Test
  void setTimesSetsExactTimesAndMinusOneLeavesOneAlone() {
    f.create("/f");
    FileStatus created = f.state.fileStatus("/f");
    assertEquals(created.modificationTimeMillis(), created.accessTimeMillis(), "a new file was accessed when made");
    f.setTimes("/f", 100, -1);
    assertEquals(100, f.state.fileStatus("/f").modificationTimeMillis(), "earlier than before: set exactly");
    assertEquals(created.accessTimeMillis(), f.state.fileStatus("/f").accessTimeMillis());
    f.setTimes("/f", -1, 200);
    assertEquals(100, f.state.fileStatus("/f").modificationTimeMillis());
    assertEquals(200, f.state.fileStatus("/f").accessTimeMillis());
    int logged = f.log.size();
    f.setTimes("/f", -1, -1);
    assertEquals(logged, f.log.size());
    f.mkdirs("/d");
    assertEquals(0, f.state.fileStatus("/d").accessTimeMillis(), "directories start at 0, as on HDFS");
    f.setTimes("/d", 7, 8);
    assertEquals(7, f.state.fileStatus("/d").modificationTimeMillis());
    assertEquals(8, f.state.fileStatus("/d").accessTimeMillis());
  }

  @Test
  void setReplicationRecordsTheTargetAndAnswersFalseForADirectory() {
    f.create("/f");
    assertTrue(f.setReplication("/f", 5));
    assertEquals(5, f.state.fileStatus("/f").replication());
    int logged = f.log.size();
    assertTrue(f.setReplication("/f", 5));
    assertEquals(logged, f.log.size(), "unchanged: nothing logged");
    f.mkdirs("/d");
    logged = f.log.size();
    assertFalse(f.setReplication("/d", 2));
    assertEquals(logged, f.log.size());
  }

  @Test
  void replayAndCheckpointsKeepEveryAttribute() {
    f.mkdirs("/home/alice", "alice", "staff", 0700);
    f.create("/home/alice/f", null, null, 0600);
    f.setOwner("/home/alice/f", "bob", "wheel");
    f.setPermission("/home", 0711);
    f.setTimes("/home/alice/f", 5, 6);
    f.setReplication("/home/alice/f", 7);
    MasterState replayed = f.replay();
    assertEquals(f.state.image(), replayed.image());
    MasterState restored = StateFixture.fresh();
    restored.restore(f.state.image());
    assertEquals(f.state.image(), restored.image());
    assertEquals(f.state.fileStatus("/home/alice/f"), restored.fileStatus("/home/alice/f"));
    assertEquals(f.state.fileStatus("/"), restored.fileStatus("/"));
  }
}
