package io.gfs.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.zk.CanonicalName;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 with real processes and a real ZooKeeper: two MasterMain JVMs of one cluster (active and standby, sharing
 * one meta directory until the replicated log exists), clients that find the master only through the alias.
 */
class MasterHaProcessIT {
  private static final String READY = "gfs master serving on ";
  private static final String CLUSTER = "ha";
  /**
   * Short enough for a takeover in seconds; the ZooKeeper tick below lets the server grant it. The SIGKILL rounds
   * measure the failover time docs/operations.md quotes (issue 4's 3 s goal), so they keep it. A loaded machine may end
   * a live master's session with it (it then steps down and exits): before a kill, a standby then already leads and
   * the round goes on; the replicated-log rounds relaunch masters that exited.
   */
  private static final int SESSION_TIMEOUT_MILLIS = 2000;
  /**
   * The SIGSTOP case's session: its length is not what that case checks, and before the SIGSTOP its master must still
   * lead (with 2 s, a stall at load 22 could end its term first, and it would have exited before the test stopped it).
   */
  private static final int STOPPED_CASE_SESSION_MILLIS = 5000;

  /** The session timeout of the masters this test launches. */
  private int sessionTimeoutMillis = SESSION_TIMEOUT_MILLIS;

  @TempDir
  Path dir;

  private final List<Process> processes = new ArrayList<>();
  private TestingServer zk;

