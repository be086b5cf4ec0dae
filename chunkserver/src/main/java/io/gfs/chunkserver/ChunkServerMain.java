package io.gfs.chunkserver;

import io.gfs.chunkserver.server.ChunkServer;
import io.gfs.common.ConfigException;
import io.gfs.common.GfsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code gfs chunkserver --conf FILE}: starts a chunkserver, prints one line
 * {@code gfs chunkserver <serverId> serving on HOST:PORT} (then one naming its status page, when that is on) and serves
 * until SIGTERM. Bad arguments or configuration:
 * a message on stderr and exit code 2.
 */
public final class ChunkServerMain {
  static final int EXIT_USAGE = 2;
  static final int EXIT_FAILED = 1;
  private static final String USAGE = "usage: gfs chunkserver --conf FILE";

  private ChunkServerMain() {}

  public static void main(String[] args) {
    Path conf = parseArgs(args);
    GfsConfig config;
    try {
      if (!Files.isRegularFile(conf)) {
        throw new NoSuchFileException(conf.toString(), null, "no such configuration file");
      }
      config = GfsConfig.load(conf);
    } catch (IOException | ConfigException e) {
      fail(EXIT_USAGE, "gfs chunkserver: cannot read configuration " + conf + ": " + e.getMessage());
      return;
    }
    ChunkServer server;
    try {
      server = ChunkServer.start(config);
    } catch (ConfigException e) {
      fail(EXIT_USAGE, "gfs chunkserver: bad configuration in " + conf + ": " + e.getMessage());
      return;
    } catch (IOException | RuntimeException e) {
      fail(EXIT_FAILED, "gfs chunkserver: cannot start: " + e.getMessage());
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "chunkserver-shutdown"));
    System.out.println("gfs chunkserver " + server.serverId() + " serving on " + server.address());
    if (server.httpAddress() != null) { // issue 8: a second line, after the one scripts wait for
      System.out.println("gfs chunkserver " + server.serverId() + " status page on http://" + server.httpAddress()
          + "/");
    }
    System.out.flush();
    try {
      stopped.await(); // the server's threads are daemons: this keeps the JVM up until SIGTERM
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Path parseArgs(String[] args) {
    String file = null;
    if (args.length == 2 && args[0].equals("--conf") && !args[1].isBlank()) {
      file = args[1];
    } else if (args.length == 1 && args[0].startsWith("--conf=") && args[0].length() > "--conf=".length()) {
      file = args[0].substring("--conf=".length());
    }
    try {
      if (file != null) {
        return Path.of(file);
      }
    } catch (java.nio.file.InvalidPathException e) {
      fail(EXIT_USAGE, "gfs chunkserver: bad configuration file name: " + e.getMessage());
    }
    fail(EXIT_USAGE, USAGE);
    return null;
  }

  private static void fail(int exitCode, String message) {
    System.err.println(message);
    System.err.flush();
    System.exit(exitCode);
  }
}
