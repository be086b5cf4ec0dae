package io.gfs.dist.reliability;

import static io.gfs.dist.reliability.NamespaceOp.Kind.CREATE;
import static io.gfs.dist.reliability.NamespaceOp.Kind.DELETE;
import static io.gfs.dist.reliability.NamespaceOp.Kind.MKDIR;
import static io.gfs.dist.reliability.NamespaceOp.Kind.RENAME;
import static io.gfs.dist.reliability.NamespaceOp.Kind.STATUS;
import static io.gfs.dist.reliability.NamespaceOp.Status.OK;
import static io.gfs.dist.reliability.NamespaceOp.Status.REFUSED;
import static io.gfs.dist.reliability.NamespaceOp.Status.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
  private final NamespaceModel model = new NamespaceModel(List.of("a", "b", "c"));
  private final LinearizabilityChecker checker = new LinearizabilityChecker(model, 1_000_000);

  private static NamespaceOp op(int client, NamespaceOp.Kind kind, String name, long from, long to,
      NamespaceOp.Status status, String value) {
    return new NamespaceOp(client, kind, name, "", from, to, status, value);
  }

  private static NamespaceOp rename(int client, String from, String to, long t0, long t1, NamespaceOp.Status s) {
    return new NamespaceOp(client, RENAME, from, to, t0, t1, s, "");
  }

  @Test
  void aSequentialHistoryFollowingTheRulesPasses() {
    List<NamespaceOp> h = List.of(op(0, CREATE, "a", 0, 1, OK, ""), op(0, CREATE, "a", 2, 3, REFUSED, ""),
        rename(0, "a", "b", 4, 5, OK), op(0, STATUS, "a", 6, 7, OK, "ABSENT"), op(0, STATUS, "b", 8, 9, OK, "FILE"),
        op(0, MKDIR, "b", 10, 11, REFUSED, ""), op(0, DELETE, "b", 12, 13, OK, "true"),
        op(0, DELETE, "b", 14, 15, OK, "false"), op(0, MKDIR, "c", 16, 17, OK, "true"));
    assertTrue(checker.check(h, 0).ok());
  }

  @Test
  void twoCreatesOfOneNameBothSucceedingFail() {
    List<NamespaceOp> h = List.of(op(0, CREATE, "a", 0, 10, OK, ""), op(1, CREATE, "a", 1, 9, OK, ""));
    assertFalse(checker.check(h, 0).ok());
  }

  @Test
  void concurrentOperationsMayTakeEffectInEitherOrder() {
    // c1's status overlaps c0's create: it may see the file or not, and both answers are fine.
    assertTrue(checker.check(List.of(op(0, CREATE, "a", 0, 10, OK, ""), op(1, STATUS, "a", 5, 6, OK, "FILE")), 0)
        .ok());
    assertTrue(checker.check(List.of(op(0, CREATE, "a", 0, 10, OK, ""), op(1, STATUS, "a", 5, 6, OK, "ABSENT")), 0)
        .ok());
  }

  @Test
  void aStaleReadAfterACompletedWriteFails() {
    // The create returned at 10; a status begun at 11 must see it. A shadow or cache answering ABSENT is a violation.
    List<NamespaceOp> h = List.of(op(0, CREATE, "a", 0, 10, OK, ""), op(1, STATUS, "a", 11, 12, OK, "ABSENT"));
    assertFalse(checker.check(h, 0).ok());
  }

  @Test
  void aCreateRetriedAfterALostReplyThatAnswersExistsFails() {
    // One client, one create, refused: only possible if someone else created it; nobody did. This is what a
    // resent create without a retry cache looks like.
    List<NamespaceOp> h = List.of(op(0, CREATE, "a", 0, 10, REFUSED, ""), op(0, STATUS, "a", 11, 12, OK, "FILE"));
    assertFalse(checker.check(h, 0).ok());
  }

  @Test
  void anUnknownOutcomeMayOrMayNotHaveHappened() {
    List<NamespaceOp> took = List.of(op(0, CREATE, "a", 0, 10, UNKNOWN, ""), op(1, STATUS, "a", 20, 21, OK, "FILE"));
    List<NamespaceOp> didNot = List.of(op(0, CREATE, "a", 0, 10, UNKNOWN, ""),
        op(1, STATUS, "a", 20, 21, OK, "ABSENT"));
    assertTrue(checker.check(took, 0).ok());
    assertTrue(checker.check(didNot, 0).ok());
  }

  @Test
  void aRenameThatLosesTheSourceAndTheTargetFails() {
    List<NamespaceOp> h = List.of(op(0, CREATE, "a", 0, 1, OK, ""), rename(0, "a", "b", 2, 3, OK),
        op(1, STATUS, "a", 4, 5, OK, "ABSENT"), op(1, STATUS, "b", 6, 7, OK, "ABSENT"));
    assertFalse(checker.check(h, 0).ok());
  }

  @Test
  void aLargerConcurrentHistoryIsDecided() {
    List<NamespaceOp> h = new ArrayList<>();
    String[] names = {"a", "b", "c"};
    long t = 0;
    int state = 0;
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    for (int i = 0; i < 120; i++) {
      NamespaceOp.Kind kind = NamespaceOp.Kind.values()[random.nextInt(5)];
      String name = names[random.nextInt(3)];
      String target = names[random.nextInt(3)];
      NamespaceOp probe = new NamespaceOp(i % 3, kind, name, target, t, t + 30, OK, "");
      NamespaceModel.Step step = model.apply(state, probe);
      state = step.state();
      // three clients' operations overlap in time; each still takes effect at its own instant t + 15
      h.add(new NamespaceOp(i % 3, kind, name, target, t, t + 30, step.status(), step.value()));
      t += 10;
    }
    assertTrue(checker.check(h, 0).ok());
  }
}
