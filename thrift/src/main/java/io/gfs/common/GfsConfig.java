package io.gfs.common;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Typed, validated reads of {@link GfsConfigKeys}. Servers build one from a properties file; the Hadoop connector from
 * a Hadoop Configuration (through a lookup function). No other code reads a key by its string.
 */
public final class GfsConfig {
  private final Function<String, String> lookup;

  private GfsConfig(Function<String, String> lookup) {
    this.lookup = lookup;
  }

  public static GfsConfig of(Map<String, String> values) {
    Map<String, String> copy = new TreeMap<>(values);
    return new GfsConfig(copy::get);
  }

  public static GfsConfig of(Function<String, String> lookup) {
    return new GfsConfig(lookup);
  }

  /** Reads a Java properties file; unknown gfs.* keys are rejected so typos do not pass silently. */
  public static GfsConfig load(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IllegalArgumentException e) {
      // Properties.load refuses a malformed Unicode escape this way (GfsConfigFuzzTest finding).
      throw new ConfigException(file + ": " + e.getMessage());
    }
    Map<String, String> values = new TreeMap<>();
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith("gfs.") && GfsConfigKeys.find(name) == null) {
        throw new ConfigException(file + ": unknown key '" + name + "'");
      }
      values.put(name, properties.getProperty(name).trim());
    }
    return of(values);
  }

  public String raw(ConfigKey key) {
    String value = lookup.apply(key.name());
    if (value != null) {
      value = value.trim();
    }
    if (value == null || value.isEmpty()) {
      value = key.defaultValue();
    }
    if (value == null) {
      throw new ConfigException("required key '" + key.name() + "' is not set (" + key.description() + ")");
    }
    return value;
  }

  public String getString(ConfigKey key) {
    return raw(key);
  }

  public boolean isSet(ConfigKey key) {
    String value = lookup.apply(key.name());
    return value != null && !value.trim().isEmpty();
  }

  public int getInt(ConfigKey key, int min, int max) {
    long value = getLong(key, min, max);
    return (int) value;
  }

  public long getLong(ConfigKey key, long min, long max) {
    String text = raw(key);
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new ConfigException("key '" + key.name() + "': '" + text + "' is not a whole number");
    }
    return inRange(key, value, min, max);
  }

  public boolean getBoolean(ConfigKey key) {
    String text = raw(key).toLowerCase(Locale.ROOT);
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new ConfigException("key '" + key.name() + "': '" + text + "' is not true or false");
  }

  /** A size with an optional k, m, g or t suffix (binary units): "64m" is 67108864. */
  public long getBytes(ConfigKey key, long min, long max) {
    String text = raw(key).toLowerCase(Locale.ROOT);
    long multiplier = 1;
    String digits = text;
    if (!text.isEmpty()) {
      char unit = text.charAt(text.length() - 1);
      int shift = switch (unit) {
        case 'k' -> 10;
        case 'm' -> 20;
        case 'g' -> 30;
        case 't' -> 40;
        default -> 0;
      };
      if (shift > 0) {
        multiplier = 1L << shift;
        digits = text.substring(0, text.length() - 1);
      }
    }
    long value;
    try {
      value = Math.multiplyExact(Long.parseLong(digits), multiplier);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException("key '" + key.name() + "': '" + text + "' is not a byte count (like 1048576 or 64m)");
    }
    return inRange(key, value, min, max);
  }

  /** Milliseconds; the key's name ends in ".ms". */
  public long getMillis(ConfigKey key, long min, long max) {
    return getLong(key, min, max);
  }

  public List<String> getList(ConfigKey key) {
    List<String> out = new ArrayList<>();
    for (String part : raw(key).split(",")) {
      // Trim before the emptiness test: trim() also drops control characters (a NUL) that isBlank() keeps, so a
      // part of only those would come out as an empty element (GfsConfigFuzzTest's finding).
      String element = part.trim();
      if (!element.isBlank()) {
        out.add(element);
      }
    }
    return List.copyOf(out);
  }

  /** host:port. */
  public HostPort getHostPort(ConfigKey key) {
    try {
      return HostPort.parse(raw(key));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("key '" + key.name() + "': " + e.getMessage());
    }
  }

  private static long inRange(ConfigKey key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ConfigException(
          "key '" + key.name() + "': " + value + " is outside [" + min + ", " + max + "] (" + key.description() + ")");
    }
    return value;
  }
}
