package io.gfs.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Metadata operations with 1, 8 and 32 threads, one kind at a time: mkdir, getFileStatus, listStatus (of a directory
 * of 10 files), rename and delete. Each thread works in its own directory with its own FileSystem instance.
 *
 * <p>A figure is the median of {@link BenchConfig#metadataRounds()} rounds. In a round every kind runs once on each
 * system, the gfs cell and the HDFS cell of one kind back to back, and which system goes first alternates from cell to
 * cell: load on this shared machine drifts within a run (0.9 to 2.4 in a quiet one), and measuring one system's
 * phases after the other's handed that drift to whichever went second. mkdir, getFileStatus and listStatus repeat
 * until the cell has run {@link BenchConfig#metadataCellMillis()}, so cells at 32 threads last as long as cells at 1
 * (fixed counts of 4,000 calls ran under half a second at 32 threads, and HDFS's own figures moved by up to 1.75x
 * between two quiet runs); rename and delete then make one call per directory that round's mkdir made.
 */
final class MetadataSuite implements Suite {
  private static final int LISTED_FILES = 10;

  private interface Op {
    void apply(FileSystem fs, Path dir, int j) throws IOException;
  }

  /**
   * One kind of call. {@code makes}: its calls create the directories d0, d1, ... the later kinds use (mkdir).
   * {@code timed}: it repeats until the cell's time is up; the others make exactly one call per directory made.
   */
  private record Kind(String name, Op op, boolean makes, boolean timed) {}

  private static final List<Kind> KINDS = List.of(
      new Kind("mkdir", (fs, dir, j) -> check(fs.mkdirs(new Path(dir, "d" + j)), "mkdirs", dir, j), true, true),
      new Kind("getFileStatus", (fs, dir, j) -> fs.getFileStatus(new Path(dir, "d" + j)), false, true),
      new Kind("listStatus", (fs, dir, j) -> {
        if (fs.listStatus(new Path(dir.getParent().getParent(), "listed")).length != LISTED_FILES) {
          throw new IOException("listStatus returned a wrong count");
        }
      }, false, true),
      new Kind("rename", (fs, dir, j) -> check(fs.rename(new Path(dir, "d" + j), new Path(dir, "r" + j)), "rename",
          dir, j), false, false),
      new Kind("delete", (fs, dir, j) -> check(fs.delete(new Path(dir, "r" + j), false), "delete", dir, j), false,
          false));

  private static void check(boolean ok, String what, Path dir, int j) throws IOException {
    if (!ok) {
      throw new IOException(what + " of " + dir + "/" + j + " returned false");
    }
  }

  /** One system's clients at one thread count, and what each of its threads' mkdir made this round. */
  private static final class Side implements AutoCloseable {
    final String system;
    final Clients clients;
    final int[] made;

    Side(BenchContext context, String system, int threads) throws IOException {
      this.system = system;
      this.clients = new Clients(context, system, threads);
      this.made = new int[threads];
    }

    @Override
    public void close() {
      clients.close();
    }
  }

  /** One cell's outcome: the calls all threads made and the wall time they took. */
  private record Cell(long calls, long nanos) {
    double opsPerSecond() {
      return calls / (nanos / 1e9);
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
    int rounds = config.metadataRounds();
    long cellNanos = config.metadataCellMillis() * 1_000_000L;
    List<Measurement> measured = new ArrayList<>();
    int cellIndex = 0;
    for (int threads : config.metadataThreads()) {
      Path base = new Path("/bench/meta/t" + threads);
      Map<String, Side> sides = new LinkedHashMap<>();
      try {
        for (String system : BenchContext.SYSTEMS) {
          sides.put(system, new Side(context, system, threads));
          prepare(sides.get(system).clients.get(0), base, threads);
        }
        Map<String, Map<String, List<Cell>>> cells = new LinkedHashMap<>();
        Map<String, Map<String, List<Integer>>> firstIn = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
          for (Kind kind : KINDS) {
            List<String> order = systemsInOrder(cellIndex++);
            for (String system : order) {
              Cell cell = time(sides.get(system), base, kind, threads, cellNanos);
              cells.computeIfAbsent(system, s -> new LinkedHashMap<>())
                  .computeIfAbsent(kind.name(), k -> new ArrayList<>()).add(cell);
              if (system.equals(order.get(0))) {
                firstIn.computeIfAbsent(system, s -> new LinkedHashMap<>())
                    .computeIfAbsent(kind.name(), k -> new ArrayList<>()).add(round);
              }
              context.progress("%s %s x%d round %d: %.0f ops/s (%d calls)", system, kind.name(), threads, round,
                  cell.opsPerSecond(), cell.calls());
            }
          }
        }
        for (String system : BenchContext.SYSTEMS) {
          for (Kind kind : KINDS) {
            List<Cell> ofKind = cells.get(system).get(kind.name());
            List<Integer> first = firstIn.getOrDefault(system, Map.of()).getOrDefault(kind.name(), List.of());
            double median = Median.of(ofKind.stream().map(Cell::opsPerSecond).toList());
            measured.add(new Measurement("meta", kind.name(), system, threads, median, "ops/s", true,
                method(config, kind, threads, ofKind, first)));
            context.progress("%s %s x%d: %.0f ops/s (median of %d rounds)", system, kind.name(), threads, median,
                rounds);
          }
        }
        for (Side side : sides.values()) {
          side.clients.get(0).delete(base, true);
        }
      } finally {
        sides.values().forEach(Side::close);
      }
    }
    // All of one system's figures, then the other's: the order the report has always had.
    List<Measurement> out = new ArrayList<>();
    for (String system : BenchContext.SYSTEMS) {
      measured.stream().filter(m -> m.system().equals(system)).forEach(out::add);
    }
    return out;
  }

  /**
   * The systems in the order cell {@code cellIndex} (counted over the whole suite) measures them: gfs first in even
   * cells, HDFS first in odd ones. With five kinds a round, a kind's first system flips from round to round.
   */
  static List<String> systemsInOrder(int cellIndex) {
    List<String> order = new ArrayList<>(BenchContext.SYSTEMS);
    if (cellIndex % 2 == 1) {
      Collections.reverse(order);
    }
    return order;
  }

  private static String method(BenchConfig config, Kind kind, int threads, List<Cell> cells, List<Integer> first) {
    String calls = kind.timed()
        ? "calls repeated until the cell had run " + config.metadataCellMillis() + " ms"
        : "one call per directory that round's mkdir made";
    return threads + " thread(s), each its own FileSystem instance and directory; " + kind.name() + " " + calls
        + "; ops / wall time from the common start to the last thread's finish; median of " + cells.size()
        + " rounds (ops/s " + cells.stream().map(c -> String.format(Locale.ROOT, "%.0f", c.opsPerSecond()))
            .collect(Collectors.joining(", "))
        + "; calls " + cells.stream().map(c -> Long.toString(c.calls())).collect(Collectors.joining(", "))
        + "); each round runs every kind in turn, this system's cell and the other's back to back, this one first in"
        + " round(s) " + (first.isEmpty() ? "none" : first.stream().map(String::valueOf)
            .collect(Collectors.joining(", ")))
        + "; after an untimed warm-up of every kind on each system by " + config.metadataThreads() + " threads";
  }

  /**
   * Every kind untimed on each system first, at every thread count the suite measures ({@link
   * BenchConfig#metadataWarmUpCalls()} calls of each kind per thread count), so the system measured first does not
   * pay alone for class loading and JIT compilation of the Hadoop client code both systems share, nor for compiling
   * the paths only many threads take (lock contention, group commit). With one pass by 8 threads, H-meta5's perf of
   * the x32 phases still had the C2 compiler at 17% of the process's samples. The seq and append suites warm up too.
   */
  private static void warmUp(BenchContext context, BenchConfig config) throws IOException {
    int calls = 0;
    for (String system : BenchContext.SYSTEMS) {
      calls = 0;
      for (int threads : config.metadataThreads()) {
        int perThread = Math.max(1, config.metadataWarmUpCalls() / threads);
        Path base = new Path("/bench/meta/warm-up-t" + threads);
        try (Side side = new Side(context, system, threads)) {
          prepare(side.clients.get(0), base, threads);
          Arrays.fill(side.made, perThread);
          for (Kind kind : KINDS) {
            time(side, base, kind, threads, 0);
          }
          side.clients.get(0).delete(base, true);
        }
        calls += perThread * threads;
      }
    }
    context.progress("warmed up both systems with %d calls of each kind, by %s threads in turn", calls,
        config.metadataThreads());
  }

  /**
   * One cell: {@code threads} threads each calling one kind in its own directory. A timed kind repeats until
   * {@code cellNanos} after the first thread started (at least one call each); with {@code cellNanos} 0, and for the
   * kinds that are not timed, each thread makes one call per directory its mkdir made. mkdir records what it made.
   */
  private static Cell time(Side side, Path base, Kind kind, int threads, long cellNanos) throws IOException {
    AtomicLong deadline = new AtomicLong();
    AtomicLong calls = new AtomicLong();
    long nanos = Parallel.run(threads, i -> {
      FileSystem fs = side.clients.get(i);
      Path dir = new Path(base, "work/w" + i);
      int j = 0;
      if (cellNanos > 0 && kind.timed()) {
        long end = deadline.updateAndGet(d -> d != 0 ? d : System.nanoTime() + cellNanos);
        do {
          kind.op().apply(fs, dir, kind.makes() ? j : j % side.made[i]);
          j++;
        } while (System.nanoTime() - end < 0);
      } else {
        for (; j < side.made[i]; j++) {
          kind.op().apply(fs, dir, j);
        }
      }
      if (kind.makes()) {
        side.made[i] = j;
      }
      calls.addAndGet(j);
    });
    return new Cell(calls.get(), nanos);
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
