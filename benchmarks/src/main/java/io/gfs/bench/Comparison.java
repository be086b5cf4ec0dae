package io.gfs.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gfs figure beside its HDFS counterpart. {@code advantage} is how many times better gfs did: gfs/HDFS for
 * throughput, HDFS/gfs for times, so above 1 always means gfs ahead.
 */
record Comparison(String suite, String workload, int threads, Measurement gfs, Measurement hdfs, double advantage) {
  static List<Comparison> of(List<Measurement> measurements) {
    Map<String, Measurement> hdfs = new LinkedHashMap<>();
    for (Measurement m : measurements) {
      if (Measurement.HDFS.equals(m.system())) {
        hdfs.put(m.comparisonKey(), m);
      }
    }
    List<Comparison> out = new ArrayList<>();
    for (Measurement g : measurements) {
      Measurement h = Measurement.GFS.equals(g.system()) ? hdfs.get(g.comparisonKey()) : null;
      if (h != null) {
        double advantage = g.higherIsBetter() ? g.value() / h.value() : h.value() / g.value();
        out.add(new Comparison(g.suite(), g.workload(), g.threads(), g, h, advantage));
      }
    }
    return out;
  }

  String label() {
    return workload + " x" + threads;
  }
}
