package io.gfs.common.rpc;

/**
 * Whether the reply a handler is making on this thread may carry a binary field in a direct buffer. The RPC server's
 * reply protocol takes one (and sends a big one to a plain-TCP socket without copying it, {@link ReplyBuffer}), but
 * libthrift's own protocols ask a binary for its array, so a handler run any other way (a test's processor, a fuzzer)
 * must hand out heap bytes. A handler asks {@link #acceptedOnThisThread()} while it makes its reply.
 */
public final class DirectBinaries {
  private static final ThreadLocal<boolean[]> ACCEPTED = ThreadLocal.withInitial(() -> new boolean[1]);

  private DirectBinaries() {}

  /** True while this thread runs a call whose reply is written by the RPC server's protocol. */
  public static boolean acceptedOnThisThread() {
    return ACCEPTED.get()[0];
  }

  /** Set by the server around each call's handler. */
  static void acceptOnThisThread(boolean accepted) {
    ACCEPTED.get()[0] = accepted;
  }
}
