package io.gfs.dist.reliability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Epochs (issue 4's fencing): a master's acknowledgements belong to its term; none may come from an older term than
 * the newest one elected before the operation began, and at no time may two masters be active: the intervals in
 * which the cluster's alias named each master (watched in ZooKeeper) never overlap, and no master that answered
 * "active" had been superseded before it was asked.
 */
final class EpochChecker {
  /** Master masterId began term epoch at electedNanos (the epoch znode and the alias changed to it). */
  record Election(long epoch, String masterId, long electedNanos) {}

  /** An acknowledged operation answered by masterId in term epoch. */
  record Ack(String masterId, long epoch, long invokeNanos, long completeNanos, String what) {}

  /** masterId said it was the active master in a call made during [askedNanos, answeredNanos]. */
  record ActiveClaim(String masterId, long epoch, long askedNanos, long answeredNanos) {}

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
    for (ActiveClaim c : claims) {
      long newest = newestBefore(ordered, c.askedNanos());
      if (c.epoch() < newest) {
        result.violation("%s claimed to be active in epoch %d after epoch %d was elected: two active masters",
            c.masterId(), c.epoch(), newest);
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
