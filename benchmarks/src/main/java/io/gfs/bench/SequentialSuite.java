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
 * instance writing its share to a file of its own; then random 4 KiB positioned reads of the one-client file.
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
    List<Measurement> out = new ArrayList<>();
    warmUp(context, config.sequentialBytes() / WARM_UP_FRACTION);
    for (String system : BenchContext.SYSTEMS) {
      for (int clients : config.sequentialClients()) {
        Path dir = new Path("/bench/seq/c" + clients);
        long perClientBytes = config.sequentialBytes() / clients;
        long totalBytes = perClientBytes * clients;
        long writeNanos = Parallel.run(clients,
            i -> write(context, system, new Path(dir, "part-" + i), perClientBytes));
        out.add(throughput(system, "sequential write", clients, totalBytes, writeNanos,
            "each client (own FileSystem instance) writes " + human(perClientBytes) + " with 1 MiB write() calls to its"
                + " own file; wall time from the common start until the last close() returned"));
        context.progress("%s sequential write x%d: %.1f MiB/s", system, clients, totalBytes / MIB / (writeNanos / 1e9));
        long readNanos = Parallel.run(clients, i -> read(context, system, new Path(dir, "part-" + i), perClientBytes));
        out.add(throughput(system, "sequential read", clients, totalBytes, readNanos,
            "each client reads its own " + human(perClientBytes) + " file start to end with 1 MiB read() calls"
                + " (checksums verified by both systems)"));
        context.progress("%s sequential read x%d: %.1f MiB/s", system, clients, totalBytes / MIB / (readNanos / 1e9));
      }
      Path preadFile = new Path("/bench/seq/c" + config.sequentialClients().get(0), "part-0");
      long fileBytes = config.sequentialBytes() / config.sequentialClients().get(0);
      for (int threads : config.preadThreads()) {
        int perThread = config.preadCount() / threads;
        long nanos = Parallel.run(threads, i -> preads(context, system, preadFile, fileBytes, perThread, i));
        double opsPerSecond = (double) perThread * threads / (nanos / 1e9);
        out.add(new Measurement("pread", "random 4 KiB pread", system, threads, opsPerSecond, "ops/s", true,
            threads + " thread(s), each with its own FileSystem and open stream, " + perThread + " readFully(position)"
                + " of 4 KiB at uniformly random 4 KiB-aligned offsets of a " + human(fileBytes)
                + " file, each checked against the bytes written; ops / wall time"));
        context.progress("%s random 4 KiB pread x%d: %.0f ops/s", system, threads, opsPerSecond);
      }
      try (FileSystem fs = context.clusters().newClient(system)) {
        fs.delete(new Path("/bench/seq"), true);
      }
    }
    return out;
  }

  /**
   * Writes and reads a file on each system, untimed, so neither system's first measured workload also pays for class
   * loading, JIT compilation and first connections.
   */
  private static void warmUp(BenchContext context, long bytes) throws IOException {
    for (String system : BenchContext.SYSTEMS) {
      Path file = new Path("/bench/warm-up");
      write(context, system, file, bytes);
      read(context, system, file, bytes);
      try (FileSystem fs = context.clusters().newClient(system)) {
        fs.delete(file, false);
      }
    }
    context.progress("warmed up both systems with %s written and read on each", human(bytes));
  }

  private static Measurement throughput(String system, String workload, int clients, long bytes, long nanos,
      String method) {
    return new Measurement("seq", workload, system, clients, bytes / MIB / (nanos / 1e9), "MiB/s", true, method);
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
