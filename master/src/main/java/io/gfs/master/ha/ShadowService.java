package io.gfs.master.ha;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.common.rpc.RpcServer;
import io.gfs.common.security.CallerEnvelope;
import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.LogBatch;
import io.gfs.thrift.gen.MasterService;
import io.gfs.thrift.gen.ShadowReport;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.InstantSource;
import java.util.Set;

/**
 * What a shadow master serves [0123-0124]: the read-only metadata calls, answered by a full master handler over the
 * shadow's own state (which only the replicated log changes, and chunkservers' reports locate), with the caller's
 * permissions checked as the active master checks them; replicateLog from the active master; reportToShadow from
 * chunkservers; and READ_ONLY_SHADOW for everything else. getClusterStatus says role "shadow" and the measured lag.
 */
public final class ShadowService {
  /** Calls a shadow answers from its (possibly slightly stale) state. */
  static final Set<String> READS = Set.of("getFileInfo", "listStatus", "listStatusPage", "findChunks",
      "getClusterStatus", "getContentSummary");

  private ShadowService() {}

  public static RpcServer start(HostPort bind, RpcLimits limits, LogReplica replica, MasterService.Iface reads,
      ShadowReports reports, InstantSource clock) throws IOException {
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return method.invoke(replica, args);
      }
      String name = method.getName();
      if (name.equals("replicateLog")) {
        try {
          return replica.accept((LogBatch) args[0], clock.millis());
        } catch (IOException e) {
          throw RpcErrors.error(ErrorCode.IO_ERROR, "replicateLog: %s", e.getMessage());
        }
      }
      if (name.equals("reportToShadow")) {
        try {
          return reports.accept((ShadowReport) args[0], clock.millis());
        } catch (RuntimeException e) { // a report the state could not take: typed, never a dead connection
          throw RpcErrors.error(ErrorCode.INVALID_ARGUMENT, "reportToShadow: %s", e.getMessage());
        }
      }
      if (!READS.contains(name)) {
        throw RpcErrors.error(ErrorCode.READ_ONLY_SHADOW, "%s: this is a read-only shadow master; mutations go to the"
            + " active master (the cluster's alias)", name);
      }
      Object answer;
      try {
        answer = method.invoke(reads, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (answer instanceof ClusterStatus status) {
        status.setRole("shadow");
        status.setLogLagMillis(replica.lagMillis());
      }
      return answer;
    };
    MasterService.Iface shadow = (MasterService.Iface) Proxy.newProxyInstance(ShadowService.class.getClassLoader(),
        new Class<?>[] {MasterService.Iface.class}, handler);
    // The caller's identity rides in each call's envelope (issue 7): the handler checks permissions for it.
    return RpcServer.start("master-shadow", bind, CallerEnvelope.serve(
        new io.gfs.ha.RequestIdProcessor(new MasterService.Processor<>(shadow))), limits);
  }
}
