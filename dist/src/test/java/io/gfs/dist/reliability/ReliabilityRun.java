package io.gfs.dist.reliability;

import java.time.Instant;

/**
 * One scenario's run parameters: the seed (from -Dgfs.reliability.seed, else fresh and printed, so any run can be
 * replayed) and how long the workload runs: its short length in {@code mvn verify}, or -Dgfs.soak.minutes under the
 * soak profile.
 */
record ReliabilityRun(String scenario, long seed, long runMillis, boolean soak) {
  static final String SEED_PROPERTY = "gfs.reliability.seed";
  static final String SOAK_MINUTES_PROPERTY = "gfs.soak.minutes";

  static ReliabilityRun of(String scenario, long shortRunMillis) {
    String fixed = System.getProperty(SEED_PROPERTY, "");
    long seed = fixed.isBlank() ? System.nanoTime() ^ Double.doubleToLongBits(Math.random()) : Long.parseLong(fixed);
    String minutes = System.getProperty(SOAK_MINUTES_PROPERTY, "");
    boolean soak = !minutes.isBlank();
    long runMillis = soak ? (long) (Double.parseDouble(minutes) * 60_000) : shortRunMillis;
    ReliabilityRun run = new ReliabilityRun(scenario, seed, runMillis, soak);
    run.log("seed %d, workload %d ms%s (replay: -D%s=%d -Dit.test=...)", seed, runMillis, soak ? " (soak)" : "",
        SEED_PROPERTY, seed);
    return run;
  }

  /**
   * The scenario's name in the table: a soak run gets a row of its own (scenario-soak-Nmin), so the short run's row
   * and the long one's stand side by side.
   */
  String rowName() {
    if (!soak) {
      return scenario;
    }
    return scenario + "-soak-" + Math.round(runMillis / 60_000.0) + "min";
  }

  void log(String format, Object... args) {
    System.out.println("[reliability " + scenario + " " + Instant.now() + "] " + String.format(format, args));
  }
}
