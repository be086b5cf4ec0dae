package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.security.Caller;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * HDFS's permission rules (as in Hadoop's TestFSPermissionChecker and TestPermission) against gfs's checker, on a tree
 * built by applying log records:
 *
 * <pre>
 *   /                 gfs:supergroup   0755
 *   /home             gfs:supergroup   0755
 *   /home/alice       alice:staff      0750
 *   /home/alice/f     alice:staff      0640
 *   /home/alice/d     alice:staff      0755   (d/g owned by alice, 0700, holds d/g/x)
 *   /shared           gfs:staff        0775
 *   /tmp              gfs:supergroup   1777   (sticky)
 *   /tmp/bobs         bob:bob          0644
 *   /tmp/alices       alice:staff      0644
 * </pre>
 */
class PermissionCheckerTest {
  private static final Caller SUPER = Caller.of("gfs");
  private static final Caller ADMIN = Caller.of("carol", "supergroup");
  private static final Caller ALICE = Caller.of("alice", "staff");
  private static final Caller BOB = Caller.of("bob", "bob", "staff");
  private static final Caller EVE = Caller.of("eve", "eve");

  private final MasterState state = new MasterState(new MasterState.Settings(1 << 20, 60_000, 10_000, 3),
      new SplittableRandom(1));
  private final NamespaceAccess access = new NamespaceAccess(state,
      new PermissionChecker(new PermissionChecker.Settings(true, "gfs", "supergroup")));

  PermissionCheckerTest() {
    mkdir("/home", "gfs", "supergroup", 0755);
    mkdir("/home/alice", "alice", "staff", 0750);
    file("/home/alice/f", "alice", "staff", 0640);
    mkdir("/home/alice/d", "alice", "staff", 0755);
    mkdir("/home/alice/d/g", "alice", "staff", 0700);
    file("/home/alice/d/g/x", "alice", "staff", 0600);
    mkdir("/shared", "gfs", "staff", 0775);
    mkdir("/tmp", "gfs", "supergroup", 01777);
    file("/tmp/bobs", "bob", "bob", 0644);
    file("/tmp/alices", "alice", "staff", 0644);
  }

  private void mkdir(String path, String owner, String group, int mode) {
    state.apply(new LogRecord.Mkdir(path, 1, new PermissionStatus(owner, group, (short) mode)));
  }

  private void file(String path, String owner, String group, int mode) {
    state.apply(new LogRecord.Create(path, 3, 1, false, false, new PermissionStatus(owner, group, (short) mode)));
  }

  private static void denied(Executable check) {
    StateException e = assertThrows(StateException.class, check);
    assertEquals(StateError.PERMISSION_DENIED, e.error(), e.getMessage());
  }

  private static void allowed(Executable check) {
    assertDoesNotThrow(check);
  }

  @Test
  void theClassOfBitsIsChosenByWhoTheCallerIsAndOnlyThatClassCounts() {
    PermissionStatus status = new PermissionStatus("alice", "staff", (short) 0077);
    assertFalse(PermissionChecker.allows(ALICE, status, PermissionChecker.READ)); // owner bits ---, even if others rwx
    assertTrue(PermissionChecker.allows(BOB, status, PermissionChecker.ALL)); // group rwx
    assertTrue(PermissionChecker.allows(EVE, status, PermissionChecker.READ | PermissionChecker.WRITE));
    assertFalse(PermissionChecker.allows(EVE, new PermissionStatus("alice", "staff", (short) 0770),
        PermissionChecker.EXECUTE));
  }

  @Test
  void operatorActionsAreTheSuperusersAsDfsadminsAre() {
    allowed(() -> access.operator(SUPER, "safeMode"));
    allowed(() -> access.operator(ADMIN, "decommission")); // a member of the supergroup
    denied(() -> access.operator(ALICE, "balancer"));
    denied(() -> access.operator(EVE, "safeMode"));
  }

