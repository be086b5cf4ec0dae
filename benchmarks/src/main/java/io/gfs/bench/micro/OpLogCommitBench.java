package io.gfs.bench.micro;

import io.gfs.master.oplog.OpLog;
import io.gfs.master.state.LogRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The master's operation log: appendAndWait returns once the record is fsync'd. One thread pays a sync per record;
 * 32 threads share syncs through group commit, which is what lets the master's mutation rate exceed the disk's
 * sync rate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OpLogCommitBench {
  private Path dir;
  private OpLog log;
  private final AtomicLong names = new AtomicLong();

  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory(Path.of(System.getProperty("gfs.bench.tmp", System.getProperty("java.io.tmpdir"))),
        "oplog-bench");
    log = OpLog.open(dir, 0, OpLog.SyncHook.NONE);
  }

  @TearDown
  public void tearDown() throws IOException {
    log.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private long commit() throws IOException {
    return log.appendAndWait(new LogRecord.Mkdir("/bench/d" + names.incrementAndGet(), 1));
  }

  @Benchmark
  @Threads(1)
  public long groupCommit1Thread() throws IOException {
    return commit();
  }

  @Benchmark
  @Threads(32)
  public long groupCommit32Threads() throws IOException {
    return commit();
  }
}
