package io.gfs.common.security;

/** A chunk access token is not valid for the call: the message says why (missing, forged, expired, other chunk...). */
public final class TokenException extends Exception {
  private static final long serialVersionUID = 1L;

  public TokenException(String message) {
    super(message, null, false, false);
  }
}
