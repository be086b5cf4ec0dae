package io.gfs.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report's tables: gfs beside HDFS with the ratio, the goals, the gfs-only figures, and every method. */
final class Markdown {
  private Markdown() {}

  static String render(RunInfo run, List<Measurement> measurements, List<Comparison> comparisons, List<Goal> goals,
      String chartPath) {
    StringBuilder b = new StringBuilder();
    b.append("Run ").append(run.started()).append(" to ").append(run.finished()).append(", sizes `")
        .append(run.config()).append("`, suites ").append(String.join(", ", run.suites())).append(".\n\n");
    b.append("- Machine: ").append(run.machine()).append(String.format(Locale.ROOT,
        "; load average %.2f before, %.2f after.%n", run.loadAverageBefore(), run.loadAverageAfter()));
    b.append("- Deployment: ").append(run.deployment()).append(".\n\n");
    if (!comparisons.isEmpty()) {
      b.append("![gfs / HDFS per workload](").append(chartPath).append(")\n\n");
      b.append("| workload | threads | gfs | HDFS | unit | gfs advantage |\n|---|---:|---:|---:|---|---:|\n");
      for (Comparison c : comparisons) {
        b.append("| ").append(c.suite()).append(": ").append(c.workload()).append(" | ").append(c.threads())
            .append(" | ").append(fmt(c.gfs().value())).append(" | ").append(fmt(c.hdfs().value())).append(" | ")
            .append(c.gfs().unit()).append(" | ").append(String.format(Locale.ROOT, "%.2fx", c.advantage()))
            .append(" |\n");
      }
      b.append("\ngfs advantage: gfs/HDFS for throughputs, HDFS/gfs for times; above 1 means gfs did better.\n\n");
    }
    if (!goals.isEmpty()) {
      b.append("| goal (issue 6) | target | measured | met |\n|---|---|---:|---|\n");
      for (Goal g : goals) {
        b.append("| ").append(g.name()).append(" | ").append(g.target()).append(" | ").append(fmt(g.measured()))
            .append(' ').append(g.unit()).append(" | ").append(g.met() ? "yes" : "**no**").append(" |\n");
      }
      b.append('\n');
    }
    List<Measurement> single = measurements.stream()
        .filter(m -> !Measurement.HDFS.equals(m.system()) && comparisons.stream().noneMatch(c -> c.gfs() == m))
        .toList();
    if (!single.isEmpty()) {
      b.append("| gfs-only figure | threads | value | unit |\n|---|---:|---:|---|\n");
      for (Measurement m : single) {
        b.append("| ").append(m.suite()).append(": ").append(m.workload()).append(" | ").append(m.threads())
            .append(" | ").append(fmt(m.value())).append(" | ").append(m.unit()).append(" |\n");
      }
      b.append('\n');
    }
    b.append("How each figure was measured:\n\n");
    Map<String, String> seen = new LinkedHashMap<>();
    for (Measurement m : measurements) {
      seen.putIfAbsent(m.suite() + ": " + m.workload() + " x" + m.threads() + " (" + m.system() + ")", m.method());
    }
    seen.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v.replaceAll("\\s+", " ").strip())
        .append('\n'));
    return b.toString();
  }

  static String fmt(double v) {
    if (!Double.isFinite(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }
}
