package io.gfs.common.metrics;

import io.gfs.common.Check;

/**
 * The last {@code capacity} samples of a few values, for the status pages' charts of capacity and throughput over
 * time: fixed memory, the oldest sample overwritten. Thread-safe (one writer, the sampler; readers are page requests),
 * and read as a whole with {@link #snapshot}, so a chart's times and values always belong together.
 */
public final class SampleRing {
  private final int capacity;
  private final int width;
  private final long[] timesMillis;
  private final double[][] values;
  private int next;
  private int size;

  public SampleRing(int capacity, int width) {
    Check.argument(capacity >= 2 && capacity <= 100_000, "capacity %s outside [2, 100000]", capacity);
    Check.argument(width >= 1 && width <= 64, "width %s outside [1, 64]", width);
    this.capacity = capacity;
    this.width = width;
    this.timesMillis = new long[capacity];
    this.values = new double[capacity][];
  }

  public synchronized void add(long timeMillis, double[] sample) {
    Check.argument(sample.length == width, "sample of %s values, ring holds %s", sample.length, width);
    Check.argument(size == 0 || timeMillis >= timesMillis[(next - 1 + capacity) % capacity],
        "sample at %s before the last one", timeMillis);
    timesMillis[next] = timeMillis;
    values[next] = sample.clone();
    next = (next + 1) % capacity;
    size = Math.min(size + 1, capacity);
  }

  public synchronized int size() {
    return size;
  }

  /** Every sample kept now, oldest first. */
  public synchronized Samples snapshot() {
    long[] times = new long[size];
    double[][] rows = new double[size][];
    for (int i = 0; i < size; i++) {
      int at = (next - size + i + capacity) % capacity;
      times[i] = timesMillis[at];
      rows[i] = values[at];
    }
    return new Samples(times, rows, width);
  }

  /** Samples taken at one moment: times and values that belong together. */
  public static final class Samples {
    private final long[] timesMillis;
    private final double[][] rows;
    private final int width;

    private Samples(long[] timesMillis, double[][] rows, int width) {
      this.timesMillis = timesMillis;
      this.rows = rows;
      this.width = width;
    }

    public int size() {
      return timesMillis.length;
    }

    /** The samples' times, oldest first. */
    public long[] times() {
      return timesMillis.clone();
    }

    /** Value {@code column} of every sample, oldest first. */
    public double[] column(int column) {
      Check.argument(column >= 0 && column < width, "column %s of %s", column, width);
      double[] out = new double[rows.length];
      for (int i = 0; i < rows.length; i++) {
        out[i] = rows[i][column];
      }
      return out;
    }

    /**
     * Column {@code column} read as a running total, turned into a per-second rate between each sample and the one
     * before it; the first sample has no rate (NaN), and neither has one after a total went down (a restart).
     */
    public double[] rates(int column) {
      Check.argument(column >= 0 && column < width, "column %s of %s", column, width);
      double[] out = new double[rows.length];
      for (int i = 0; i < rows.length; i++) {
        if (i == 0) {
          out[i] = Double.NaN;
          continue;
        }
        double delta = rows[i][column] - rows[i - 1][column];
        long millis = timesMillis[i] - timesMillis[i - 1];
        out[i] = delta < 0 || millis <= 0 ? Double.NaN : delta * 1000.0 / millis;
      }
      return out;
    }
  }
}
