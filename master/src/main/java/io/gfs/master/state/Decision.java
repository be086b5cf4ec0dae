package io.gfs.master.state;

import io.gfs.common.Check;
import java.util.Optional;

/**
 * What the master decided about a namespace command: a refusal, nothing to do (with the answer), or a record to make
 * durable and then apply. The caller holds the namespace locks from decide through apply.
 */
public record Decision(Optional<LogRecord> record, StateError error, String message, boolean answer) {
  public Decision {
    Check.notNull(record, "record");
    Check.argument(error == null || record.isEmpty(), "a refusal carries no record");
  }

  public static Decision log(LogRecord record) {
    return new Decision(Optional.of(record), null, "", true);
  }

  /** Nothing to log; the command's boolean answer (for example mkdirs of an existing directory: true). */
  public static Decision noop(boolean answer) {
    return new Decision(Optional.empty(), null, "", answer);
  }

  public static Decision reject(StateError error, String format, Object... values) {
    return new Decision(Optional.empty(), error, values.length == 0 ? format : String.format(format, values), false);
  }

  public boolean rejected() {
    return error != null;
  }

  /** Throws the refusal as a {@link StateException}; returns this decision otherwise. */
  public Decision orThrow() {
    if (error != null) {
      throw new StateException(error, message);
    }
    return this;
  }
}
