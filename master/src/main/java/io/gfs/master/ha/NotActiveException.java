package io.gfs.master.ha;

import java.io.IOException;

/** A mutation reached a master whose term ended: the RPC edge answers NOT_MASTER, so clients look the alias up again. */
public final class NotActiveException extends IOException {
  private static final long serialVersionUID = 1L;

  public NotActiveException(String message) {
    super(message);
  }
}
