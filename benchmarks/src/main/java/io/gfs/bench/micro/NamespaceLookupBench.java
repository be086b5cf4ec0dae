package io.gfs.bench.micro;

import io.gfs.master.state.FileStatus;
import io.gfs.master.state.LogRecord;
import io.gfs.master.state.MasterState;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The master's namespace lookup: fileStatus of a random existing file (read lock, path walk, status build). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NamespaceLookupBench {
  @Param({"100000"})
  public int files;

  private MasterState state;
  private String[] paths;

  @Setup
  public void setUp() {
    state = new MasterState(new MasterState.Settings(64L << 20, 60_000, 30_000, 3), new SplittableRandom(1));
    paths = new String[files];
    for (int d = 0; d * 1000 < files; d++) {
      state.apply(new LogRecord.Mkdir(String.format("/ns/d%04d", d), 1));
    }
    for (int i = 0; i < files; i++) {
      paths[i] = String.format("/ns/d%04d/f%06d", i / 1000, i);
      state.apply(new LogRecord.Create(paths[i], 3, 1, false, false));
    }
  }

  /** Each JMH thread draws its own paths. */
  @State(Scope.Thread)
  public static class Cursor {
    final SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());
  }

  @Benchmark
  public FileStatus fileStatus(Cursor cursor) {
    return state.fileStatus(paths[cursor.random.nextInt(paths.length)]);
  }
}
