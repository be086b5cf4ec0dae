package io.gfs.common;

/**
 * One configuration key: its name, its default as text (null when the key is required) and one sentence giving the
 * unit and range. Values are read only through {@link GfsConfig}'s typed getters.
 */
public record ConfigKey(String name, String defaultValue, String description) {
  public ConfigKey {
    Check.notNull(name, "name");
    Check.notNull(description, "description");
  }

  public boolean required() {
    return defaultValue == null;
  }
}
