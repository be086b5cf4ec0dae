package io.gfs.client;

import io.gfs.common.Check;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * A typed error from a gfs server, as the client library raises it: the {@link ErrorCode} and the server's message
 * (prefixed with what the client was doing). NOT_FOUND surfaces as a plain {@link FileNotFoundException} instead, which
 * is what every java.io caller expects; the Hadoop adapter maps the other codes in one place (GfsErrors).
 */
public class GfsClientException extends IOException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public GfsClientException(ErrorCode code, String message) {
    super(message);
    this.code = Check.notNull(code, "code");
  }

  public GfsClientException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Check.notNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }

  /** The client-side form of a server's error; context says what was being done ("create /a/b"). */
  public static IOException of(GfsException e, String context) {
    ErrorCode code = e.getCode() == null ? ErrorCode.INTERNAL : e.getCode();
    String message = context + ": " + code + ": " + e.getMessage();
    if (code == ErrorCode.NOT_FOUND) {
      FileNotFoundException notFound = new FileNotFoundException(message);
      notFound.initCause(e);
      return notFound;
    }
    return new GfsClientException(code, message, e);
  }
}