  @AfterEach
  void killAll() throws Exception {
    for (Process p : processes) {
      ProcessBuilder cont = new ProcessBuilder("kill", "-CONT", Long.toString(p.pid()));
      cont.start().waitFor();
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    if (zk != null) {
      zk.close();
    }
  }

  private void startZooKeeper() throws Exception {
    // tickTime 250 ms: ZooKeeper grants sessions from 2 to 20 ticks, so neither the 2 s nor the 5 s timeout changes.
    zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 250, -1), true);
  }

  private static String classpath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  private Path conf() throws IOException {
    Path conf = dir.resolve("master.properties");
    Files.writeString(conf, "gfs.master.meta.dir=" + dir.resolve("meta") + "\ngfs.master.port=0\n"
        + "gfs.master.ha.enabled=true\ngfs.cluster.name=" + CLUSTER + "\ngfs.zookeeper.connect="
        + zk.getConnectString() + "\ngfs.zookeeper.session.timeout.ms=" + sessionTimeoutMillis + "\n");
    return conf;
  }

  /** Launches a master; the future completes with its address once it serves (a standby serves once elected). */
  private CompletableFuture<HostPort> launchMaster() throws IOException {
    return launchMaster(conf());
  }

  private CompletableFuture<HostPort> launchMaster(Path conf) throws IOException {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", classpath(), MasterMain.class.getName(), "--conf", conf.toString());
    Process process = new ProcessBuilder(command)
        .redirectError(dir.resolve("stderr-" + processes.size() + ".log").toFile()).start();
    processes.add(process);
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(() -> {
      try {
        String line = out.readLine();
        if (line == null || !line.startsWith(READY)) {
          throw new IllegalStateException("no ready line, got: " + line);
        }
        return HostPort.parse(line.substring(READY.length()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private static void signal(Process process, String signal) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor());
  }

  /** Creates unique files through the alias until stopped; records what was acknowledged and when. */
  private static final class Writer implements Runnable {
    final int id;
    final CuratorFramework zk;
    final RpcClients rpc;
    final AtomicBoolean stop;
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final AtomicLong lastAckNanos = new AtomicLong();
    final AtomicLong lastAckAttemptNanos = new AtomicLong();
    volatile Throwable failure;

    Writer(int id, CuratorFramework zk, RpcClients rpc, AtomicBoolean stop) {
      this.id = id;
      this.zk = zk;
      this.rpc = rpc;
      this.stop = stop;
    }

    @Override
    public void run() {
      try {
        for (int n = 0; !stop.get(); n++) {
          String path = "/w" + id + "/f" + n;
          long attemptStartNanos = 0;
          while (!stop.get()) {
            attemptStartNanos = System.nanoTime();
            HostPort master;
            try {
              master = CanonicalName.resolve(zk, "/gfs", CLUSTER);
            } catch (IOException noMasterYet) {
              Thread.sleep(20);
              continue;
            }
            try {
              rpc.master(master, c -> c.create(path, false, true, 1, null, null, (short) -1));
              break;
            } catch (GfsException e) {
              if (e.getCode() == ErrorCode.ALREADY_EXISTS) {
                break; // an earlier attempt was applied but its answer was lost in the crash: applied once
              }
              if (e.getCode() != ErrorCode.NOT_MASTER && e.getCode() != ErrorCode.IO_ERROR) {
                throw e;
              }
            } catch (org.apache.thrift.TException | RuntimeException e) {
              rpc.forget(master);
            }
            Thread.sleep(20);
          }
          if (!stop.get()) {
            acknowledged.add(path);
            // Failover time counts from the kill to an acknowledgement of a call sent after it: a create the old
            // master answered just before dying must not pass for the new master's first write.
            lastAckNanos.set(System.nanoTime());
            lastAckAttemptNanos.set(attemptStartNanos);
          }
        }
      } catch (Throwable t) {
        failure = t;
      }
    }
  }

  @Test
  void sigkillOfTheActiveMasterUnderSeveralWritersLosesNothingAcknowledged() throws Exception {
    startZooKeeper();
    HostPort first = launchMaster().get(120, TimeUnit.SECONDS);
    List<Long> failoverMillis = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Writer> writers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    try (CuratorFramework client = CanonicalName.connect(zk.getConnectString(), 15_000);
        RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(10_000))) {
      assertEquals(first, CanonicalName.resolve(client, "/gfs", CLUSTER));
      for (int i = 0; i < 4; i++) {
        Writer writer = new Writer(i, client, rpc, stop);
        writers.add(writer);
        Thread t = new Thread(writer, "writer-" + i);
        threads.add(t);
        t.start();
      }
      Process active = processes.get(0);
      for (int round = 0; round < 5; round++) {
        CompletableFuture<HostPort> standby = launchMaster();
        Thread.sleep(1500); // the standby joins the election; the writers keep going
        long acknowledgedBefore = writers.stream().mapToLong(w -> w.acknowledged.size()).sum();
        long killedAt = System.nanoTime();
        active.destroyForcibly(); // SIGKILL
        assertTrue(active.waitFor(30, TimeUnit.SECONDS));
        HostPort next = standby.get(120, TimeUnit.SECONDS);
        long firstWriteAfter;
        try {
          firstWriteAfter = awaitWriteAfter(writers, killedAt);
        } catch (AssertionError e) {
          throw new AssertionError("round " + round + ": " + e.getMessage() + masterLogs(), e);
        }
        failoverMillis.add(TimeUnit.NANOSECONDS.toMillis(firstWriteAfter - killedAt));
        assertTrue(writers.stream().mapToLong(w -> w.acknowledged.size()).sum() > acknowledgedBefore);
        assertEquals(next, CanonicalName.resolve(client, "/gfs", CLUSTER));
        active = processes.get(processes.size() - 1);
      }
      stop.set(true);
      for (Thread t : threads) {
        t.join(60_000);
      }
      for (Writer w : writers) {
        assertTrue(w.failure == null, "writer " + w.id + " failed: " + w.failure);
      }
      HostPort last = CanonicalName.resolve(client, "/gfs", CLUSTER);
      long total = 0;
      for (Writer w : writers) {
        total += w.acknowledged.size();
        for (String path : w.acknowledged) {
          assertFalse(rpc.master(last, c -> c.getFileInfo(path)).isDirectory(), path);
        }
        // Unique names: the namespace cannot hold one twice, and none but ours exist in a writer's directory.
        int listed = rpc.master(last, c -> c.listStatus("/w" + w.id)).size();
        assertTrue(listed >= w.acknowledged.size() && listed <= w.acknowledged.size() + 1,
            "writer " + w.id + ": " + listed + " files for " + w.acknowledged.size() + " acknowledged creates");
      }
      List<Long> sorted = new ArrayList<>(failoverMillis);
      Collections.sort(sorted);
      String report = "failover (SIGKILL of the active master to the first acknowledged create), session timeout "
          + SESSION_TIMEOUT_MILLIS + " ms, ms per round: " + failoverMillis + ", median " + sorted.get(2)
          + "; acknowledged creates " + total;
      System.out.println(report);
      Files.writeString(Path.of("target", "ha-failover.txt"), report + "\n");
    }
  }

  private static long awaitWriteAfter(List<Writer> writers, long killedAt) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      for (Writer w : writers) {
        if (w.lastAckAttemptNanos.get() > killedAt) {
          return w.lastAckNanos.get();
        }
      }
      Thread.sleep(5);
    }
    StringBuilder why = new StringBuilder("no write succeeded within 120 s of the kill");
    for (Writer w : writers) {
      why.append("\nwriter ").append(w.id).append(": ").append(w.failure == null ? "still retrying" : w.failure);
    }
    throw new AssertionError(why.toString());
  }

  /** The masters' stderr tails, so a failure in CI says what the processes saw (the temp dir is gone after). */
  private String masterLogs() {
    StringBuilder logs = new StringBuilder();
    for (int i = 0; i < processes.size(); i++) {
      Path log = dir.resolve("stderr-" + i + ".log");
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        logs.append("\n--- master ").append(i).append(" stderr (last 40 lines) ---\n");
        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> logs.append(l).append('\n'));
      } catch (IOException e) {
        logs.append("\n--- master ").append(i).append(": ").append(e);
      }
    }
    return logs.toString();
  }

  @Test
  void aMasterStoppedPastTheSessionTimeoutStepsDownWhenContinued() throws Exception {
    sessionTimeoutMillis = STOPPED_CASE_SESSION_MILLIS;
    startZooKeeper();
    HostPort first = launchMaster().get(120, TimeUnit.SECONDS);
    try (CuratorFramework client = CanonicalName.connect(zk.getConnectString(), 15_000);
        RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(5_000))) {
      for (int i = 0; i < 20; i++) {
        int n = i;
        rpc.master(first, c -> c.create("/before/f" + n, false, true, 1, null, null, (short) -1));
      }
      CompletableFuture<HostPort> standby = launchMaster();
      Thread.sleep(1500);
      Process active = processes.get(0);
      signal(active, "STOP");
      Thread.sleep(3L * sessionTimeoutMillis); // well past the session timeout: the standby wins the election
      assertTrue(active.isAlive());
      signal(active, "CONT");
      // It notices the lost session, refuses to mutate, and exits (code 3) instead of serving on.
      assertTrue(active.waitFor(60, TimeUnit.SECONDS), "the deposed master exits");
      assertEquals(3, active.exitValue());
      HostPort second = standby.get(120, TimeUnit.SECONDS);
      assertEquals(second, CanonicalName.resolve(client, "/gfs", CLUSTER));
      assertEquals(20, rpc.master(second, c -> c.listStatus("/before")).size());
      rpc.master(second, c -> c.create("/after", false, true, 1, null, null, (short) -1));
      String log = Files.readString(dir.resolve("stderr-0.log"));
      assertTrue(log.contains("steps down"), log.length() > 3000 ? log.substring(log.length() - 3000) : log);
    }
  }

  /** Master i of three with its own meta dir and fixed port, shipping its log to the other two (majority rule). */
  private Path replicatedConf(int index, List<Integer> ports) throws IOException {
    List<String> others = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      if (i != index) {
        others.add("127.0.0.1:" + ports.get(i));
      }
    }
    Path conf = dir.resolve("master" + index + ".properties");
    Files.writeString(conf, "gfs.master.meta.dir=" + dir.resolve("meta" + index) + "\ngfs.master.port=" + ports.get(index)
        + "\ngfs.master.ha.enabled=true\ngfs.master.log.replicas=" + String.join(",", others)
        + "\ngfs.master.log.acks.required=majority\ngfs.cluster.name=" + CLUSTER + "\ngfs.zookeeper.connect="
        + zk.getConnectString() + "\ngfs.zookeeper.session.timeout.ms=" + SESSION_TIMEOUT_MILLIS + "\n");
    return conf;
  }

  @Test
  void sigkillWithTheReplicatedLogOnThreeMastersLosesNothingAcknowledged() throws Exception {
    startZooKeeper();
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
        ports.add(socket.getLocalPort());
      }
    }
    List<CompletableFuture<HostPort>> ready = new ArrayList<>();
    List<Process> byIndex = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ready.add(launchMaster(replicatedConf(i, ports)));
      byIndex.add(processes.get(processes.size() - 1));
    }
    List<Long> failoverMillis = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Writer> writers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    try (CuratorFramework client = CanonicalName.connect(zk.getConnectString(), 15_000);
        RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(10_000))) {
      int active = awaitReady(ready, byIndex, ports);
      for (int i = 0; i < 4; i++) {
        Writer writer = new Writer(i, client, rpc, stop);
        writers.add(writer);
        Thread t = new Thread(writer, "writer-" + i);
        threads.add(t);
        t.start();
      }
      for (int round = 0; round < 5; round++) {
        Thread.sleep(1500);
        long killedAt = System.nanoTime();
        byIndex.get(active).destroyForcibly(); // SIGKILL
        assertTrue(byIndex.get(active).waitFor(30, TimeUnit.SECONDS));
        int killed = active;
        ready.set(killed, new CompletableFuture<>()); // not a candidate until relaunched below
        active = awaitReady(ready, byIndex, ports);
        long firstWriteAfter;
        try {
          firstWriteAfter = awaitWriteAfter(writers, killedAt);
        } catch (AssertionError e) {
          throw new AssertionError("round " + round + ": " + e.getMessage() + masterLogs(), e);
        }
        failoverMillis.add(TimeUnit.NANOSECONDS.toMillis(firstWriteAfter - killedAt));
        ready.set(killed, launchMaster(replicatedConf(killed, ports))); // back as a standby, caught up
        byIndex.set(killed, processes.get(processes.size() - 1));
      }
      stop.set(true);
      for (Thread t : threads) {
        t.join(60_000);
      }
      HostPort last = CanonicalName.resolve(client, "/gfs", CLUSTER);
      long total = 0;
      for (Writer w : writers) {
        assertTrue(w.failure == null, "writer " + w.id + " failed: " + w.failure);
        total += w.acknowledged.size();
        for (String path : w.acknowledged) {
          try {
            assertFalse(rpc.master(last, c -> c.getFileInfo(path)).isDirectory(), path);
          } catch (GfsException e) {
            throw new AssertionError("acknowledged " + path + " is gone: " + e.getMessage() + masterLogs(), e);
          }
        }
      }
      List<Long> sorted = new ArrayList<>(failoverMillis);
      Collections.sort(sorted);
      String report = "replicated log, 3 masters, majority: failover (SIGKILL to the first acknowledged create), "
          + "session timeout " + SESSION_TIMEOUT_MILLIS + " ms, ms per round: " + failoverMillis + ", median "
          + sorted.get(2) + "; acknowledged creates " + total;
      System.out.println(report);
      Files.writeString(Path.of("target", "ha-failover-replicated.txt"), report + "\n");
    }
  }

  /** Index of the master that serves next; masters that stepped aside (exit 1, a peer was ahead) are relaunched. */
  private int awaitReady(List<CompletableFuture<HostPort>> ready, List<Process> byIndex, List<Integer> ports)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < ready.size(); i++) {
        CompletableFuture<HostPort> f = ready.get(i);
        if (f.isDone() && !f.isCompletedExceptionally()) {
          ready.set(i, new CompletableFuture<>()); // consumed: this one is the active master now
          return i;
        }
        if (f.isCompletedExceptionally()) { // no ready line: the process ended (stepped aside, exit 1)
          ready.set(i, launchMaster(replicatedConf(i, ports)));
          byIndex.set(i, processes.get(processes.size() - 1));
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no master served within 120 s; stderr of the last: " + stderrTail());
  }

  private String stderrTail() throws IOException {
    Path last = dir.resolve("stderr-" + (processes.size() - 1) + ".log");
    String log = Files.exists(last) ? Files.readString(last) : "";
    return log.length() > 3000 ? log.substring(log.length() - 3000) : log;
  }
}
