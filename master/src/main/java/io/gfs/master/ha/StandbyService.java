package io.gfs.master.ha;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.common.rpc.RpcServer;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.LogBatch;
import io.gfs.thrift.gen.MasterService;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.InstantSource;

/**
 * What a standby master serves on its address until it is elected: replicateLog from the active master; every other
 * call is answered NOT_MASTER (clients go back to the alias). A dynamic proxy keeps this independent of the dozens of
 * client calls the active master's handler implements.
 */
public final class StandbyService {
  private StandbyService() {}

  public static RpcServer start(HostPort bind, RpcLimits limits, LogReplica replica, InstantSource clock)
      throws IOException {
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return method.invoke(replica, args);
      }
      if (method.getName().equals("replicateLog")) {
        try {
          return replica.accept((LogBatch) args[0], clock.millis());
        } catch (IOException e) {
          throw RpcErrors.error(ErrorCode.IO_ERROR, "replicateLog: %s", e.getMessage());
        }
      }
      throw RpcErrors.error(ErrorCode.NOT_MASTER, "%s: this master is a standby; ask the cluster's alias",
          method.getName());
    };
    MasterService.Iface standby = (MasterService.Iface) Proxy.newProxyInstance(
        StandbyService.class.getClassLoader(), new Class<?>[] {MasterService.Iface.class}, handler);
    return RpcServer.start("master-standby", bind, new io.gfs.ha.RequestIdProcessor(new MasterService.Processor<>(standby)), limits);
  }
}
