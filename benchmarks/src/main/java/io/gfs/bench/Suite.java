package io.gfs.bench;

import java.io.IOException;
import java.util.List;

/** One group of measurements the runner can be asked for by name ({@code ./bin/gfs bench NAME...}). */
interface Suite {
  String name();

  /** Whether it needs the two clusters (the master-scale and JMH suites do not). */
  boolean needsClusters();

  List<Measurement> run(BenchContext context) throws IOException;
}
