package io.gfs.bench;

import io.gfs.common.Check;
import java.util.List;

/**
 * The median of repeated measurements of one figure: one round disturbed by a neighbour's build, a GC or an fsync
 * stall moves it less than it moves the mean.
 */
final class Median {
  private Median() {}

  /** The middle value, or the mean of the two middle values when there is an even number of them. */
  static double of(List<Double> values) {
    Check.argument(!values.isEmpty(), "the median of no values");
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
