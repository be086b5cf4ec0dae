package io.gfs.common;

/** Cheap always-on assertions. A failed check is a bug (or bad input at an API edge), never an expected outcome. */
public final class Check {
  private Check() {}

  public static void argument(boolean condition, String format, Object... values) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(format, values));
    }
  }

  public static void state(boolean condition, String format, Object... values) {
    if (!condition) {
      throw new IllegalStateException(String.format(format, values));
    }
  }

  /** The same for one number, boxed only when the check fails (hot paths call this per chunk or per record). */
  public static void state(boolean condition, String format, long value) {
    if (!condition) {
      throw new IllegalStateException(String.format(format, value));
    }
  }

  public static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }
}
