package io.gfs.dist.admin;

import io.gfs.thrift.gen.AdminAction;
import io.gfs.thrift.gen.SafeModeStatus;
import java.io.IOException;
import java.util.Set;

/**
 * {@code gfs admin safemode enter|leave|get|wait} (HDFS's dfsadmin -safemode): in safe mode the master refuses every
 * namespace and chunk mutation with SAFE_MODE and serves reads. wait blocks (with progress) until safe mode is off.
 */
final class SafeModeCommand implements Command {
  @Override
  public String usage() {
    return "safemode enter|leave|get|wait [--timeout DURATION]";
  }

  @Override
  public Set<String> options() {
    return Set.of("timeout");
  }

  @Override
  public int run(Args args, AdminContext context) throws IOException, UsageException, InterruptedException {
    String action = args.word(0, "action (enter, leave, get or wait)");
    args.atMost(1);
    SafeModeStatus status = switch (action) {
      case "enter" -> context.admin().safeMode(AdminAction.START);
      case "leave" -> context.admin().safeMode(AdminAction.STOP);
      case "get" -> context.admin().safeMode(AdminAction.GET);
      case "wait" -> waitOff(args, context);
      default -> throw new UsageException("unknown safemode action '" + action + "' (enter, leave, get or wait)");
    };
    if (status == null) {
      return 1;
    }
    context.out().println("Safe mode is " + (status.isOn() ? "ON (" + status.getReason() + ")" : "OFF"));
    return 0;
  }

  /** Polls until safe mode is off; null after printing why when the timeout passed first. */
  private static SafeModeStatus waitOff(Args args, AdminContext context)
      throws IOException, UsageException, InterruptedException {
    long deadline = AdminContext.deadlineNanos(args);
    Progress progress = context.progress();
    long waitedMillis = 0;
    while (true) {
      SafeModeStatus status = context.admin().safeMode(AdminAction.GET);
      if (!status.isOn()) {
        progress.finish("safe mode is off");
        return status;
      }
      if (AdminContext.passed(deadline)) {
        progress.finish("gfs admin: safe mode still on after --timeout " + args.option("timeout"));
        return null;
      }
      progress.update(0, 1, "waiting for safe mode to end (" + status.getReason() + "), "
          + Formats.age(waitedMillis) + " so far");
      context.pause();
      waitedMillis += context.pollMillis();
    }
  }
}
