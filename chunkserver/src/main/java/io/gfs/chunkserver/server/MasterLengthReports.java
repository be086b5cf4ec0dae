package io.gfs.chunkserver.server;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcLimits;
import java.util.function.LongSupplier;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's length reports to the active master (reportReplicaLength, issue 6). The report is made while the
 * chunk's next group waits, so a master that does not answer must not cost every group a call timeout: after a failure
 * the reports pause for a while and the appenders report their own records meanwhile, as they did before.
 */
final class MasterLengthReports implements LengthReporter, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterLengthReports.class);
  /** Pause after a failed report (the heartbeat loop looks the master up again meanwhile). */
  static final long PAUSE_MILLIS_AFTER_FAILURE = 1000;
  /** Pause after a master answered that it does not know the call (an older master; it may be upgraded). */
  static final long PAUSE_MILLIS_AFTER_UNKNOWN_METHOD = 60_000;
  /**
   * The longest wait for the master's answer, below the ordinary call timeout (60 s by default): the chunk's next group
   * waits for it, and the master answers from memory on its selector thread, so a slower answer means a master in
   * trouble (a long pause, a failover); the appenders then report their own records without holding the chunk.
   */
  static final int CALL_TIMEOUT_MILLIS_MAX = 5000;

  private final String serverId;
  private final RpcClients rpc;
  private final MasterLocator locator;
  private final LongSupplier clock;
  /** On the clock's scale: no report before this. */
  private volatile long pausedUntilMillis = Long.MIN_VALUE;

  MasterLengthReports(String serverId, RpcLimits limits, MasterLocator locator, LongSupplier clock) {
    this.serverId = serverId;
    this.rpc = new RpcClients(limits.withCallTimeoutMillis(Math.min(limits.callTimeoutMillis(),
        CALL_TIMEOUT_MILLIS_MAX)));
    this.locator = locator;
    this.clock = clock;
  }

  @Override
  public boolean report(long handle, long version, long lengthBytes) {
    if (clock.getAsLong() < pausedUntilMillis) {
      return false;
    }
    HostPort master = null;
    try {
      master = locator.master();
      HostPort to = master;
      rpc.master(to, c -> {
        c.reportReplicaLength(serverId, handle, version, lengthBytes);
        return null;
      });
      return true;
    } catch (TApplicationException e) {
      boolean unknown = e.getType() == TApplicationException.UNKNOWN_METHOD;
      pause(unknown ? PAUSE_MILLIS_AFTER_UNKNOWN_METHOD : PAUSE_MILLIS_AFTER_FAILURE, handle, e);
    } catch (TTransportException e) {
      if (master != null) {
        rpc.forget(master);
      }
      pause(PAUSE_MILLIS_AFTER_FAILURE, handle, e);
    } catch (Exception e) { // refused (typed), or no master found: the appenders report this group themselves
      LOG.debug("length report of chunk {} refused: {}", handle, e.toString());
    }
    return false;
  }

  @Override
  public void close() {
    rpc.close();
  }

  private void pause(long millis, long handle, Exception e) {
    pausedUntilMillis = clock.getAsLong() + millis;
    LOG.info("length report of chunk {} to the master failed ({}); appenders report their own records for {} ms",
        handle, e.toString(), millis);
  }
}
