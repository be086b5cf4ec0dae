package io.gfs.dist.reliability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Epochs (issue 4's fencing): a master's acknowledgements belong to its term; none may come from an older term than
 * the newest one elected before the operation began; epochs strictly increase from election to election (watched in
 * ZooKeeper); and at no time are two masters active: no two masters answer "active" to calls whose intervals overlap
 * (the harness asks every master it has seen at the same moments).
 */
final class EpochChecker {
  /** Master masterId began term epoch at electedNanos (the epoch znode and the alias changed to it). */
  record Election(long epoch, String masterId, long electedNanos) {}

  /** An acknowledged operation answered by masterId in term epoch. */
  record Ack(String masterId, long epoch, long invokeNanos, long completeNanos, String what) {}

  /** masterId said it was the active master in a call made during [askedNanos, answeredNanos]. */
  record ActiveClaim(String masterId, long askedNanos, long answeredNanos) {}

  CheckResult check(List<Election> elections, List<Ack> acks, List<ActiveClaim> claims) {
    CheckResult.Builder result = new CheckResult.Builder("epochs").operations(acks.size() + claims.size());
    List<Election> ordered = new ArrayList<>(elections);
    ordered.sort(Comparator.comparingLong(Election::electedNanos));
    for (int i = 1; i < ordered.size(); i++) {
      if (ordered.get(i).epoch() <= ordered.get(i - 1).epoch()) {
        result.violation("epoch went from %d to %d: terms must strictly increase", ordered.get(i - 1).epoch(),
            ordered.get(i).epoch());
      }
    }
    for (Ack a : acks) {
      long newest = newestBefore(ordered, a.invokeNanos());
      if (a.epoch() < newest) {
        result.lost(1).violation("%s acknowledged by %s in epoch %d, but epoch %d was elected before it began",
            a.what(), a.masterId(), a.epoch(), newest);
      }
    }
    List<ActiveClaim> byTime = new ArrayList<>(claims);
    byTime.sort(Comparator.comparingLong(ActiveClaim::askedNanos));
    for (int i = 0; i < byTime.size(); i++) {
      ActiveClaim a = byTime.get(i);
      for (int j = i + 1; j < byTime.size() && byTime.get(j).askedNanos() <= a.answeredNanos(); j++) {
        ActiveClaim b = byTime.get(j);
        if (!a.masterId().equals(b.masterId())) {
          result.violation("two active masters: %s and %s both answered \"active\" to calls overlapping in time",
              a.masterId(), b.masterId());
        }
      }
    }
    return result.build();
  }

  private static long newestBefore(List<Election> ordered, long nanos) {
    long newest = Long.MIN_VALUE;
    for (Election e : ordered) {
      if (e.electedNanos() < nanos) {
        newest = Math.max(newest, e.epoch());
      }
    }
    return newest;
  }
}
