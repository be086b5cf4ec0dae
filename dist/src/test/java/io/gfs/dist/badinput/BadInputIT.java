package io.gfs.dist.badinput;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.dist.MasterGauges;
import io.gfs.dist.MiniGfsCluster;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.MasterService;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;

/**
 * Bad input at every port of a real cluster (a master and three chunkservers, in this JVM so their heap can be
 * measured): the catalogue of {@link BadInputs} at each port, while a thousand idle connections and four dozen
 * stalled half-sent frames are held open at each port, and a control client measures a cheap call's latency at the
 * master and at every chunkserver. Every bad input must get a clear error or a closed connection; every control call
 * must be answered; metadata and chunk counts must not change; heap after GC must stay within
 * {@link #HEAP_GROWTH_BYTES_MAX} of what it was before; and the cluster must write and read a file afterwards.
 * The control latency (p50, p99, max) is printed, not asserted (timings on a shared 2-core machine are not a property
 * of the code); the figures and the count of bad inputs go to target/reliability/bad-input.tsv for docs/reliability.md.
 */
class BadInputIT {
  static final int IDLE_PER_PORT = 1000;
  static final int STALLED_PER_PORT = 48;
  /** What a stalled client declares and then never finishes sending. */
  static final int STALLED_FRAME_BYTES = 64 << 10;
  static final long HEAP_GROWTH_BYTES_MAX = 256L << 20;
  private static final int WAIT_MILLIS = 20_000;

