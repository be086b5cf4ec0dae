package io.gfs.dist;

import io.gfs.common.HostPort;

/** One server of a test or local cluster, in this JVM or in a process of its own. */
interface ClusterNode {
  HostPort address();

  /** A clean stop: the server closes its files and connections. */
  void stop();

  /** A crash: SIGKILL for a process; for a server in this JVM the closest thing, an abrupt close. */
  void kill();

  /** SIGSTOP: the process stops answering but keeps its sockets (process nodes only). */
  void pause();

  void resume();

  boolean alive();
}
