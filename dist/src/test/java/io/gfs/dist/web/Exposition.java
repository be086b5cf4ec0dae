package io.gfs.dist.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format (0.0.4) for the tests: every line must be a HELP, a TYPE, or a sample
 * with a well-formed name, labels and value, or parsing fails naming the line. Samples are kept by their series as
 * written, e.g. {@code gfs_rpc_server_requests_total{method="create",outcome="OK"}}.
 */
final class Exposition {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
  private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|"
      + "untyped)");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\"\\\\n])*\"");
  private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(?:" + LABEL + "(?:," + LABEL
      + ")*,?)?\\})? (\\S+)(?: -?[0-9]+)?");

  private final Map<String, Double> samples = new LinkedHashMap<>();
  private final Map<String, String> types = new LinkedHashMap<>();

  private Exposition() {}

  static Exposition parse(String text) {
    Exposition e = new Exposition();
    int number = 0;
    for (String line : text.split("\n", -1)) {
      number++;
      if (line.isEmpty()) {
        continue;
      }
      Matcher m;
      if ((m = TYPE.matcher(line)).matches()) {
        if (e.types.put(m.group(1), m.group(2)) != null) {
          throw new IllegalArgumentException("line " + number + ": second TYPE for " + m.group(1));
        }
      } else if (HELP.matcher(line).matches()) {
        continue;
      } else if ((m = SAMPLE.matcher(line)).matches()) {
        String series = m.group(1) + (m.group(2) == null ? "" : m.group(2));
        if (e.samples.put(series, value(m.group(3), number)) != null) {
          throw new IllegalArgumentException("line " + number + ": series repeated: " + series);
        }
      } else {
        throw new IllegalArgumentException("line " + number + " is not Prometheus text format: '" + line + "'");
      }
    }
    return e;
  }

  private static double value(String text, int line) {
    switch (text) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("line " + line + ": value '" + text + "'", e);
        }
    }
  }

  /** The value of one series exactly as written, or NaN when absent. */
  double value(String series) {
    return samples.getOrDefault(series, Double.NaN);
  }

  /** The sum over every series of {@code name} whose labels contain each of {@code labelPairs} (like method="x"). */
  double sum(String name, String... labelPairs) {
    double total = 0;
    for (Map.Entry<String, Double> s : samples.entrySet()) {
      String key = s.getKey();
      if (!(key.equals(name) || key.startsWith(name + "{"))) {
        continue;
      }
      boolean all = true;
      for (String pair : labelPairs) {
        all &= key.contains(pair);
      }
      if (all) {
        total += s.getValue();
      }
    }
    return total;
  }

  String type(String name) {
    return types.get(name);
  }

  boolean has(String name) {
    return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
  }
}
