package io.gfs.bench;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.thrift.TException;

/**
 * A checkpoint of a big namespace cut while clients mutate it: 8 threads send mkdirs to the master over Thrift; the
 * master's checkpoint trigger fires at commit {@link #TRIGGER_AFTER_RECORDS} of the load. The checkpoint time runs
 * from the moment that commit was acknowledged until the new checkpoint file is in the meta directory (polled every
 * millisecond); the clients' worst latency inside that window shows how long the state copy blocked them.
 */
final class CheckpointUnderLoad {
  static final int TRIGGER_AFTER_RECORDS = 2000;
  private static final int THREADS = 8;
  private static final long WAIT_NANOS_MAX = 300_000_000_000L;

  private final HostPort master;
  private final Path metaDir;
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong triggeredAtNanos = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();

  /** One acknowledged mkdir: when it ended and how long it took. */
  private record Op(long endNanos, long latencyNanos) {}

  CheckpointUnderLoad(HostPort master, Path metaDir) {
    this.master = master;
    this.metaDir = metaDir;
  }

  List<Measurement> run(BenchContext context) throws IOException {
    long checkpointsBefore = checkpointCount();
    List<List<Op>> ops = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      ops.add(new ArrayList<>());
    }
    long[] window = new long[2];
    try (RpcClients rpc = new RpcClients(RpcLimits.defaults())) {
      Thread watcher = new Thread(() -> watch(checkpointsBefore, window), "checkpoint-watcher");
      watcher.start();
      Parallel.run(THREADS, i -> load(rpc, i, ops.get(i)));
      join(watcher);
    }
    if (window[1] == 0) {
      throw new IOException("no checkpoint appeared in " + metaDir + " within " + WAIT_NANOS_MAX / 1e9 + " s");
    }
    long startNanos = window[0];
    long endNanos = window[1];
    double seconds = (endNanos - startNanos) / 1e9;
    long worstInside = 0;
    long before = 0;
    long beforeStart = Long.MAX_VALUE;
    long inside = 0;
    for (List<Op> list : ops) {
      for (Op op : list) {
        if (op.endNanos >= startNanos && op.endNanos <= endNanos) {
          worstInside = Math.max(worstInside, op.latencyNanos);
          inside++;
        } else if (op.endNanos < startNanos) {
          before++;
          beforeStart = Math.min(beforeStart, op.endNanos - op.latencyNanos);
        }
      }
    }
    double opsBefore = before / ((startNanos - beforeStart) / 1e9);
    double opsInside = inside / seconds;
    context.progress("checkpoint while serving: %.2f s, worst mkdir inside %.1f ms, %.0f ops/s inside vs %.0f before",
        seconds, worstInside / 1e6, opsInside, opsBefore);
    String how = THREADS + " threads send mkdirs over Thrift to a MasterServer recovered from the scale checkpoint;"
        + " the checkpoint trigger fires at commit " + TRIGGER_AFTER_RECORDS + " of the load";
    return List.of(
        new Measurement("scale", "checkpoint write while serving", "gfs-master", THREADS, seconds, "s", false,
            how + "; from that commit's acknowledgement until the new checkpoint file exists (polled every ms)"),
        new Measurement("scale", "worst mkdir latency during checkpoint", "gfs-master", THREADS,
            worstInside / 1e6, "ms", false, how + "; longest single mkdir that finished inside the checkpoint window"),
        new Measurement("scale", "mkdir throughput during checkpoint / before", "gfs-master", THREADS,
            opsInside / opsBefore, "ratio", true, how + "; acknowledged mkdirs per second inside the window over"
                + " those before it"));
  }

  private void load(RpcClients rpc, int thread, List<Op> ops) throws IOException {
    try {
      for (int j = 0; !stop.get(); j++) {
        String path = "/load/t" + thread + "/d" + j;
        long start = System.nanoTime();
        rpc.master(master, c -> c.mkdirs(path, null, null, (short) -1));
        long end = System.nanoTime();
        ops.add(new Op(end, end - start));
        if (acknowledged.incrementAndGet() == TRIGGER_AFTER_RECORDS) {
          triggeredAtNanos.set(end);
        }
      }
    } catch (TException e) {
      stop.set(true);
      throw new IOException("mkdirs on " + master + ": " + e, e);
    }
  }

  private void watch(long checkpointsBefore, long[] window) {
    long deadline = System.nanoTime() + WAIT_NANOS_MAX;
    try {
      while (System.nanoTime() < deadline && !stop.get()) {
        if (triggeredAtNanos.get() != 0 && checkpointCount() > checkpointsBefore) {
          window[0] = triggeredAtNanos.get();
          window[1] = System.nanoTime();
          // Keep the load going a little so the "before" and "inside" rates come from the same steady state.
          Thread.sleep(200);
          return;
        }
        Thread.sleep(1);
      }
    } catch (InterruptedException | IOException e) {
      Thread.currentThread().interrupt();
    } finally {
      stop.set(true);
    }
  }

  private long checkpointCount() throws IOException {
    try (Stream<Path> files = Files.list(metaDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".ckpt")).count();
    }
  }

  private static void join(Thread t) throws IOException {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
