package io.gfs.dist.reliability;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Metadata: is a concurrent history of namespace operations explainable by one sequential order of them that respects
 * real time (an operation that returned before another was invoked comes first) and the {@link NamespaceModel}? The
 * Wing-Gong search with Lowe's memo of (operations placed, state) pairs, as Knossos and Porcupine do it: at each step
 * any operation invoked before the earliest return among those not yet placed may go next. Operations with an
 * unknown outcome may be placed (with whatever result the model gives) or left out.
 */
final class LinearizabilityChecker {
  private final NamespaceModel model;
  private final long statesMax;

  LinearizabilityChecker(NamespaceModel model, long statesMax) {
    this.model = model;
    this.statesMax = statesMax;
  }

  private record Memo(BitSet placed, int state) {}

  CheckResult check(List<NamespaceOp> history, int initialState) {
    List<NamespaceOp> ops = new ArrayList<>(history);
    ops.sort(Comparator.comparingLong(NamespaceOp::invokeNanos));
    CheckResult.Builder result = new CheckResult.Builder("metadata").operations(ops.size());
    Search search = new Search(ops);
    Boolean found = search.run(new BitSet(ops.size()), initialState);
    if (found == null) {
      result.violation("undecided: more than %d (placed, state) pairs explored in %d operations", statesMax,
          ops.size());
    } else if (!found) {
      result.violation("no sequential order explains these %d operations; the longest explainable prefix placed "
          + "%d of them, ending in state %s; operations not placed then: %s", ops.size(), search.deepest,
          model.describe(search.deepestState), search.unplacedAtDeepest);
    }
    return result.build();
  }

  private final class Search {
    private final List<NamespaceOp> ops;
    private final int required;
    private final Set<Memo> seen = new HashSet<>();
    int deepest = -1;
    int deepestState;
    List<NamespaceOp> unplacedAtDeepest = List.of();

    Search(List<NamespaceOp> ops) {
      this.ops = ops;
      this.required = (int) ops.stream().filter(o -> o.status() != NamespaceOp.Status.UNKNOWN).count();
    }

    /** true: explained; false: not; null: gave up (too many states). */
    Boolean run(BitSet placed, int state) {
      int placedRequired = countRequired(placed);
      if (placedRequired == required) {
        return true;
      }
      if (!seen.add(new Memo((BitSet) placed.clone(), state))) {
        return false;
      }
      if (seen.size() > statesMax) {
        return null;
      }
      if (placed.cardinality() > deepest) {
        deepest = placed.cardinality();
        deepestState = state;
        unplacedAtDeepest = unplaced(placed);
      }
      long earliestReturn = Long.MAX_VALUE;
      for (int i = placed.nextClearBit(0); i < ops.size(); i = placed.nextClearBit(i + 1)) {
        earliestReturn = Math.min(earliestReturn, ops.get(i).effectiveCompleteNanos());
      }
      for (int i = placed.nextClearBit(0); i < ops.size(); i = placed.nextClearBit(i + 1)) {
        NamespaceOp op = ops.get(i);
        if (op.invokeNanos() > earliestReturn) {
          break; // sorted by invocation: no later one may go next either
        }
        NamespaceModel.Step step = model.apply(state, op);
        if (step.matches(op)) {
          placed.set(i);
          Boolean r = run(placed, step.state());
          placed.clear(i);
          if (r == null || r) {
            return r;
          }
        }
      }
      return false;
    }

    private int countRequired(BitSet placed) {
      int n = 0;
      for (int i = placed.nextSetBit(0); i >= 0; i = placed.nextSetBit(i + 1)) {
        if (ops.get(i).status() != NamespaceOp.Status.UNKNOWN) {
          n++;
        }
      }
      return n;
    }

    private List<NamespaceOp> unplaced(BitSet placed) {
      List<NamespaceOp> out = new ArrayList<>();
      for (int i = placed.nextClearBit(0); i < ops.size() && out.size() < 6; i = placed.nextClearBit(i + 1)) {
        out.add(ops.get(i));
      }
      return out;
    }
  }
}
