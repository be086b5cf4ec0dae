package io.gfs.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Metadata operations with 1, 8 and 32 threads, one kind at a time: mkdir, getFileStatus, listStatus (of a directory
 * of 10 files), rename and delete. Each thread works in its own directory with its own FileSystem instance.
 */
final class MetadataSuite implements Suite {
  private static final int LISTED_FILES = 10;
  private static final int WARM_UP_FRACTION = 4;

  private interface Op {
    void apply(FileSystem fs, Path dir, int j) throws IOException;
  }

  private record Kind(String name, Op op) {}

  private static final List<Kind> KINDS = List.of(
      new Kind("mkdir", (fs, dir, j) -> check(fs.mkdirs(new Path(dir, "d" + j)), "mkdirs", dir, j)),
      new Kind("getFileStatus", (fs, dir, j) -> fs.getFileStatus(new Path(dir, "d" + j))),
      new Kind("listStatus", (fs, dir, j) -> {
        if (fs.listStatus(new Path(dir.getParent().getParent(), "listed")).length != LISTED_FILES) {
          throw new IOException("listStatus returned a wrong count");
        }
      }),
      new Kind("rename", (fs, dir, j) -> check(fs.rename(new Path(dir, "d" + j), new Path(dir, "r" + j)), "rename",
          dir, j)),
      new Kind("delete", (fs, dir, j) -> check(fs.delete(new Path(dir, "r" + j), false), "delete", dir, j)));

  private static void check(boolean ok, String what, Path dir, int j) throws IOException {
    if (!ok) {
      throw new IOException(what + " of " + dir + "/" + j + " returned false");
    }
  }

  @Override
  public String name() {
    return "meta";
  }

  @Override
  public boolean needsClusters() {
    return true;
  }

  @Override
  public List<Measurement> run(BenchContext context) throws IOException {
    BenchConfig config = context.config();
    warmUp(context, config);
    List<Measurement> out = new ArrayList<>();
    for (String system : BenchContext.SYSTEMS) {
      for (int threads : config.metadataThreads()) {
        int perThread = Math.max(1, config.metadataOpsPerKind() / threads);
        Path base = new Path("/bench/meta/t" + threads);
        try (Clients clients = new Clients(context, system, threads)) {
          prepare(clients.get(0), base, threads);
          for (Kind kind : KINDS) {
            long nanos = time(clients, base, kind, threads, perThread);
            double opsPerSecond = (double) perThread * threads / (nanos / 1e9);
            out.add(new Measurement("meta", kind.name(), system, threads, opsPerSecond, "ops/s", true,
                threads + " thread(s), each its own FileSystem instance and directory, " + perThread + " "
                    + kind.name() + " calls each, run after the previous kind finished; ops / wall time"));
            context.progress("%s %s x%d: %.0f ops/s", system, kind.name(), threads, opsPerSecond);
          }
          clients.get(0).delete(base, true);
        }
      }
    }
    return out;
  }

  /**
   * Every kind untimed on each system first, at every thread count the suite measures (a quarter of the calls each),
   * so gfs, measured first, does not pay alone for class loading and JIT compilation of the Hadoop client code both
   * systems share, nor for compiling the paths only many threads take (lock contention, group commit). With one pass
   * by 8 threads, H-meta5's perf of the x32 phases still had the C2 compiler at 17% of the process's samples. The seq
   * and append suites warm up too.
   */
  private static void warmUp(BenchContext context, BenchConfig config) throws IOException {
    int calls = 0;
    for (String system : BenchContext.SYSTEMS) {
      calls = 0;
      for (int threads : config.metadataThreads()) {
        int perThread = Math.max(1, config.metadataOpsPerKind() / WARM_UP_FRACTION / threads);
        Path base = new Path("/bench/meta/warm-up-t" + threads);
        try (Clients clients = new Clients(context, system, threads)) {
          prepare(clients.get(0), base, threads);
          for (Kind kind : KINDS) {
            time(clients, base, kind, threads, perThread);
          }
          clients.get(0).delete(base, true);
        }
        calls += perThread * threads;
      }
    }
    context.progress("warmed up both systems with %d calls of each kind, by %s threads in turn", calls,
        config.metadataThreads());
  }

  /** Wall time of {@code threads} threads each making {@code perThread} calls of one kind in its own directory. */
  private static long time(Clients clients, Path base, Kind kind, int threads, int perThread) throws IOException {
    return Parallel.run(threads, i -> {
      FileSystem fs = clients.get(i);
      Path dir = new Path(base, "work/w" + i);
      for (int j = 0; j < perThread; j++) {
        kind.op().apply(fs, dir, j);
      }
    });
  }

  private static void prepare(FileSystem fs, Path base, int threads) throws IOException {
    for (int i = 0; i < threads; i++) {
      fs.mkdirs(new Path(base, "work/w" + i));
    }
    Path listed = new Path(base, "listed");
    for (int i = 0; i < LISTED_FILES; i++) {
      fs.create(new Path(listed, "f" + i), true).close();
    }
  }
}
