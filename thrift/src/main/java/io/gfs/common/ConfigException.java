package io.gfs.common;

/** A configuration value is missing or malformed; the message names the key and the value. */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
