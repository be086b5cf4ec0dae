package io.gfs.dist.admin;

import io.gfs.master.state.DeletedNames;
import io.gfs.thrift.gen.FileInfo;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code gfs admin deleted list [DIR]} shows the deleted, not yet purged entries directly in DIR (newest deletion
 * first) with their original names [0075]; {@code gfs admin deleted undelete PATH} brings back the most recent one that
 * was at PATH.
 */
final class DeletedCommand implements Command {
  @Override
  public String usage() {
    return "deleted list [DIR]\ndeleted undelete PATH";
  }

  @Override
  public int run(Args args, AdminContext context) throws IOException, UsageException {
    String action = args.word(0, "action (list or undelete)");
    switch (action) {
      case "list" -> {
        args.atMost(2);
        String directory = args.wordOr(1, "/");
        List<FileInfo> deleted = context.admin().listDeleted(directory);
        context.out().printf("%d deleted entr%s in %s (undelete with 'gfs admin deleted undelete PATH')%n",
            deleted.size(), deleted.size() == 1 ? "y" : "ies", directory);
        String row = "%-19s %-4s %12s  %s%n";
        if (!deleted.isEmpty()) {
          context.out().printf(row, "DELETED AT", "TYPE", "LENGTH", "PATH");
        }
        for (FileInfo f : deleted) {
          context.out().printf(row, Formats.time(f.getModificationTimeMillis()), f.isDirectory() ? "dir" : "file",
              f.isDirectory() ? "-" : Long.toString(f.getLengthBytes()), originalPath(f.getPath()));
        }
        return 0;
      }
      case "undelete" -> {
        String path = args.word(1, "PATH to undelete");
        args.atMost(2);
        if (!context.admin().undelete(path)) {
          context.err().println("gfs admin: nothing deleted at " + path + " to bring back (purged already?)");
          return 1;
        }
        context.out().println("undeleted " + path);
        return 0;
      }
      default -> throw new UsageException("unknown deleted action '" + action + "' (list or undelete)");
    }
  }

  /** The path an entry had before deletion, read from its hidden name; the hidden path when it cannot be parsed. */
  static String originalPath(String hiddenPath) {
    int slash = hiddenPath.lastIndexOf('/');
    String parent = hiddenPath.substring(0, slash + 1);
    Optional<DeletedNames.Parsed> parsed = DeletedNames.parse(hiddenPath.substring(slash + 1));
    return parsed.map(p -> parent + p.originalName()).orElse(hiddenPath);
  }
}
