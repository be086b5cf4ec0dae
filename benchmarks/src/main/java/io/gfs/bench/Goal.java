package io.gfs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One of issue 6's goals checked against this run's figures; absent when a figure it needs was not measured. */
record Goal(String name, String target, double measured, String unit, boolean met, String how) {
  static final String APPEND_GOAL =
      "16 record appenders into one file vs one sequential writer of the same bytes in the same round (gfs, median of"
          + " rounds)";

  static List<Goal> evaluate(List<Measurement> measurements, List<Comparison> comparisons) {
    List<Goal> goals = new ArrayList<>();
    for (Comparison c : comparisons) {
      if (c.suite().equals("seq")) {
        goals.add(ratio(c.label() + " vs HDFS", 1.3, c.advantage()));
      } else if (c.suite().equals("meta")) {
        goals.add(ratio(c.label() + " vs HDFS", 2.0, c.advantage()));
      }
    }
    // The reference is the append suite's own single writer, measured in every round right after gfs's 16
    // appenders; the figure is the median of the rounds' ratios, not a ratio against the seq suite's 1 GiB writer
    // measured minutes away under another load.
    find(measurements, "append", RecordAppendSuite.SAME_ROUND_RATIO, Measurement.GFS, 16).ifPresent(m -> goals.add(
        new Goal(APPEND_GOAL, ">= 0.8x", m.value(), "x", m.value() >= 0.8, m.method())));
    find(measurements, "scale", "master heap per file", "gfs-master", 1).ifPresent(m -> goals.add(
        new Goal("master heap per file", "<= 64 bytes", m.value(), "bytes", m.value() <= 64, m.method())));
    find(measurements, "scale", "master heap per chunk", "gfs-master", 1).ifPresent(m -> goals.add(
        new Goal("master heap per chunk", "<= 64 bytes", m.value(), "bytes", m.value() <= 64, m.method())));
    find(measurements, "scale", "master restart", "gfs-master", 1).ifPresent(m -> goals.add(
        new Goal("master restart with the scale file count", "< 3 s", m.value(), "s", m.value() < 3, m.method())));
    Optional<Measurement> crc = find(measurements, "micro", "ChecksumBench.crc32cCompute", Measurement.GFS, 1);
    Optional<Measurement> read1 = find(measurements, "seq", "sequential read", Measurement.GFS, 1);
    if (crc.isPresent() && read1.isPresent()) {
      double share = read1.get().value() / crc.get().value();
      goals.add(new Goal("checksum verification share of read time", "<= 10%", share * 100, "%", share <= 0.10,
          "gfs sequential read x1 MiB/s / JMH CRC32C MiB/s on one core: the fraction of the read's wall time one"
              + " core spends verifying what it delivers"));
    }
    return goals;
  }

  private static Goal ratio(String name, double target, double advantage) {
    return new Goal(name, ">= " + target + "x", advantage, "x", advantage >= target,
        "gfs figure / HDFS figure from the same run");
  }

  private static Optional<Measurement> find(List<Measurement> all, String suite, String workload, String system,
      int threads) {
    return all.stream().filter(m -> m.suite().equals(suite) && m.workload().equals(workload)
        && m.system().equals(system) && m.threads() == threads).findFirst();
  }
}
