package io.gfs.master.server;

import io.gfs.common.GfsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * MasterServer starts, each on its own named thread, for ITs with standby masters: a standby's MasterServer.start
 * returns only once it is elected, so it cannot run on the test's thread, and a pool thread could not be interrupted.
 * {@link #stop} ends every master a test started, pass or fail, so none outlives the test in the shared failsafe JVM.
 */
final class MasterLaunches {
  /** How long a start may take to end once interrupted (it closes what it opened). */
  private static final long PATIENCE_MILLIS = 120_000;

  /** One MasterServer.start on its own thread. */
  private record Launch(Thread thread, CompletableFuture<MasterServer> server) {}

  private final String owner;
  private final List<Launch> launches = new ArrayList<>();

  /** {@code owner} names the start threads (the test class), so a start left running is found by name. */
  MasterLaunches(String owner) {
    this.owner = owner;
  }

  /** Starts master {@code index} with {@code config}; the future completes when start returns (elected) or fails. */
  CompletableFuture<MasterServer> start(int index, GfsConfig config) {
    CompletableFuture<MasterServer> server = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        server.complete(MasterServer.start(config));
      } catch (Throwable e) {
        server.completeExceptionally(e);
      }
    }, owner + "-start-master" + index + "-" + launches.size());
    thread.setDaemon(true);
    launches.add(new Launch(thread, server));
    thread.start();
    return server;
  }

  /** The future of the {@code n}-th start, in start order. */
  CompletableFuture<MasterServer> server(int n) {
    return launches.get(n).server();
  }

  /**
   * Ends every start: one still waiting to be elected (a standby, serving replicateLog on its port) is interrupted,
   * which ends its wait for leadership and makes start close what it opened (standby service, election, ZooKeeper
   * client, log); every start that returned a server has it closed. Interrupting the pending starts before closing
   * any server keeps them from being elected while the active one closes. Returns the names of start threads still
   * running after the patience (the caller fails the test with them, after its own cleanup); a failed close is
   * thrown after every other start was ended.
   */
  List<String> stop() throws Exception {
    for (Launch launch : launches) {
      if (!launch.server().isDone()) {
        launch.thread().interrupt();
      }
    }
    List<String> stillRunning = new ArrayList<>();
    Exception closeFailure = null;
    for (Launch launch : launches) {
      launch.thread().join(PATIENCE_MILLIS);
      if (launch.thread().isAlive()) {
        stillRunning.add(launch.thread().getName());
      } else if (!launch.server().isCompletedExceptionally()) {
        try {
          launch.server().get().close(); // the thread ended, so the future is complete: no wait
        } catch (Exception e) {
          if (closeFailure == null) {
            closeFailure = e;
          } else {
            closeFailure.addSuppressed(e);
          }
        }
      }
    }
    if (closeFailure != null) {
      throw closeFailure;
    }
    return stillRunning;
  }
}