  @Test
  void lookupsNeedOnlyTraverse() {
    allowed(() -> access.lookup(BOB, "/home/alice/f")); // group staff: r-x on /home/alice
    denied(() -> access.lookup(EVE, "/home/alice/f")); // other: --- on /home/alice
    allowed(() -> access.lookup(EVE, "/home/alice")); // the directory itself needs nothing
    allowed(() -> access.lookup(EVE, "/home/missing/deeper")); // the missing part is the decision's NOT_FOUND
    denied(() -> access.lookup(BOB, "/home/alice/d/g/x")); // d/g is 0700
  }

  @Test
  void readsNeedReadOnTheFileAndListingsReadAndExecuteOnTheDirectory() {
    allowed(() -> access.read(ALICE, "/home/alice/f"));
    allowed(() -> access.read(BOB, "/home/alice/f")); // group r--
    denied(() -> access.read(EVE, "/tmp/../home/alice/f".replace("/tmp/..", ""))); // traverse fails first
    denied(() -> access.read(Caller.of("eve", "staff"), "/home/alice/d/g/x"));
    allowed(() -> access.list(BOB, "/home/alice"));
    denied(() -> access.list(EVE, "/home/alice"));
    denied(() -> access.list(BOB, "/home/alice/d/g"));
    allowed(() -> access.list(EVE, "/tmp/bobs")); // listing a file needs traverse only
  }

  @Test
  void createAndMkdirsNeedWriteAndExecuteOnTheNearestExistingAncestor() {
    allowed(() -> access.create(ALICE, "/home/alice/new", false, "alice", null));
    denied(() -> access.create(BOB, "/home/alice/new", false, "bob", null)); // group r-x: no write
    allowed(() -> access.create(BOB, "/shared/a/b/c", false, null, null)); // /shared is group-writable
    denied(() -> access.create(EVE, "/shared/x", false, null, null));
    allowed(() -> access.create(EVE, "/tmp/mine", false, "eve", null));
    // Overwriting an existing file needs write on the file too.
    denied(() -> access.create(ALICE, "/tmp/bobs", true, null, null));
    allowed(() -> access.create(BOB, "/tmp/bobs", true, null, null));
    // An existing path without overwrite creates nothing: the decision answers (no permission needed beyond traverse).
    allowed(() -> access.create(EVE, "/home", false, null, null));
  }

  @Test
  void onlyTheSuperuserCreatesForSomeoneElseOrForAGroupItIsNotIn() {
    denied(() -> access.create(EVE, "/tmp/x", false, "alice", null));
    denied(() -> access.create(EVE, "/tmp/x", false, "eve", "staff"));
    allowed(() -> access.create(EVE, "/tmp/x", false, "eve", "supergroup")); // the inherited group of /tmp
    allowed(() -> access.create(ADMIN, "/tmp/x", false, "alice", "staff"));
  }

  @Test
  void deleteNeedsWriteOnTheParentAndRwxOnEveryNonEmptyDirectoryBelow() {
    allowed(() -> access.delete(ALICE, "/home/alice/f"));
    denied(() -> access.delete(BOB, "/home/alice/f"));
    allowed(() -> access.delete(ALICE, "/home/alice/d"));
    // bob may write /shared, but alice's 0700 directory below it would be emptied: denied, as HDFS does.
    mkdir("/shared/p", "bob", "bob", 0777);
    mkdir("/shared/p/q", "alice", "staff", 0700);
    file("/shared/p/q/r", "alice", "staff", 0600);
    denied(() -> access.delete(BOB, "/shared/p"));
    mkdir("/shared/p2", "bob", "bob", 0777);
    mkdir("/shared/p2/empty", "alice", "staff", 0700);
    allowed(() -> access.delete(BOB, "/shared/p2")); // an empty directory below does not count
    denied(() -> access.delete(ALICE, "/"));
    allowed(() -> access.delete(SUPER, "/"));
  }

  @Test
  void theStickyBitKeepsOthersFromRemovingOrRenamingAnEntry() {
    allowed(() -> access.delete(BOB, "/tmp/bobs"));
    denied(() -> access.delete(ALICE, "/tmp/bobs"));
    denied(() -> access.rename(ALICE, "/tmp/bobs", "/tmp/stolen"));
    allowed(() -> access.rename(ALICE, "/tmp/alices", "/tmp/renamed"));
    allowed(() -> access.delete(Caller.of("gfs"), "/tmp/bobs")); // the directory's owner
    allowed(() -> access.delete(ADMIN, "/tmp/bobs"));
  }

