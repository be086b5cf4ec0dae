package io.gfs.dist.admin;

import io.gfs.thrift.gen.DirectoryPolicy;
import java.io.IOException;
import java.util.Set;

/**
 * {@code gfs admin policy set|get DIR}: a directory's replication for new files and how long deletes below it stay
 * undeletable [0069, 0075], inherited by everything below; -1 (or "inherit") goes back to the parent's.
 */
final class PolicyCommand implements Command {
  @Override
  public String usage() {
    return "policy get DIR\npolicy set DIR [--replication N|inherit] [--gc-retention DURATION|inherit]";
  }

  @Override
  public Set<String> options() {
    return Set.of("replication", "gc-retention");
  }

  @Override
  public int run(Args args, AdminContext context) throws IOException, UsageException {
    String action = args.word(0, "action (get or set)");
    String path = args.word(1, "DIR");
    args.atMost(2);
    switch (action) {
      case "get" -> {
        if (args.option("replication") != null || args.option("gc-retention") != null) {
          throw new UsageException("policy get takes no --replication or --gc-retention");
        }
      }
      case "set" -> {
        String replication = args.option("replication");
        String retention = args.option("gc-retention");
        if (replication == null && retention == null) {
          throw new UsageException("policy set needs --replication and/or --gc-retention");
        }
        DirectoryPolicy current = context.admin().policy(path);
        int r = replication == null ? current.getReplication()
            : replication.equals("inherit") ? -1 : Formats.integer(replication, "replication");
        long g = retention == null ? current.getGcRetentionMillis()
            : retention.equals("inherit") ? -1 : Formats.durationMillis(retention);
        context.admin().setPolicy(path, r, g);
      }
      default -> throw new UsageException("unknown policy action '" + action + "' (get or set)");
    }
    DirectoryPolicy p = context.admin().policy(path);
    context.out().printf("%s: replication %s (effective %d), gc retention %s (effective %s)%n", p.getPath(),
        p.getReplication() < 0 ? "inherit" : Integer.toString(p.getReplication()), p.getEffectiveReplication(),
        Formats.retention(p.getGcRetentionMillis()), Formats.retention(p.getEffectiveGcRetentionMillis()));
    return 0;
  }
}
