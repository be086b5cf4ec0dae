package io.gfs.client;

import io.gfs.common.Check;
import io.gfs.common.HostPort;

/** The master named by fs.gfs.master.address; a NOT_MASTER hint redirects until that address fails. */
final class StaticMasterLocator implements MasterLocator {
  private final HostPort configured;
  private volatile HostPort current;

  StaticMasterLocator(HostPort configured) {
    this.configured = Check.notNull(configured, "configured");
    this.current = configured;
  }

  @Override
  public HostPort locate() {
    return current;
  }

  @Override
  public void invalidate(HostPort failed) {
    current = configured;
  }

  @Override
  public void redirect(HostPort master) {
    current = Check.notNull(master, "master");
  }

  @Override
  public void close() {}
}
