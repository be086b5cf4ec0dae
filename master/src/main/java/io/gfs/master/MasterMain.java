package io.gfs.master;

import io.gfs.common.GfsConfig;
import io.gfs.master.server.MasterServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code gfs master --conf FILE}: runs a master until SIGTERM. Prints {@code gfs master serving on HOST:PORT} to stdout
 * once it serves, as its first line (scripts and test clusters wait for it), then {@code gfs master status pages on
 * http://HOST:PORT/} when those are on. Bad arguments or configuration: a message on stderr and exit code 2; a failure
 * to start: exit code 1.
 */
public final class MasterMain {
  static final int EXIT_USAGE = 2;
  static final int EXIT_FAILED = 1;
  /** The master lost the election (ZooKeeper session suspended or lost, e.g. after a long pause) and stepped down. */
  static final int EXIT_STEPPED_DOWN = 3;

  private MasterMain() {}

  public static void main(String[] args) {
    Path conf = parse(args, System.err);
    if (conf == null) {
      System.exit(EXIT_USAGE);
      return;
    }
    GfsConfig config;
    try {
      config = GfsConfig.load(conf);
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("gfs master: bad configuration " + conf + ": " + e.getMessage());
      System.exit(EXIT_USAGE);
      return;
    }
    MasterServer server;
    try {
      server = MasterServer.start(config);
    } catch (IllegalArgumentException e) {
      System.err.println("gfs master: bad configuration " + conf + ": " + e.getMessage());
      System.exit(EXIT_USAGE);
      return;
    } catch (IOException | RuntimeException e) {
      System.err.println("gfs master: cannot start: " + e.getMessage());
      e.printStackTrace(System.err);
      System.exit(EXIT_FAILED);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "gfs-master-shutdown"));
    System.out.println("gfs master serving on " + server.address());
    if (server.httpAddress() != null) { // issue 8: a second line, after the one scripts wait for
      System.out.println("gfs master status pages on http://" + server.httpAddress() + "/");
    }
    System.out.flush();
    // HA hook (issue 4): a master that lost the election has closed itself; the process exits so a supervisor (or
    // the operator) restarts it as a standby.
    // Async: steppedDown completes on the Curator thread that reports the lost leadership while it holds the
    // LeaderLatch's monitor; System.exit there waited forever for the shutdown hook, whose close() needs that monitor
    // (found by the reliability suite: a master whose ZooKeeper session expired never exited).
    server.steppedDown().thenAcceptAsync(reason -> {
      System.err.println("gfs master: stepped down: " + reason);
      System.exit(EXIT_STEPPED_DOWN);
    });
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The --conf file, or null after printing what is wrong. */
  static Path parse(String[] args, PrintStream err) {
    if (args.length != 2 || !args[0].equals("--conf")) {
      err.println("usage: gfs master --conf FILE");
      return null;
    }
    Path conf = Path.of(args[1]);
    if (!Files.isReadable(conf)) {
      err.println("gfs master: configuration file " + conf + " is not readable");
      return null;
    }
    return conf;
  }
}
