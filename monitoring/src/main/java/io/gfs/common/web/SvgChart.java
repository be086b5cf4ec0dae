package io.gfs.common.web;

import io.gfs.common.Check;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A line chart of samples over time as inline SVG, drawn on the server: no script, no CDN, and nothing to load, so the
 * page shows its charts even with scripts off. Colours come from the stylesheet (series classes s0, s1, ...).
 */
public final class SvgChart {
  private static final int WIDTH = 560;
  private static final int HEIGHT = 180;
  private static final int LEFT = 70;
  private static final int RIGHT = 10;
  private static final int TOP = 12;
  private static final int BOTTOM = 24;
  /** Series drawn at most (the stylesheet has that many colours). */
  public static final int SERIES_MAX = 4;

  /** One line: its name in the legend and a value per sample (NaN: no value, the line breaks there). */
  public record Series(String name, double[] values) {
    public Series {
      Check.notNull(name, "name");
      values = values.clone();
    }
  }

  private SvgChart() {}

  /**
   * The chart's SVG element. {@code timesMillis} are the samples' times, oldest first; every series has one value per
   * time. {@code label} formats the y axis (bytes, rates).
   */
  public static String render(String id, String title, long[] timesMillis, List<Series> series,
      DoubleFunction<String> label) {
    Check.argument(series.size() >= 1 && series.size() <= SERIES_MAX, "%s series", series.size());
    for (Series s : series) {
      Check.argument(s.values().length == timesMillis.length, "series %s has %s values for %s times", s.name(),
          s.values().length, timesMillis.length);
    }
    double max = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        if (Double.isFinite(v)) {
          max = Math.max(max, v);
        }
      }
    }
    max = max <= 0 ? 1 : max * 1.1;
    StringBuilder out = new StringBuilder(4096);
    out.append("<figure class=\"chart\" id=\"").append(Html.escape(id)).append("\"><figcaption>")
        .append(Html.escape(title)).append("</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(Html.escape(title))
        .append("\">");
    grid(out, max, label);
    timeAxis(out, timesMillis);
    for (int i = 0; i < series.size(); i++) {
      line(out, "s" + i, timesMillis, series.get(i).values(), max);
    }
    out.append("</svg><ul class=\"legend\">");
    for (int i = 0; i < series.size(); i++) {
      out.append("<li class=\"s").append(i).append("\">").append(Html.escape(series.get(i).name())).append("</li>");
    }
    return out.append("</ul></figure>").toString();
  }

  private static void grid(StringBuilder out, double max, DoubleFunction<String> label) {
    int plotHeight = HEIGHT - TOP - BOTTOM;
    for (int i = 0; i <= 4; i++) {
      double y = TOP + plotHeight * i / 4.0;
      out.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
          .append("\" y1=\"").append(fmt(y)).append("\" y2=\"").append(fmt(y)).append("\"/>");
      out.append("<text class=\"axis\" x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(y + 4))
          .append("\" text-anchor=\"end\">").append(Html.escape(label.apply(max * (4 - i) / 4.0))).append("</text>");
    }
  }

  private static void timeAxis(StringBuilder out, long[] timesMillis) {
    String text;
    if (timesMillis.length < 2) {
      text = timesMillis.length == 0 ? "no samples yet" : "one sample";
    } else {
      text = "last " + Format.millis(timesMillis[timesMillis.length - 1] - timesMillis[0]);
    }
    out.append("<text class=\"axis\" x=\"").append(LEFT).append("\" y=\"").append(HEIGHT - 6).append("\">")
        .append(Html.escape(text)).append("</text><text class=\"axis\" x=\"").append(WIDTH - RIGHT)
        .append("\" y=\"").append(HEIGHT - 6).append("\" text-anchor=\"end\">now</text>");
  }

  private static void line(StringBuilder out, String cssClass, long[] timesMillis, double[] values, double max) {
    if (timesMillis.length == 0) {
      return;
    }
    long first = timesMillis[0];
    long span = Math.max(1, timesMillis[timesMillis.length - 1] - first);
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        flush(out, cssClass, points);
        continue;
      }
      double x = timesMillis.length == 1 ? WIDTH - RIGHT : LEFT + plotWidth * (double) (timesMillis[i] - first) / span;
      double y = TOP + plotHeight * (1 - values[i] / max);
      points.append(fmt(x)).append(',').append(fmt(y)).append(' ');
    }
    flush(out, cssClass, points);
  }

  private static void flush(StringBuilder out, String cssClass, StringBuilder points) {
    if (points.length() > 0) {
      out.append("<polyline class=\"series ").append(cssClass).append("\" points=\"").append(points.toString().trim())
          .append("\"/>");
      points.setLength(0);
    }
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
