package io.gfs.chunkserver.state;

/**
 * An expected "no" from the state (stale version, no lease, buffer full...), as opposed to a bug. Checked, so every
 * caller decides what to tell its peer; the server turns it into a GfsException with the same code.
 */
public final class Refusal extends Exception {
  private static final long serialVersionUID = 1L;

  private final RefusalCode code;

  public Refusal(RefusalCode code, String format, Object... values) {
    super(values.length == 0 ? format : String.format(format, values), null, false, false);
    this.code = code;
  }

  public RefusalCode code() {
    return code;
  }
}
