package io.gfs.dist.reliability;

/**
 * One planned fault: what, on which server (index of a chunkserver; 0 for the master and the proxy), when after the
 * scenario's start, and for how long it lasts before the harness heals it.
 */
record Fault(FaultKind kind, int target, long startMillis, long durationMillis) {
  Fault {
    if (target < 0 || startMillis < 0 || durationMillis < 0) {
      throw new IllegalArgumentException("fault " + kind + " target " + target + " at " + startMillis
          + " ms for " + durationMillis + " ms");
    }
  }

  String targetName() {
    return switch (kind) {
      case KILL_CHUNKSERVER, PAUSE_CHUNKSERVER -> "cs" + target;
      case CUT_CHUNKSERVER_CONNECTIONS, DELAY_CHUNKSERVER_CONNECTIONS -> "proxy-cs" + target;
      case SLOW_DISK -> "disk-cs" + target;
      case KILL_MASTER, PAUSE_MASTER, EXPIRE_ZK_SESSION -> "master";
      case CUT_CONNECTIONS, DELAY_CONNECTIONS -> "proxy";
    };
  }

  @Override
  public String toString() {
    return kind + "(" + targetName() + ") at " + startMillis + " ms for " + durationMillis + " ms";
  }
}
