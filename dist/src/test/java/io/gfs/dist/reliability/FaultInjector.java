package io.gfs.dist.reliability;

import io.gfs.dist.MiniGfsCluster;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Plays a {@link FaultSchedule} against a running {@link MiniGfsCluster} of separate processes (and the loopback proxy
 * in front of its master) on a thread of its own, healing each fault before the next, and records when each fault
 * really began and ended. Every fault is logged with the run's seed, so the log of a failed run says how to replay it.
 */
final class FaultInjector implements AutoCloseable {
  private static final long MASTER_BACK_WAIT_MILLIS = 30_000;

  private final MiniGfsCluster cluster;
  private final LoopbackProxy proxy;
  private final List<LoopbackProxy> chunkServerProxies;
  private final String zooKeeperPrefix;
  private final ReliabilityRun run;
  private final List<Fault> schedule;
  private final List<FaultWindow> windows = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile Throwable failure;
  private int pausedMaster;

  /**
   * @param proxy the proxy between clients and the master, or null when the schedule has no connection faults
   * @param zooKeeperPrefix znode prefix of the master's ephemerals (its alias), for EXPIRE_ZK_SESSION
   */
  FaultInjector(MiniGfsCluster cluster, LoopbackProxy proxy, String zooKeeperPrefix, ReliabilityRun run,
      List<Fault> schedule) {
    this(cluster, proxy, List.of(), zooKeeperPrefix, run, schedule);
  }

  /** @param chunkServerProxies the proxy each chunkserver advertises, by index, for the chunkserver connection faults */
  FaultInjector(MiniGfsCluster cluster, LoopbackProxy proxy, List<LoopbackProxy> chunkServerProxies,
      String zooKeeperPrefix, ReliabilityRun run, List<Fault> schedule) {
    this.cluster = cluster;
    this.proxy = proxy;
    this.chunkServerProxies = List.copyOf(chunkServerProxies);
    this.zooKeeperPrefix = zooKeeperPrefix;
    this.run = run;
    this.schedule = List.copyOf(schedule);
    this.thread = new Thread(this::play, "fault-injector");
    this.thread.setDaemon(true);
  }

  void start() {
    run.log("%d faults scheduled: %s", schedule.size(), schedule);
    thread.start();
  }

  /** Waits for the schedule to finish (or stops it early), with every fault healed; returns what happened. */
  List<FaultWindow> finish(boolean early) throws InterruptedException {
    stopping = early;
    thread.interrupt();
    thread.join(TimeUnit.MINUTES.toMillis(3));
    if (thread.isAlive()) {
      throw new AssertionError("the fault injector did not finish healing within 3 minutes");
    }
    if (failure != null) {
      throw new AssertionError("the fault injector failed (seed " + run.seed() + ")", failure);
    }
    synchronized (windows) {
      return List.copyOf(windows);
    }
  }

  /** Waits until the schedule has played out: the scenario's workload runs until then. */
  void awaitScheduleEnd() throws InterruptedException {
    thread.join();
  }

  boolean running() {
    return thread.isAlive();
  }

  int injected() {
    synchronized (windows) {
      return windows.size();
    }
  }

