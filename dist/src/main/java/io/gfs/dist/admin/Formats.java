package io.gfs.dist.admin;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the admin tool writes and reads sizes, times and durations. */
final class Formats {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private Formats() {}

  /** 1536 as "1.5 KiB"; bytes below 1 KiB as "512 B". */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }

  static String percent(long part, long whole) {
    return whole <= 0 ? "0.0%" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", 100.0 * fraction);
  }

  static String time(long epochMillis) {
    return TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  /** 2500 as "2.5s", 90_000 as "1m30s". */
  static String age(long millis) {
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long seconds = millis / 1000;
    return seconds / 60 + "m" + seconds % 60 + "s";
  }

  /** "500ms", "30s", "15m", "12h", "7d", or plain milliseconds; "-1" means inherit where a policy allows it. */
  static long durationMillis(String text) throws UsageException {
    if (text.equals("-1")) {
      return -1;
    }
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new UsageException("bad duration '" + text + "' (e.g. 500ms, 30s, 15m, 12h, 7d)");
    }
    long value;
    try {
      value = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new UsageException("duration '" + text + "' too large");
    }
    String unit = m.group(2) == null ? "ms" : m.group(2);
    long factor = switch (unit) {
      case "s" -> 1000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      case "d" -> 86_400_000L;
      default -> 1L;
    };
    try {
      return Math.multiplyExact(value, factor);
    } catch (ArithmeticException e) {
      throw new UsageException("duration '" + text + "' too large");
    }
  }

  /** A retention as the policy shows it: "inherit", "purge at once" or a duration. */
  static String retention(long millis) {
    if (millis < 0) {
      return "inherit";
    }
    if (millis == 0) {
      return "0 (purged at once)";
    }
    if (millis % 86_400_000L == 0) {
      return millis / 86_400_000L + "d";
    }
    if (millis % 3_600_000L == 0) {
      return millis / 3_600_000L + "h";
    }
    if (millis % 60_000L == 0) {
      return millis / 60_000L + "m";
    }
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  static int integer(String text, String what) throws UsageException {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("bad " + what + " '" + text + "' (an integer)");
    }
  }
}
