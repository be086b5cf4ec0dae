package io.gfs.bench;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Sequential write and read of the configured total (1 GiB) by 1 and 4 clients, each client its own FileSystem
 * instance writing its share to a file of its own; at one client, random 4 KiB positioned reads of that file.
 *
 * <p>A figure is the median of {@link BenchConfig#throughputRounds()} rounds (see {@link Rounds}). In a round each
 * client count is a cell, run on both systems back to back with the first system alternating: write, read, the
 * preads (one client), delete. Before, all of gfs's phases ran before all of HDFS's, and HDFS's single figure moved a
 * lot between two quiet runs (write x1 97 MiB/s in one, 146 in the next: the ratio went from 1.71x to 1.15x).
 */
final class SequentialSuite implements Suite {
  private static final double MIB = 1 << 20;
  /**
   * The untimed warm-up moves this fraction of the measured size on each system first (256 MiB of 1 GiB). A sixteenth
   * (64 MiB) left gfs's push path, which runs once per 1 MiB piece, largely uncompiled when its write x1 was measured
   * first: the JIT compilers took 14-23% of the process's samples in gfs's write windows (session 8, perf), where
   * HDFS's per-64 KiB-packet code had been called sixteen times as often by its own warm-up.
   */
  private static final int WARM_UP_FRACTION = 4;
  /** How a round's cell runs, for the method texts. */
  private static final String CELL = " (a cell: write, read, at one client the preads, then delete and wait until the"
      + " deleted files have left the disk, so each system starts its cell from the same page-cache and disk state)";

  @Override
  public String name() {
    return "seq";
  }

  @Override
  public boolean needsClusters() {
    return true;
  }

  @Override
  public List<Measurement> run(BenchContext context) throws IOException {
    BenchConfig config = context.config();
    long warmUpBytes = config.sequentialBytes() / WARM_UP_FRACTION;
    warmUp(context, warmUpBytes);
    List<Integer> clientCounts = config.sequentialClients();
    int preadClients = clientCounts.get(0);
    long preadFileBytes = config.sequentialBytes() / preadClients;
    Rounds rounds = new Rounds();
    for (int round = 1; round <= config.throughputRounds(); round++) {
      for (int cell = 0; cell < clientCounts.size(); cell++) {
        int clients = clientCounts.get(cell);
        List<String> order = Rounds.systemsInOrder(round - 1, cell);
        for (String system : order) {
          cell(context, rounds, system, round, system.equals(order.get(0)), clients, clients == preadClients);
        }
      }
    }
    String warmedUp = "; after an untimed warm-up (" + human(warmUpBytes) + " written and read on each system)";
    List<Measurement> out = new ArrayList<>();
    for (String system : BenchContext.SYSTEMS) {
      for (int clients : clientCounts) {
        long perClientBytes = config.sequentialBytes() / clients;
        String write = "write x" + clients;
        out.add(new Measurement("seq", "sequential write", system, clients, rounds.median(system, write), "MiB/s",
            true, "each client (own FileSystem instance) writes " + human(perClientBytes) + " with 1 MiB write()"
                + " calls to its own file; wall time from the common start until the last close() returned; "
                + rounds.describe(system, write, "MiB/s", "%.1f") + CELL + warmedUp));
        String read = "read x" + clients;
        out.add(new Measurement("seq", "sequential read", system, clients, rounds.median(system, read), "MiB/s",
            true, "each client reads its own " + human(perClientBytes) + " file start to end with 1 MiB read() calls"
                + " (checksums verified by both systems), right after writing it; "
                + rounds.describe(system, read, "MiB/s", "%.1f") + CELL + warmedUp));
        context.progress("%s sequential x%d: write %.1f MiB/s, read %.1f MiB/s (medians of %d rounds)", system,
            clients, rounds.median(system, write), rounds.median(system, read), config.throughputRounds());
      }
      for (int threads : config.preadThreads()) {
        int perThread = config.preadCount() / threads;
        String pread = "pread x" + threads;
        out.add(new Measurement("pread", "random 4 KiB pread", system, threads, rounds.median(system, pread),
            "ops/s", true, threads + " thread(s), each with its own FileSystem and open stream, " + perThread
                + " readFully(position) of 4 KiB at uniformly random 4 KiB-aligned offsets of the " + human(
                preadFileBytes) + " file the x" + preadClients + " write made that round (after its read), each"
                + " checked against the bytes written; ops / wall time; " + rounds.describe(system, pread, "ops/s",
                "%.0f") + CELL + warmedUp));
      }
    }
    return out;
  }

  /**
   * One system's cell of one round: {@code clients} clients write the configured total, read it back, at one client
   * the preads of that file, then the files are deleted.
   */
  private static void cell(BenchContext context, Rounds rounds, String system, int round, boolean first, int clients,
      boolean preads) throws IOException {
    BenchConfig config = context.config();
    Path dir = new Path("/bench/seq/c" + clients);
    long perClientBytes = config.sequentialBytes() / clients;
    double totalMiB = perClientBytes * clients / MIB;
    long bytesBefore = FreedData.bytesUnder(context.clusters().dir(system));
    long writeNanos = Parallel.run(clients, i -> write(context, system, new Path(dir, "part-" + i), perClientBytes));
    rounds.add(system, "write x" + clients, round, totalMiB / (writeNanos / 1e9), first);
    long readNanos = Parallel.run(clients, i -> read(context, system, new Path(dir, "part-" + i), perClientBytes));
    rounds.add(system, "read x" + clients, round, totalMiB / (readNanos / 1e9), first);
    context.progress("%s sequential x%d round %d: write %.1f MiB/s, read %.1f MiB/s", system, clients, round,
        totalMiB / (writeNanos / 1e9), totalMiB / (readNanos / 1e9));
    if (preads) {
      Path file = new Path(dir, "part-0");
      for (int threads : config.preadThreads()) {
        int perThread = config.preadCount() / threads;
        long nanos = Parallel.run(threads, i -> preads(context, system, file, perClientBytes, perThread, i));
        double opsPerSecond = (double) perThread * threads / (nanos / 1e9);
        rounds.add(system, "pread x" + threads, round, opsPerSecond, first);
        context.progress("%s random 4 KiB pread x%d round %d: %.0f ops/s", system, threads, round, opsPerSecond);
      }
    }
    try (FileSystem fs = context.clusters().newClient(system)) {
      fs.delete(dir, true);
    }
    FreedData.awaitDeleted(context, system, bytesBefore);
  }

  /**
   * Writes and reads a file on each system, untimed, so neither system's first measured workload also pays for class
   * loading, JIT compilation and first connections.
   */
  private static void warmUp(BenchContext context, long bytes) throws IOException {
    for (String system : BenchContext.SYSTEMS) {
      Path file = new Path("/bench/warm-up");
      long bytesBefore = FreedData.bytesUnder(context.clusters().dir(system));
      write(context, system, file, bytes);
      read(context, system, file, bytes);
      try (FileSystem fs = context.clusters().newClient(system)) {
        fs.delete(file, false);
      }
      FreedData.awaitDeleted(context, system, bytesBefore);
    }
    context.progress("warmed up both systems with %s written and read on each", human(bytes));
  }

  private static void write(BenchContext context, String system, Path file, long bytes) throws IOException {
    byte[] data = TestBytes.buffer();
    try (FileSystem fs = context.clusters().newClient(system);
         FSDataOutputStream out = fs.create(file, true)) {
      long left = bytes;
      while (left > 0) {
        int n = (int) Math.min(left, data.length);
        out.write(data, 0, n);
        left -= n;
      }
    }
  }

  private static void read(BenchContext context, String system, Path file, long bytes) throws IOException {
    byte[] buffer = new byte[TestBytes.BUFFER_BYTES];
    long total = 0;
    try (FileSystem fs = context.clusters().newClient(system); FSDataInputStream in = fs.open(file)) {
      int n;
      while ((n = in.read(buffer, 0, buffer.length)) > 0) {
        total += n;
      }
    }
    if (total != bytes) {
      throw new EOFException(system + " " + file + ": read " + total + " bytes, wrote " + bytes);
    }
  }

  private static void preads(BenchContext context, String system, Path file, long fileBytes, int count, int index)
      throws IOException {
    SplittableRandom random = new SplittableRandom(1000 + index);
    byte[] buffer = new byte[BenchConfig.PREAD_BYTES];
    long slots = fileBytes / BenchConfig.PREAD_BYTES;
    try (FileSystem fs = context.clusters().newClient(system); FSDataInputStream in = fs.open(file)) {
      byte[] written = TestBytes.buffer();
      for (int i = 0; i < count; i++) {
        long at = random.nextLong(slots) * BenchConfig.PREAD_BYTES;
        in.readFully(at, buffer, 0, buffer.length);
        // The file is the test buffer over and over; 4 KiB-aligned reads never straddle two copies of it.
        int from = (int) (at % written.length);
        if (!Arrays.equals(buffer, 0, buffer.length, written, from, from + buffer.length)) {
          throw new IOException(system + " " + file + ": pread at " + at + " returned other bytes than written");
        }
      }
    }
  }

  static String human(long bytes) {
    if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + " GiB";
    }
    if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    return (bytes >> 10) + " KiB";
  }
}
