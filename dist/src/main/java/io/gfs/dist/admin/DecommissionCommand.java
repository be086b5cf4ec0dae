package io.gfs.dist.admin;

import io.gfs.thrift.gen.AdminAction;
import io.gfs.thrift.gen.DecommissionStatus;
import java.io.IOException;
import java.util.Set;

/**
 * {@code gfs admin decommission start|stop|status SERVER} drains a chunkserver (named by host:port or server id): the
 * master places no new replica on it and re-replicates its chunks elsewhere while it keeps serving reads. It is
 * "decommissioned" when every chunk it holds has its target replication on other servers; then it can be stopped
 * without any chunk falling short. start --wait (or wait) shows progress until then.
 */
final class DecommissionCommand implements Command {
  @Override
  public String usage() {
    return "decommission start SERVER [--wait [--timeout DURATION]]\ndecommission stop|status|wait SERVER";
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
    String action = args.word(0, "action (start, stop, status or wait)");
    String server = args.word(1, "SERVER (host:port or server id, as 'gfs admin report' lists it)");
    args.atMost(2);
    DecommissionStatus status = switch (action) {
      case "start" -> context.admin().decommission(server, AdminAction.START);
      case "stop" -> context.admin().decommission(server, AdminAction.STOP);
      case "status", "wait" -> context.admin().decommission(server, AdminAction.GET);
      default -> throw new UsageException("unknown decommission action '" + action + "' (start, stop, status, wait)");
    };
    if (action.equals("wait") || (action.equals("start") && args.has("wait"))) {
      if (!status.getState().equals("decommissioning") && !status.getState().equals("decommissioned")) {
        context.err().println("gfs admin: " + server + " is not being decommissioned");
        return 1;
      }
      status = waitDrained(args, context, server, status);
      if (status == null) {
        return 1;
      }
    }
    context.out().printf("%s:%d (%s): %s, %d chunk(s) held, %d still short of their replication without it%s%n",
        status.getAddress().getHost(), status.getAddress().getPort(), status.getServerId(), status.getState(),
        status.getChunkCount(), status.getChunksRemaining(), status.isLive() ? "" : " (not heartbeating)");
    return 0;
  }

  private static DecommissionStatus waitDrained(Args args, AdminContext context, String server,
      DecommissionStatus first) throws IOException, UsageException, InterruptedException {
    long deadline = AdminContext.deadlineNanos(args);
    Progress progress = context.progress();
    long total = Math.max(first.getChunksRemaining(), 1);
    DecommissionStatus status = first;
    while (!status.getState().equals("decommissioned")) {
      if (!status.getState().equals("decommissioning")) {
        progress.finish("gfs admin: decommission of " + server + " was stopped");
        return null;
      }
      if (AdminContext.passed(deadline)) {
        progress.finish("gfs admin: " + status.getChunksRemaining() + " chunk(s) still to copy after --timeout "
            + args.option("timeout"));
        return null;
      }
      total = Math.max(total, status.getChunksRemaining());
      progress.update(total - status.getChunksRemaining(), total,
          status.getChunksRemaining() + " of " + total + " chunk(s) still to re-replicate");
      context.pause();
      status = context.admin().decommission(server, AdminAction.GET);
    }
    progress.update(total, total, "0 chunk(s) still to re-replicate");
    progress.finish("decommissioned: " + server + " can be stopped");
    return status;
  }
}
