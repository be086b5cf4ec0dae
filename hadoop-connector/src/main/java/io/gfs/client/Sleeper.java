package io.gfs.client;

import java.io.InterruptedIOException;

/** Pauses between attempts; tests pass one that records the pauses instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  void sleep(long millis) throws InterruptedIOException;

  Sleeper SYSTEM = millis -> {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted while backing off");
      interrupted.initCause(e);
      throw interrupted;
    }
  };
}
