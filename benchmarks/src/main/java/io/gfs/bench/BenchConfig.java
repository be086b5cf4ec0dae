package io.gfs.bench;

import java.util.List;

/**
 * The sizes of one run. {@link #full()} is the (1 GiB sequential, one million files for the master);
 * {@link #smoke()} runs every code path in seconds so {@code mvn verify} keeps the runner from rotting.
 *
 * @param throughputRounds the rounds of the seq and append suites: each of their figures is the median of this many
 *     (the meta suite has its own, {@code metadataRounds})
 */
public record BenchConfig(
    String name,
    long sequentialBytes,
    List<Integer> sequentialClients,
    int preadCount,
    List<Integer> preadThreads,
    int smallFileCount,
    List<Integer> smallFileThreads,
    int metadataWarmUpCalls,
    long metadataCellMillis,
    int metadataRounds,
    List<Integer> metadataThreads,
    int recordBytes,
    long appendBytes,
    List<Integer> appendWriters,
    int throughputRounds,
    int dfsIoFiles,
    int dfsIoFileMegabytes,
    int scaleFiles,
    int scaleLogRecords,
    boolean jmhForked,
    int jmhIterations,
    int jmhIterationMillis) {
  /** Blocks on HDFS and chunks on gfs have one size, so neither system gets a layout advantage. */
  public static final long BLOCK_SIZE_BYTES = 64L << 20;
  public static final int REPLICATION = 3;
  public static final int SERVERS = 3;
  public static final int PREAD_BYTES = 4096;
  public static final int SMALL_FILE_BYTES = 1024;

  public static BenchConfig full() {
    return new BenchConfig("full", 1L << 30, List.of(1, 4), 4000, List.of(1, 4), 2000, List.of(1, 8), 1000,
        1000, 3, List.of(1, 8, 32), 64 << 10, 256L << 20, List.of(1, 4, 16), 3, 4, 128, 1_000_000, 100_000, true, 3,
        1000);
  }

  public static BenchConfig smoke() {
    return new BenchConfig("smoke", 8L << 20, List.of(1, 2), 100, List.of(1, 2), 40, List.of(1, 4), 10,
        20, 3, List.of(1, 4), 16 << 10, 1L << 20, List.of(1, 4), 3, 1, 1, 10_000, 1000, false, 1, 100);
  }
}
