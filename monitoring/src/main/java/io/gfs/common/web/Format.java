package io.gfs.common.web;

import java.util.Locale;

/** Numbers as operators read them on the pages: binary byte units, short durations, rates. */
public final class Format {
  private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private Format() {}

  public static String bytes(double bytes) {
    if (!Double.isFinite(bytes)) {
      return "-";
    }
    double value = Math.abs(bytes);
    int unit = 0;
    while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    String sign = bytes < 0 ? "-" : "";
    return unit == 0 ? sign + (long) value + " B"
        : sign + String.format(Locale.ROOT, value < 10 ? "%.2f %s" : value < 100 ? "%.1f %s" : "%.0f %s", value,
            BYTE_UNITS[unit]);
  }

  public static String millis(long millis) {
    if (millis < 0) {
      return "-";
    }
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    if (millis < 3_600_000) {
      return (millis / 60_000) + " min " + (millis % 60_000) / 1000 + " s";
    }
    return (millis / 3_600_000) + " h " + (millis % 3_600_000) / 60_000 + " min";
  }

  /** A count or rate with at most three significant decimals. */
  public static String number(double value) {
    if (!Double.isFinite(value)) {
      return "-";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, Math.abs(value) < 10 ? "%.2f" : "%.1f", value);
  }

  public static String percent(double fraction) {
    return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.1f%%", 100 * fraction) : "-";
  }
}
