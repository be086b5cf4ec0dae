package io.gfs.dist.reliability;

/** The faults the harness injects, each on a real process, socket or disk on loopback. */
enum FaultKind {
  /** SIGKILL a chunkserver process, restart it on the same port and data directory after the fault's duration. */
  KILL_CHUNKSERVER,
  /** SIGSTOP a chunkserver for the fault's duration, then SIGCONT: it keeps its sockets but answers nothing. */
  PAUSE_CHUNKSERVER,
  /** SIGKILL the master, restart it (recovering from its log) after the fault's duration. */
  KILL_MASTER,
  /** SIGSTOP the master for the fault's duration, then SIGCONT. */
  PAUSE_MASTER,
  /** Expire the master's ZooKeeper session on the ZooKeeper server (it steps down; the harness restarts it). */
  EXPIRE_ZK_SESSION,
  /** Reset every connection through the client-side loopback proxy; new ones are refused for the duration. */
  CUT_CONNECTIONS,
  /** Delay every byte forwarded by the client-side loopback proxy for the fault's duration. */
  DELAY_CONNECTIONS,
  /**
   * Reset every connection to one chunkserver (through the proxy it advertises): from clients, from the chunkservers
   * forwarding pushed data or mutations to it, from the master; new ones are refused for the fault's duration.
   */
  CUT_CHUNKSERVER_CONNECTIONS,
  /** Delay every byte sent to and from one chunkserver through its proxy for the fault's duration. */
  DELAY_CHUNKSERVER_CONNECTIONS,
  /**
   * A chunkserver's data disk throttled by the kernel's block layer ({@link SlowDisk}); not drawn by the schedule:
   * SlowDiskIT slows disks for whole phases and records each as a fault window.
   */
  SLOW_DISK
}
