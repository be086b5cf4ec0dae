package io.gfs.dist.reliability;

/**
 * One completed (or abandoned) namespace operation from one client, for the linearizability check: what was asked,
 * when (System.nanoTime at the call and at its return) and what came back. An operation whose outcome is unknown
 * (a transport failure after retries: the master may or may not have done it) has status UNKNOWN, and may be placed
 * anywhere after its invocation, or nowhere.
 */
record NamespaceOp(int client, Kind kind, String name, String target, long invokeNanos, long completeNanos,
    Status status, String value) {

  enum Kind { MKDIR, CREATE, DELETE, RENAME, STATUS }

  /** OK (value holds the result), REFUSED (a typed error: exists, not found...), UNKNOWN (no answer). */
  enum Status { OK, REFUSED, UNKNOWN }

  /** Values of a STATUS operation's result. */
  static final String FILE = "FILE";
  static final String DIR = "DIR";
  static final String ABSENT = "ABSENT";

  long effectiveCompleteNanos() {
    return status == Status.UNKNOWN ? Long.MAX_VALUE : completeNanos;
  }

  @Override
  public String toString() {
    String args = kind == Kind.RENAME ? name + " -> " + target : name;
    return "c" + client + " " + kind + "(" + args + ") = " + status + (value.isEmpty() ? "" : " " + value)
        + " [" + invokeNanos + ", " + (status == Status.UNKNOWN ? "?" : completeNanos) + "]";
  }
}
