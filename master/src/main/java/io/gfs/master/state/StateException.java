package io.gfs.master.state;

import io.gfs.common.Check;

/** An expected refusal (bad input, missing path): carries a {@link StateError} that the server maps to the wire. */
public final class StateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final StateError error;

  public StateException(StateError error, String message) {
    super(message);
    this.error = Check.notNull(error, "error");
  }

  public static StateException of(StateError error, String format, Object... values) {
    return new StateException(error, values.length == 0 ? format : String.format(format, values));
  }

  public StateError error() {
    return error;
  }
}
