package io.gfs.dist.admin;

import java.io.IOException;
import java.util.Set;

/** One {@code gfs admin} command: its usage line, the switches and options it takes, and what it does. */
interface Command {
  /** The usage line(s) after "gfs admin ". */
  String usage();

  default Set<String> switches() {
    return Set.of();
  }

  default Set<String> options() {
    return Set.of();
  }

  /** Runs the command; returns the exit status (0 success, 1 failure or unhealthy). */
  int run(Args args, AdminContext context) throws IOException, UsageException, InterruptedException;
}