  private void play() {
    long startNanos = System.nanoTime();
    try {
      for (int i = 0; i < schedule.size() && !stopping; i++) {
        Fault fault = schedule.get(i);
        if (!sleepUntil(startNanos + TimeUnit.MILLISECONDS.toNanos(fault.startMillis()))) {
          return;
        }
        long began = System.nanoTime();
        run.log("fault %d/%d: %s", i + 1, schedule.size(), fault);
        inject(fault);
        try {
          sleepUntil(began + TimeUnit.MILLISECONDS.toNanos(fault.durationMillis()));
        } finally {
          heal(fault);
          synchronized (windows) {
            windows.add(new FaultWindow(fault.kind(), fault.targetName(), began, System.nanoTime()));
          }
        }
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  /** false if stopped early; an interrupt without a stop request only ends the current wait. */
  private boolean sleepUntil(long deadlineNanos) {
    long left;
    while ((left = deadlineNanos - System.nanoTime()) > 0 && !stopping) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        if (stopping) {
          return false;
        }
      }
    }
    return !stopping;
  }

  private void inject(Fault fault) {
    switch (fault.kind()) {
      case KILL_CHUNKSERVER -> cluster.killChunkServer(fault.target());
      case PAUSE_CHUNKSERVER -> cluster.pauseChunkServer(fault.target());
      case KILL_MASTER -> cluster.killMaster();
      case PAUSE_MASTER -> {
        pausedMaster = activeMaster();
        cluster.pauseMaster(pausedMaster);
      }
      case EXPIRE_ZK_SESSION -> run.log("  expired %d ZooKeeper session(s) holding %s",
          cluster.expireZooKeeperSessionsHolding(zooKeeperPrefix), zooKeeperPrefix);
      case CUT_CONNECTIONS -> requireProxy().cut(true);
      case DELAY_CONNECTIONS -> requireProxy().delay(20 + fault.durationMillis() % 180);
      case CUT_CHUNKSERVER_CONNECTIONS -> chunkServerProxy(fault.target()).cut(true);
      case DELAY_CHUNKSERVER_CONNECTIONS -> chunkServerProxy(fault.target()).delay(20 + fault.durationMillis() % 180);
      case SLOW_DISK -> throw new IllegalStateException("slow disks are set up by SlowDiskIT, not scheduled");
    }
  }

  private void heal(Fault fault) throws IOException, InterruptedException {
    switch (fault.kind()) {
      case KILL_CHUNKSERVER -> cluster.restartChunkServer(fault.target());
      case PAUSE_CHUNKSERVER -> cluster.resumeChunkServer(fault.target());
      case KILL_MASTER -> cluster.restartMaster();
      case PAUSE_MASTER -> {
        cluster.resumeMaster(pausedMaster);
        ensureMasterServes();
      }
      case EXPIRE_ZK_SESSION -> ensureMasterServes();
      case CUT_CONNECTIONS, DELAY_CONNECTIONS -> requireProxy().heal();
      case CUT_CHUNKSERVER_CONNECTIONS, DELAY_CHUNKSERVER_CONNECTIONS -> chunkServerProxy(fault.target()).heal();
      case SLOW_DISK -> throw new IllegalStateException("slow disks are healed by SlowDiskIT, not scheduled");
    }
  }

  private int activeMaster() {
    try {
      return cluster.activeMasterIndex();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A master that lost its session (or was paused past it) steps down and exits; it is restarted, as an operator's
   * supervisor would: with several masters every dead one comes back as a standby, a lone master once it is
   * seen not serving.
   */
  private void ensureMasterServes() throws IOException, InterruptedException {
    if (cluster.masterCount() > 1) {
      Thread.sleep(1_000); // a deposed master needs a moment after SIGCONT to notice and exit
      cluster.restartMaster();
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MASTER_BACK_WAIT_MILLIS);
    while (System.nanoTime() < deadline) {
      try {
        cluster.clusterStatus();
        return;
      } catch (IOException notServing) {
        Thread.sleep(200);
      }
    }
    run.log("  the master does not serve after its session expired; restarting it");
    cluster.restartMaster();
  }

  private LoopbackProxy chunkServerProxy(int index) {
    if (index >= chunkServerProxies.size()) {
      throw new IllegalStateException("a chunkserver connection fault needs a proxy in front of chunkserver " + index);
    }
    return chunkServerProxies.get(index);
  }

  private LoopbackProxy requireProxy() {
    if (proxy == null) {
      throw new IllegalStateException("a connection fault needs the loopback proxy");
    }
    return proxy;
  }

  @Override
  public void close() throws InterruptedException {
    if (thread.isAlive()) {
      finish(true);
    }
  }
}
