package io.gfs.bench;

import java.util.List;
import java.util.Locale;

/** The results file: a small hand-written JSON writer (the module needs no JSON library for one flat document). */
final class Json {
  private Json() {}

  static String render(RunInfo run, List<Measurement> measurements, List<Comparison> comparisons, List<Goal> goals) {
    StringBuilder b = new StringBuilder("{\n  \"run\": {");
    field(b, "started", run.started().toString(), true);
    field(b, "finished", run.finished().toString(), false);
    field(b, "config", run.config(), false);
    b.append(", \"suites\": [");
    for (int i = 0; i < run.suites().size(); i++) {
      b.append(i == 0 ? "" : ", ").append(quote(run.suites().get(i)));
    }
    b.append(']');
    field(b, "deployment", run.deployment(), false);
    field(b, "machine", run.machine(), false);
    number(b, "loadAverageBefore", run.loadAverageBefore());
    number(b, "loadAverageAfter", run.loadAverageAfter());
    b.append("},\n  \"measurements\": [");
    for (int i = 0; i < measurements.size(); i++) {
      Measurement m = measurements.get(i);
      b.append(i == 0 ? "\n    {" : ",\n    {");
      field(b, "suite", m.suite(), true);
      field(b, "workload", m.workload(), false);
      field(b, "system", m.system(), false);
      number(b, "threads", m.threads());
      number(b, "value", m.value());
      field(b, "unit", m.unit(), false);
      b.append(", \"higherIsBetter\": ").append(m.higherIsBetter());
      field(b, "method", m.method(), false);
      b.append('}');
    }
    b.append("\n  ],\n  \"comparisons\": [");
    for (int i = 0; i < comparisons.size(); i++) {
      Comparison c = comparisons.get(i);
      b.append(i == 0 ? "\n    {" : ",\n    {");
      field(b, "suite", c.suite(), true);
      field(b, "workload", c.workload(), false);
      number(b, "threads", c.threads());
      number(b, "gfs", c.gfs().value());
      number(b, "hdfs", c.hdfs().value());
      field(b, "unit", c.gfs().unit(), false);
      number(b, "gfsAdvantage", c.advantage());
      b.append('}');
    }
    b.append("\n  ],\n  \"goals\": [");
    for (int i = 0; i < goals.size(); i++) {
      Goal g = goals.get(i);
      b.append(i == 0 ? "\n    {" : ",\n    {");
      field(b, "goal", g.name(), true);
      field(b, "target", g.target(), false);
      number(b, "measured", g.measured());
      field(b, "unit", g.unit(), false);
      b.append(", \"met\": ").append(g.met());
      field(b, "how", g.how(), false);
      b.append('}');
    }
    return b.append("\n  ]\n}\n").toString();
  }

  private static void field(StringBuilder b, String name, String value, boolean first) {
    b.append(first ? "" : ", ").append(quote(name)).append(": ").append(quote(value));
  }

  private static void number(StringBuilder b, String name, double value) {
    b.append(", ").append(quote(name)).append(": ");
    if (Double.isFinite(value)) {
      b.append(value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
          : String.format(Locale.ROOT, "%.6g", value));
    } else {
      b.append("null");
    }
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
