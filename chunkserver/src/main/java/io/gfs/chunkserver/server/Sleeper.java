package io.gfs.chunkserver.server;

/** Waiting, behind an interface, so tests run throttled background work on a simulated clock. */
@FunctionalInterface
interface Sleeper {
  Sleeper REAL = Thread::sleep;

  void sleep(long millis) throws InterruptedException;
}
