package io.gfs.bench;

import io.gfs.common.Check;

/**
 * One measured figure: which workload on which system, with how many threads, the value and its unit, and how it was
 * measured (so every number in the report carries its method).
 *
 * @param suite the suite that produced it (seq, pread, small, meta, append, dfsio, scale, micro)
 * @param workload what was done, e.g. "sequential write"; gfs and HDFS figures with equal suite, workload and
 *     threads are compared
 * @param system "gfs", "hdfs", or "gfs-master" for figures without an HDFS counterpart
 * @param higherIsBetter throughput-like (true) or time/size-like (false)
 */
public record Measurement(String suite, String workload, String system, int threads, double value, String unit,
    boolean higherIsBetter, String method) {
  public static final String GFS = "gfs";
  public static final String HDFS = "hdfs";

  public Measurement {
    Check.notNull(suite, "suite");
    Check.notNull(workload, "workload");
    Check.notNull(system, "system");
    Check.argument(threads >= 0, "threads %s < 0", threads);
    Check.notNull(unit, "unit");
    Check.notNull(method, "method");
  }

  /** The key a gfs figure and its HDFS counterpart share. */
  public String comparisonKey() {
    return suite + "|" + workload + "|" + threads;
  }
}
