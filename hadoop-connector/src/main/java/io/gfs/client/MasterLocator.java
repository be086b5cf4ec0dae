package io.gfs.client;

import io.gfs.common.HostPort;
import java.io.Closeable;
import java.io.IOException;

/**
 * Finds the master's address: configured, or resolved from the cluster's canonical name in ZooKeeper [0122]. After a
 * transport failure the caller invalidates the address and asks again, so a restarted or replaced master is found.
 */
interface MasterLocator extends Closeable {
  HostPort locate() throws IOException;

  /** The address failed (or the server said it is not the master): forget it unless it changed meanwhile. */
  void invalidate(HostPort failed);

  /** A server named the current master (the hint of NOT_MASTER): use it until it fails. */
  void redirect(HostPort master);

  /**
   * A shadow master to read from while the active master cannot be reached [0123], or null when there is none (issue
   * 4). Its metadata may lag the active master's slightly.
   */
  default HostPort shadow() {
    return null;
  }

  @Override
  void close();
}
