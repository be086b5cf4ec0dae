package io.gfs.common.metrics;

import io.gfs.common.Check;

/**
 * The last {@code capacity} samples of a few values, for the status pages' charts of capacity and throughput over
 * time: fixed memory, the oldest sample overwritten. Values that are running totals become rates with
 * {@link #rates}. Thread-safe (one writer, the sampler; readers are page requests).
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

  /** The samples' times, oldest first. */
  public synchronized long[] times() {
    long[] out = new long[size];
    for (int i = 0; i < size; i++) {
      out[i] = timesMillis[index(i)];
    }
    return out;
  }

  /** Value {@code column} of every sample, oldest first. */
  public synchronized double[] column(int column) {
    Check.argument(column >= 0 && column < width, "column %s of %s", column, width);
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = values[index(i)][column];
    }
    return out;
  }

  /**
   * Column {@code column} read as a running total, turned into a per-second rate between each sample and the one
   * before it; the first sample has no rate (NaN), and neither has one after a total went down (a restart).
   */
  public synchronized double[] rates(int column) {
    Check.argument(column >= 0 && column < width, "column %s of %s", column, width);
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      if (i == 0) {
        out[i] = Double.NaN;
        continue;
      }
      double delta = values[index(i)][column] - values[index(i - 1)][column];
      long millis = timesMillis[index(i)] - timesMillis[index(i - 1)];
      out[i] = delta < 0 || millis <= 0 ? Double.NaN : delta * 1000.0 / millis;
    }
    return out;
  }

  private int index(int i) {
    return (next - size + i + capacity) % capacity;
  }
}
