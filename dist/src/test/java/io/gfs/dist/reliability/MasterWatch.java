package io.gfs.dist.reliability;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.thrift.gen.MasterService;
import io.gfs.zk.CanonicalName;
import io.gfs.zk.ZnodeLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;

/**
 * Watches who leads, for the {@link EpochChecker}: every 100 ms it reads the cluster's alias and epoch znodes
 * (an election is a change of either), and asks every master address the alias has ever named, all at the same
 * moment, for its role; each "active" answer becomes a claim with the interval of its call.
 */
final class MasterWatch implements AutoCloseable {
  private static final long POLL_MILLIS = 100;

  private final CuratorFramework zk;
  private final String alias;
  private final String epoch;
  private final RpcClients rpc = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(1_000));
  private final ExecutorService probes = Executors.newCachedThreadPool();
  private final Set<HostPort> masters = new LinkedHashSet<>();
  private final List<EpochChecker.Election> elections = new ArrayList<>();
  private final List<EpochChecker.ActiveClaim> claims = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopping;
  private String lastAlias = "";
  private long lastEpoch = Long.MIN_VALUE;

  MasterWatch(String zooKeeperConnect, String cluster) throws java.io.IOException {
    this.zk = CanonicalName.connect(zooKeeperConnect, 10_000);
    this.alias = ZnodeLayout.alias("/gfs", cluster);
    this.epoch = ZnodeLayout.epoch("/gfs", cluster);
    this.thread = new Thread(this::loop, "master-watch");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void loop() {
    while (!stopping) {
      pollZooKeeper();
      probeMasters();
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void pollZooKeeper() {
    // The epoch is read on both sides of the alias (one client's reads are ordered), so a term that began between the
    // two reads is never paired with the previous term's alias; such a poll is simply retried at the next tick.
    String before = read(epoch);
    String named = read(alias);
    String e = read(epoch);
    if (!e.equals(before)) {
      return;
    }
    long epochNow = e.isEmpty() ? Long.MIN_VALUE : Long.parseLong(e.trim());
    if (!named.isEmpty() && (!named.equals(lastAlias) || epochNow != lastEpoch)) {
      synchronized (elections) {
        elections.add(new EpochChecker.Election(epochNow, named, System.nanoTime()));
      }
      synchronized (masters) {
        masters.add(HostPort.parse(named));
      }
      lastAlias = named;
      lastEpoch = epochNow;
    }
  }

  private String read(String path) {
    try {
      return new String(zk.getData().forPath(path), StandardCharsets.UTF_8);
    } catch (Exception absentOrUnreachable) {
      return "";
    }
  }

  private void probeMasters() {
    List<HostPort> known;
    synchronized (masters) {
      known = List.copyOf(masters);
    }
    List<Future<?>> calls = new ArrayList<>();
    for (HostPort master : known) {
      calls.add(probes.submit(() -> probe(master)));
    }
    for (Future<?> f : calls) {
      try {
        f.get(5, TimeUnit.SECONDS);
      } catch (Exception slow) {
        // a paused or dead master answers nothing: no claim
      }
    }
  }

  private void probe(HostPort master) {
    long asked = System.nanoTime();
    try {
      String role = rpc.master(master, MasterService.Client::getClusterStatus).getRole();
      long answered = System.nanoTime();
      if ("active".equals(role)) {
        synchronized (claims) {
          claims.add(new EpochChecker.ActiveClaim(master.toString(), asked, answered));
        }
      }
    } catch (Exception notServing) {
      rpc.forget(master);
    }
  }

  List<EpochChecker.Election> elections() {
    synchronized (elections) {
      return List.copyOf(elections);
    }
  }

  List<EpochChecker.ActiveClaim> claims() {
    synchronized (claims) {
      return List.copyOf(claims);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.interrupt();
    thread.join(10_000);
    probes.shutdownNow();
    rpc.close();
    zk.close();
  }
}
