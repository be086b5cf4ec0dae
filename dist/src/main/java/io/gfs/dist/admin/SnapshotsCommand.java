package io.gfs.dist.admin;

import java.io.IOException;
import java.util.List;

/** {@code gfs admin snapshots PATH}: the snapshots of a directory or file [0113-0116], in name order. */
final class SnapshotsCommand implements Command {
  @Override
  public String usage() {
    return "snapshots PATH";
  }

  @Override
  public int run(Args args, AdminContext context) throws IOException, UsageException {
    String path = args.word(0, "PATH");
    args.atMost(1);
    List<String> names = context.admin().listSnapshots(path);
    context.out().printf("%d snapshot(s) of %s%n", names.size(), path);
    String prefix = path.endsWith("/") ? path : path + "/";
    for (String name : names) {
      context.out().println(prefix + ".snapshot/" + name);
    }
    return 0;
  }
}
