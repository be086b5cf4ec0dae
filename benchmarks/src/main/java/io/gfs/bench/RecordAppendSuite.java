package io.gfs.bench;

import io.gfs.common.Check;
import io.gfs.hadoop.GfsFileSystem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Record append [0104]: 1, 4 and 16 concurrent writers appending fixed-size records into ONE gfs file, each call
 * returning once every replica holds the record. HDFS cannot append to one file from several writers, so its best
 * alternative runs beside it: one file per writer, each record written and then hflush()ed (acknowledged by the
 * whole pipeline, as a gfs record append is) before the next.
 *
 * <p>A figure is the median of {@link BenchConfig#throughputRounds()} rounds (see {@link Rounds}): in a round each
 * writer count is a cell, run on both systems back to back with the first system alternating, and gfs's one
 * sequential writer, the 16-appender goal's reference, runs right after gfs's 16 appenders in every round; the goal
 * takes the median of the rounds' ratios.
 */
final class RecordAppendSuite implements Suite {
  private static final double MIB = 1 << 20;
  private static final int WARM_UP_FRACTION = 4;
  private static final int WARM_UP_WRITERS = 4;
  /** The workload name of gfs's one sequential writer measured in this suite (no HDFS counterpart). */
  static final String SINGLE_WRITER = "single sequential writer (reference)";
  /** The workload name of the median, over rounds, of the most appenders' aggregate over that round's single writer. */
  static final String SAME_ROUND_RATIO = "record append / single sequential writer, same round";
  /** A record-append cell's name in {@link Rounds}, followed by its writer count. */
  private static final String CELL_PREFIX = "record append x";

  @Override
  public String name() {
    return "append";
  }

  @Override
  public boolean needsClusters() {
    return true;
  }

  @Override
  public List<Measurement> run(BenchContext context) throws IOException {
    BenchConfig config = context.config();
    byte[] record = Arrays.copyOf(TestBytes.buffer(), config.recordBytes());
    long warmUpPerWriter = Math.max(1, config.appendBytes() / WARM_UP_FRACTION / WARM_UP_WRITERS / record.length);
    warmUp(context, record, warmUpPerWriter);
    List<Integer> writerCounts = config.appendWriters();
    int mostWriters = Collections.max(writerCounts);
    Rounds rounds = new Rounds();
    for (int round = 1; round <= config.throughputRounds(); round++) {
      for (int cell = 0; cell < writerCounts.size(); cell++) {
        int writers = writerCounts.get(cell);
        List<String> order = Rounds.systemsInOrder(round - 1, cell);
        for (String system : order) {
          boolean first = system.equals(order.get(0));
          long perWriter = perWriter(config, writers, record);
          long nanos = append(context, system, "w" + writers, writers, perWriter, record);
          double mibPerSecond = perWriter * writers * record.length / MIB / (nanos / 1e9);
          rounds.add(system, CELL_PREFIX + writers, round, mibPerSecond, first);
          context.progress("%s record append x%d round %d: %.1f MiB/s", system, writers, round, mibPerSecond);
          if (Measurement.GFS.equals(system) && writers == mostWriters) {
            double single = singleWriter(context, perWriter * writers * record.length);
            rounds.add(system, SINGLE_WRITER, round, single, first);
            context.progress("gfs single sequential writer round %d: %.1f MiB/s; record append x%d / it = %.3fx",
                round, single, writers, mibPerSecond / single);
          }
        }
      }
    }
    String warmedUp = "; each cell's files deleted after it and waited off the disk (at most 60 s) before the next"
        + "; after an untimed warm-up on each system (" + warmUpPerWriter * WARM_UP_WRITERS
        + " record appends by " + WARM_UP_WRITERS + " writers)";
    List<Measurement> out = new ArrayList<>();
    for (String system : BenchContext.SYSTEMS) {
      for (int writers : writerCounts) {
        long perWriter = perWriter(config, writers, record);
        String what = Measurement.GFS.equals(system)
            ? writers + " writer(s), each its own FileSystem instance, " + perWriter + " recordAppend() calls of "
                + SequentialSuite.human(record.length) + " each into ONE shared file; bytes / wall time; "
            : writers + " writer(s), each its own FileSystem instance and its OWN file (HDFS has no concurrent append"
                + " to one file): " + perWriter + " write()+hflush() of " + SequentialSuite.human(record.length)
                + " each; bytes / wall time; ";
        double median = rounds.median(system, CELL_PREFIX + writers);
        out.add(new Measurement("append", "record append", system, writers, median, "MiB/s", true,
            what + rounds.describe(system, CELL_PREFIX + writers, "MiB/s", "%.1f") + warmedUp));
        context.progress("%s record append x%d: %.1f MiB/s (median of %d rounds)", system, writers, median,
            config.throughputRounds());
      }
      if (Measurement.GFS.equals(system)) {
        long bytes = perWriter(config, mostWriters, record) * mostWriters * record.length;
        out.addAll(referenceFigures(context, rounds, mostWriters, bytes, warmedUp));
      }
    }
    return out;
  }

  private static long perWriter(BenchConfig config, int writers, byte[] record) {
    return config.appendBytes() / writers / record.length;
  }

  /**
   * The 16-appender goal's figures ({@link Goal}): gfs's one sequential writer of as many bytes as the most writers
   * appended, measured in every round right after gfs's appenders at that count, and the median of the appenders'
   * aggregate over that writer round by round. The goal takes the ratio of each round's pair, measured back to back
   * under one load, rather than the ratio of the two medians, which may come from different rounds (in one run at load
   * 14-18: per round 0.439, 0.532, 0.814, median 0.532; the medians' ratio 0.445).
   */
  private static List<Measurement> referenceFigures(BenchContext context, Rounds rounds, int writers, long bytes,
      String warmedUp) {
    List<Double> single = rounds.values(Measurement.GFS, SINGLE_WRITER);
    List<Double> appenders = rounds.values(Measurement.GFS, CELL_PREFIX + writers);
    String perRound = sameRoundRatios(appenders, single).stream()
        .map(r -> String.format(Locale.ROOT, "%.3f", r)).collect(Collectors.joining(", "));
    double median = rounds.median(Measurement.GFS, SINGLE_WRITER);
    double ratio = Median.of(sameRoundRatios(appenders, single));
    context.progress("gfs single sequential writer (the append goal's reference): %.1f MiB/s (median of %d rounds);"
        + " record append x%d / it per round: %s, median %.3f", median, single.size(), writers, perRound, ratio);
    Measurement writer = new Measurement("append", SINGLE_WRITER, Measurement.GFS, 1, median, "MiB/s", true,
        "one writer (its own FileSystem instance) creates a file and writes " + SequentialSuite.human(bytes)
            + " (what the " + writers + " appenders wrote) with 1 MiB write() calls, then closes it, in each round"
            + " right after gfs's " + writers + " record appenders; bytes / wall time; "
            + rounds.describe(Measurement.GFS, SINGLE_WRITER, "MiB/s", "%.1f") + " (its appenders' cell)" + warmedUp);
    Measurement same = new Measurement("append", SAME_ROUND_RATIO, Measurement.GFS, writers, ratio, "x", true,
        "gfs record append x" + writers + " aggregate MiB/s / the single sequential writer's MiB/s of the same round"
            + " (measured right after the appenders), per round " + perRound + "; median of " + single.size()
            + " rounds; the 16-appender goal's figure");
    return List.of(writer, same);
  }

  /** Each round's appenders' aggregate over that round's single writer. */
  static List<Double> sameRoundRatios(List<Double> appenders, List<Double> single) {
    Check.argument(appenders.size() == single.size(), "%s rounds of appenders, %s of the single writer",
        appenders.size(), single.size());
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < single.size(); i++) {
      ratios.add(appenders.get(i) / single.get(i));
    }
    return ratios;
  }

  /**
   * One timed sequential write of {@code bytes} by one gfs writer, in MiB/s; the file is deleted after, and its data
   * waited off the disk (as after every cell here: the seq suite's reason, {@link FreedData#awaitDeleted}).
   */
  private static double singleWriter(BenchContext context, long bytes) throws IOException {
    Path file = new Path("/bench/append/single-writer");
    byte[] data = TestBytes.buffer();
    long nanos;
    long bytesBefore = FreedData.bytesUnder(context.clusters().dir(Measurement.GFS));
    try (Clients clients = new Clients(context, Measurement.GFS, 1)) {
      nanos = Parallel.run(1, i -> {
        try (FSDataOutputStream out = clients.get(0).create(file, true)) {
          for (long left = bytes; left > 0; left -= data.length) {
            out.write(data, 0, (int) Math.min(left, data.length));
          }
        }
      });
      clients.get(0).delete(file.getParent(), true);
    }
    FreedData.awaitDeleted(context, Measurement.GFS, bytesBefore);
    return bytes / MIB / (nanos / 1e9);
  }

  /**
   * Runs the workload untimed on each system first (a quarter of the measured bytes, by 4 writers), so the first
   * measured writer count does not also pay for class loading, JIT compilation and first connections; the seq suite
   * does the same.
   */
  private static void warmUp(BenchContext context, byte[] record, long perWriter) throws IOException {
    for (String system : BenchContext.SYSTEMS) {
      append(context, system, "warm-up", WARM_UP_WRITERS, perWriter, record);
    }
    context.progress("warmed up both systems with %d record appends of %s by %d writers on each",
        perWriter * WARM_UP_WRITERS, SequentialSuite.human(record.length), WARM_UP_WRITERS);
  }

  /**
   * Wall time of {@code writers} writers each appending {@code perWriter} records; the directory is deleted after, and
   * its data waited off the disk ({@link FreedData#awaitDeleted}).
   */
  private static long append(BenchContext context, String system, String name, int writers, long perWriter,
      byte[] record) throws IOException {
    Path dir = new Path("/bench/append/" + name);
    long bytesBefore = FreedData.bytesUnder(context.clusters().dir(system));
    long nanos;
    try (Clients clients = new Clients(context, system, writers)) {
      Path shared = new Path(dir, "records");
      if (Measurement.GFS.equals(system)) {
        clients.get(0).create(shared, true).close();
      }
      nanos = Parallel.run(writers, i -> {
        if (Measurement.GFS.equals(system)) {
          GfsFileSystem gfs = (GfsFileSystem) clients.get(i);
          for (long j = 0; j < perWriter; j++) {
            gfs.recordAppend(shared, record);
          }
        } else {
          hflushEach(clients.get(i), new Path(dir, "writer-" + i), record, perWriter);
        }
      });
      clients.get(0).delete(dir, true);
    }
    FreedData.awaitDeleted(context, system, bytesBefore);
    return nanos;
  }

  private static void hflushEach(FileSystem fs, Path file, byte[] record, long count) throws IOException {
    try (FSDataOutputStream out = fs.create(file, true)) {
      for (long j = 0; j < count; j++) {
        out.write(record);
        out.hflush();
      }
    }
  }
}
