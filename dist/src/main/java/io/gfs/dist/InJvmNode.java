package io.gfs.dist;

import io.gfs.common.HostPort;

/** A server running in this JVM. Fast to start; kill is a close, so crash tests use {@link ProcessNode}. */
final class InJvmNode implements ClusterNode {
  private final AutoCloseable server;
  private final HostPort address;
  private volatile boolean alive = true;

  InJvmNode(AutoCloseable server, HostPort address) {
    this.server = server;
    this.address = address;
  }

  @Override
  public HostPort address() {
    return address;
  }

  @Override
  public void stop() {
    if (alive) {
      alive = false;
      try {
        server.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + address + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void kill() {
    stop();
  }

  @Override
  public void pause() {
    throw new UnsupportedOperationException("pause needs separate processes (MiniGfsCluster.separateProcesses)");
  }

  @Override
  public void resume() {
    throw new UnsupportedOperationException("resume needs separate processes (MiniGfsCluster.separateProcesses)");
  }

  @Override
  public boolean alive() {
    return alive;
  }
}
