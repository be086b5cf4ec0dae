package io.gfs.dist.admin;

import io.gfs.thrift.gen.AdminAction;
import io.gfs.thrift.gen.BalancerStatus;
import java.io.IOException;
import java.util.Set;

/**
 * {@code gfs admin balancer start|stop|status} [0073-0074]: the master's balancer moves replicas from the fullest to
 * the emptiest chunkservers while their utilisation differs by more than its threshold. start turns it on; with
 * --wait it shows progress until the cluster is balanced. stop lets running moves finish and starts no new ones.
 */
final class BalancerCommand implements Command {
  @Override
  public String usage() {
    return "balancer start [--wait [--timeout DURATION]]\nbalancer stop|status";
  }

  @Override
  public Set<String> switches() {
    return Set.of("wait");
  }

  @Override
  public Set<String> options() {
    return Set.of("timeout");
  }

  @Override
  public int run(Args args, AdminContext context) throws IOException, UsageException, InterruptedException {
    String action = args.word(0, "action (start, stop or status)");
    args.atMost(1);
    BalancerStatus status = switch (action) {
      case "start" -> context.admin().balancer(AdminAction.START);
      case "stop" -> context.admin().balancer(AdminAction.STOP);
      case "status" -> context.admin().balancer(AdminAction.GET);
      default -> throw new UsageException("unknown balancer action '" + action + "' (start, stop or status)");
    };
    if (action.equals("start") && args.has("wait")) {
      status = waitBalanced(args, context, status);
      if (status == null) {
        return 1;
      }
    }
    context.out().printf("Balancer %s: utilisation spread %s (threshold %s), %d move(s) in flight, %s%n",
        status.isEnabled() ? "running" : "stopped", Formats.percent(status.getUtilizationSpread()),
        Formats.percent(status.getThreshold()), status.getMovesInFlight(),
        status.isBalanced() ? "balanced" : "not balanced");
    return 0;
  }

  /** Progress is how much of the first spread above the threshold is gone. */
  private static BalancerStatus waitBalanced(Args args, AdminContext context, BalancerStatus first)
      throws IOException, UsageException, InterruptedException {
    long deadline = AdminContext.deadlineNanos(args);
    Progress progress = context.progress();
    double excessAtStart = Math.max(1e-6, first.getUtilizationSpread() - first.getThreshold());
    BalancerStatus status = first;
    while (!status.isBalanced()) {
      if (AdminContext.passed(deadline)) {
        progress.finish("gfs admin: not balanced after --timeout " + args.option("timeout"));
        return null;
      }
      double excess = Math.max(0, status.getUtilizationSpread() - status.getThreshold());
      long done = Math.round(1000 * (1 - Math.min(1.0, excess / excessAtStart)));
      progress.update(done, 1000, "spread " + Formats.percent(status.getUtilizationSpread()) + ", "
          + status.getMovesInFlight() + " move(s) in flight");
      context.pause();
      status = context.admin().balancer(AdminAction.GET);
    }
    progress.finish("balanced");
    return status;
  }
}