  @Test
  void everyPortSurvivesBadInputAndFloods() throws Exception {
    Path dir = Path.of("target", "it", "bad-input").toAbsolutePath();
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(dir).chunkServers(3).chunkSizeBytes(1 << 20)
        .separateProcesses(false).zookeeper(false).build();
        RpcClients control = new RpcClients(RpcLimits.defaults().withCallTimeoutMillis(30_000));
        FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
      byte[] before = writeAndRead(fs, "/before", 3 * (1 << 20) + 17);
      MasterGauges.awaitChunkLengthsLogged(cluster); // logged by the master's timers: not during the attack below
      List<HostPort> ports = new ArrayList<>();
      ports.add(cluster.masterAddress());
      for (int i = 0; i < 3; i++) {
        ports.add(cluster.chunkServerAddress(i));
      }
      ClusterStatus statusBefore = cluster.clusterStatus();
      long heapBefore = heapAfterGc();

      List<Socket> held = new ArrayList<>();
      ExecutorService attackers = Executors.newFixedThreadPool(4);
      LatencyRecorder latencies = new LatencyRecorder();
      Map<RawConnection.Answer, Long> answers = new EnumMap<>(RawConnection.Answer.class);
      long tried = 0;
      try {
        for (HostPort port : ports) {
          holdIdle(port, IDLE_PER_PORT, held);
          holdStalled(port, STALLED_PER_PORT, held);
        }
        long heapFlooded = heapAfterGc();
        System.out.printf("BadInputIT: %d connections held open (%d idle + %d stalled per port, %d ports); heap after"
            + " GC %d MiB before, %d MiB with them%n", held.size(), IDLE_PER_PORT, STALLED_PER_PORT, ports.size(),
            heapBefore >> 20, heapFlooded >> 20);
        assertTrue(heapFlooded - heapBefore < HEAP_GROWTH_BYTES_MAX,
            "heap grew by " + ((heapFlooded - heapBefore) >> 20) + " MiB with the connections held");

        List<Future<Map<RawConnection.Answer, Long>>> runs = new ArrayList<>();
        int frameMax = RpcLimits.defaults().frameBytesMax();
        for (int i = 0; i < ports.size(); i++) {
          HostPort port = ports.get(i);
          List<BadInputs.BadInput> inputs = BadInputs.all(i == 0, frameMax, 1000 + i);
          tried += inputs.size();
          runs.add(attackers.submit(() -> sendAll(port, inputs)));
        }
        controlCalls(control, ports, latencies, runs);
        for (Future<Map<RawConnection.Answer, Long>> run : runs) {
          run.get().forEach((answer, count) -> answers.merge(answer, count, Long::sum));
        }
        assertEquals(0L, answers.getOrDefault(RawConnection.Answer.NOTHING, 0L),
            "bad inputs left without an answer or a close: " + answers);
      } finally {
        attackers.shutdownNow();
        for (Socket s : held) {
          s.close();
        }
      }
      System.out.printf("BadInputIT: %d bad inputs tried (%s); control calls %d, p50 %.1f ms, p99 %.1f ms, max %.1f"
          + " ms%n", tried, answers, latencies.count(), latencies.percentileMillis(50),
          latencies.percentileMillis(99), latencies.percentileMillis(100));

      ClusterStatus statusAfter = cluster.clusterStatus();
      assertEquals(statusBefore.getLastLogSequence(), statusAfter.getLastLogSequence(), "nothing was logged");
      assertEquals(statusBefore.getFileCount(), statusAfter.getFileCount());
      assertEquals(statusBefore.getChunkCount(), statusAfter.getChunkCount());
      assertEquals(3, statusAfter.getChunkServersSize(), "every chunkserver still registered");
      byte[] again = new byte[before.length];
      try (FSDataInputStream in = fs.open(new org.apache.hadoop.fs.Path("/before"))) {
        in.readFully(0, again);
      }
      assertArrayEquals(before, again, "data written before the attack reads back unchanged");
      writeAndRead(fs, "/after", 2 * (1 << 20) + 5);
      writeRow(tried, latencies);
    }
  }

  /** Cheap calls at the master and each chunkserver until the attackers finish (at least 200). */
  private static void controlCalls(RpcClients control, List<HostPort> ports, LatencyRecorder latencies,
      List<? extends Future<?>> attacks) throws Exception {
    int round = 0;
    while (round < 200 || attacks.stream().anyMatch(f -> !f.isDone())) {
      HostPort port = ports.get(round % ports.size());
      long start = System.nanoTime();
      if (port.equals(ports.get(0))) {
        control.master(port, MasterService.Client::getClusterStatus);
      } else {
        try {
          control.chunkServer(port, c -> c.getChunkChecksum(Long.MAX_VALUE, 1, null));
          throw new AssertionError("a chunk that does not exist has a checksum at " + port);
        } catch (GfsException expected) {
          // a typed answer is an answer: the server served the call
        }
      }
      latencies.add(System.nanoTime() - start);
      round++;
    }
  }

  private static Map<RawConnection.Answer, Long> sendAll(HostPort port, List<BadInputs.BadInput> inputs)
      throws IOException {
    Map<RawConnection.Answer, Long> counts = new EnumMap<>(RawConnection.Answer.class);
    for (BadInputs.BadInput input : inputs) {
      RawConnection.Answer answer = RawConnection.send(port, input, WAIT_MILLIS);
      if (answer == RawConnection.Answer.NOTHING) {
        System.out.printf("BadInputIT: no answer from %s to '%s'%n", port, input.name());
      }
      counts.merge(answer, 1L, Long::sum);
    }
    return counts;
  }

  private static void holdIdle(HostPort port, int count, List<Socket> held) throws IOException {
    for (int i = 0; i < count; i++) {
      held.add(new Socket(port.host(), port.port()));
    }
  }

  private static void holdStalled(HostPort port, int count, List<Socket> held) throws IOException {
    byte[] half = Arrays.copyOf(BadInputs.header(STALLED_FRAME_BYTES), 4 + STALLED_FRAME_BYTES / 2);
    for (int i = 0; i < count; i++) {
      Socket s = new Socket(port.host(), port.port());
      OutputStream out = s.getOutputStream();
      out.write(half);
      out.flush();
      held.add(s);
    }
  }

  private static byte[] writeAndRead(FileSystem fs, String name, int length) throws IOException {
    byte[] data = new byte[length];
    new java.util.SplittableRandom(length).nextBytes(data);
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(name);
    try (FSDataOutputStream out = fs.create(path)) {
      out.write(data);
    }
    byte[] back = new byte[length];
    try (FSDataInputStream in = fs.open(path)) {
      in.readFully(0, back);
    }
    assertArrayEquals(data, back);
    return data;
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * The row of docs/reliability.md's table, in the reliability suite's TSV columns (ScenarioRow.HEADER); the test
   * has already failed if any bad input went unanswered or any control call failed, so violations is 0 here.
   */
  private static void writeRow(long tried, LatencyRecorder latencies) throws IOException {
    Path dir = Path.of("target", "reliability");
    Files.createDirectories(dir);
    String header = String.join("\t", "scenario", "seed", "operations", "faults", "acknowledged_lost",
        "corrupt_bytes", "bad_inputs", "violations");
    String row = String.join("\t", "bad-input-every-port", "-", Long.toString(latencies.count() + 2), "-", "0",
        "0", Long.toString(tried), "0");
    Files.writeString(dir.resolve("bad-input.tsv"), header + "\n" + row + "\n");
  }

  /** Latencies in nanoseconds; percentiles by rank. */
  static final class LatencyRecorder {
    private final List<Long> nanos = new ArrayList<>();

    synchronized void add(long value) {
      nanos.add(value);
    }

    synchronized long count() {
      return nanos.size();
    }

    synchronized double percentileMillis(double percentile) {
      if (nanos.isEmpty()) {
        return Double.NaN;
      }
      List<Long> sorted = new ArrayList<>(nanos);
      sorted.sort(null);
      int rank = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank))) / 1e6;
    }
  }
}