  @Test
  void renameNeedsWriteOnBothParents() {
    allowed(() -> access.rename(ALICE, "/home/alice/f", "/shared/f")); // alice is in staff: /shared is 0775
    denied(() -> access.rename(EVE, "/tmp/bobs", "/tmp/x")); // sticky
    denied(() -> access.rename(BOB, "/shared", "/tmp/shared")); // / is not writable for bob
    denied(() -> access.rename(ALICE, "/home/alice/f", "/home/g")); // /home is gfs's 0755
  }

  @Test
  void attributesBelongToTheOwnerAndOwnershipToTheSuperuser() {
    allowed(() -> access.owner(ALICE, "/home/alice/f"));
    denied(() -> access.owner(BOB, "/home/alice/f"));
    allowed(() -> access.setOwner(ALICE, "/home/alice/f", null, "staff"));
    denied(() -> access.setOwner(ALICE, "/home/alice/f", "bob", null));
    denied(() -> access.setOwner(ALICE, "/home/alice/f", null, "bob"));
    allowed(() -> access.setOwner(SUPER, "/home/alice/f", "bob", "bob"));
    allowed(() -> access.write(ALICE, "/home/alice/f"));
    denied(() -> access.write(BOB, "/home/alice/f")); // setTimes/setReplication/leases need write on the file
  }

  @Test
  void theOwnerWritesDataEvenWithoutTheWriteBitAsAnHdfsWriterKeepsItsOpenFile() {
    file("/shared/ro", "bob", "bob", 0444);
    allowed(() -> access.writeData(BOB, "/shared/ro"));
    denied(() -> access.write(BOB, "/shared/ro")); // setTimes and setReplication still need the bit
    denied(() -> access.writeData(ALICE, "/shared/ro"));
    denied(() -> access.writeData(EVE, "/home/alice/f")); // and the owner rule does not skip traverse
    allowed(() -> access.writeData(ALICE, "/home/alice/f"));
  }

  @Test
  void contentSummaryNeedsReadAndExecuteEverywhereBelow() {
    allowed(() -> access.contentSummary(ALICE, "/home/alice"));
    denied(() -> access.contentSummary(BOB, "/home/alice")); // d/g is 0700
    allowed(() -> access.contentSummary(BOB, "/tmp"));
  }

  @Test
  void concatNeedsWriteOnTheTargetAndReadOnSourcesAndTheirDirectory() {
    file("/shared/t", "bob", "bob", 0644);
    file("/shared/s", "alice", "staff", 0640);
    allowed(() -> access.concat(BOB, "/shared/t", List.of("/shared/s")));
    denied(() -> access.concat(EVE, "/shared/t", List.of("/shared/s")));
  }

  @Test
  void superusersAndADisabledCheckerPassEverything() {
    allowed(() -> access.delete(SUPER, "/home/alice/d"));
    allowed(() -> access.contentSummary(ADMIN, "/home/alice"));
    NamespaceAccess off = new NamespaceAccess(state,
        new PermissionChecker(new PermissionChecker.Settings(false, "gfs", "supergroup")));
    allowed(() -> off.delete(EVE, "/home/alice/d"));
    allowed(() -> off.setOwner(EVE, "/home/alice/f", "eve", "eve"));
  }

  @Test
  void messagesUseHdfsWordingWithTheInode() {
    StateException e = assertThrows(StateException.class, () -> access.list(EVE, "/home/alice"));
    assertEquals("Permission denied: user=eve, access=READ_EXECUTE, inode=\"/home/alice\":alice:staff:drwxr-x---",
        e.getMessage());
    assertEquals("rwxrwxrwt", PermissionChecker.symbolic(01777));
    assertEquals("rw-r--r-T", PermissionChecker.symbolic(01644));
  }
}
