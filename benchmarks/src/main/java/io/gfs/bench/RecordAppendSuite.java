package io.gfs.bench;

import io.gfs.hadoop.GfsFileSystem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Record append [0104]: 1, 4 and 16 concurrent writers appending fixed-size records into ONE gfs file, each call
 * returning once every replica holds the record. HDFS cannot append to one file from several writers, so its best
 * alternative runs beside it: one file per writer, each record written and then hflush()ed (acknowledged by the
 * whole pipeline, as a gfs record append is) before the next.
 */
final class RecordAppendSuite implements Suite {
  private static final double MIB = 1 << 20;
  private static final int WARM_UP_FRACTION = 4;
  private static final int WARM_UP_WRITERS = 4;
  /** The workload name of gfs's one sequential writer measured in this suite (no HDFS counterpart). */
  static final String SINGLE_WRITER = "single sequential writer (reference)";

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
    warmUp(context, record, Math.max(1, config.appendBytes() / WARM_UP_FRACTION / WARM_UP_WRITERS / record.length));
    List<Measurement> out = new ArrayList<>();
    for (String system : BenchContext.SYSTEMS) {
      for (int writers : config.appendWriters()) {
        long perWriter = config.appendBytes() / writers / record.length;
        long totalBytes = perWriter * writers * record.length;
        long nanos = append(context, system, "w" + writers, writers, perWriter, record);
        double mibPerSecond = totalBytes / MIB / (nanos / 1e9);
        String method = Measurement.GFS.equals(system)
            ? writers + " writer(s), each its own FileSystem instance, " + perWriter + " recordAppend() calls of "
                + SequentialSuite.human(record.length) + " each into ONE shared file; bytes / wall time"
            : writers + " writer(s), each its own FileSystem instance and its OWN file (HDFS has no concurrent append"
                + " to one file): " + perWriter + " write()+hflush() of " + SequentialSuite.human(record.length)
                + " each; bytes / wall time";
        out.add(new Measurement("append", "record append", system, writers, mibPerSecond, "MiB/s", true, method));
        context.progress("%s record append x%d: %.1f MiB/s", system, writers, mibPerSecond);
      }
      if (Measurement.GFS.equals(system)) {
        out.add(singleWriter(context, config.appendBytes(), out));
      }
    }
    return out;
  }

  /**
   * The goal's reference in this suite's own run: gfs's one sequential writer (create, 1 MiB writes, close) of as many
   * bytes as the appenders wrote, measured right after them, so the appenders' ratio to it does not depend on a
   * phase minutes away under another load ({@link Goal} takes it when the seq suite did not run).
   */
  private static Measurement singleWriter(BenchContext context, long bytes, List<Measurement> measured)
      throws IOException {
    Path file = new Path("/bench/append/single-writer");
    byte[] data = TestBytes.buffer();
    long nanos;
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
    double mibPerSecond = bytes / MIB / (nanos / 1e9);
    Measurement appenders16 = measured.stream().filter(m -> m.threads() == 16).findFirst().orElse(null);
    context.progress("gfs single sequential writer (append suite's reference): %.1f MiB/s%s", mibPerSecond,
        appenders16 == null ? "" : String.format(java.util.Locale.ROOT, "; record append x16 / it = %.2fx",
            appenders16.value() / mibPerSecond));
    return new Measurement("append", SINGLE_WRITER, Measurement.GFS, 1, mibPerSecond, "MiB/s", true,
        "one writer (its own FileSystem instance) creates a file and writes " + SequentialSuite.human(bytes)
            + " with 1 MiB write() calls, then closes it, right after gfs's record appenders; bytes / wall time"
            + " (the 16-appender goal's reference when the seq suite is not run)");
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

  /** Wall time of {@code writers} writers each appending {@code perWriter} records; the directory is deleted after. */
  private static long append(BenchContext context, String system, String name, int writers, long perWriter,
      byte[] record) throws IOException {
    Path dir = new Path("/bench/append/" + name);
    try (Clients clients = new Clients(context, system, writers)) {
      Path shared = new Path(dir, "records");
      if (Measurement.GFS.equals(system)) {
        clients.get(0).create(shared, true).close();
      }
      long nanos = Parallel.run(writers, i -> {
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
      return nanos;
    }
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
