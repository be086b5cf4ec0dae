package io.gfs.master.server;

import io.gfs.thrift.gen.ClusterStatus;
import io.gfs.thrift.gen.MasterService;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;

/**
 * Sits between the RPC server and the active master's handler (issue 8): refuses the mutating calls with SAFE_MODE
 * while safe mode is on, and adds the operator's view to getClusterStatus. Kept out of the handler's methods so that
 * every call is filtered in one place (as {@code ShadowService} filters a shadow's).
 */
final class AdminFilter {
  /** Calls that change the namespace or a chunk (a lease grant bumps a version or allocates a chunk). */
  static final Set<String> MUTATIONS = Set.of("mkdirs", "create", "remove", "undelete", "rename", "renameHadoop",
      "acquireLease", "setPermission", "setOwner", "setTimes", "setReplication", "concat", "createSnapshot",
      "deleteSnapshot", "renameSnapshot", "setPolicy");

  private AdminFilter() {}

  static MasterService.Iface wrap(AdminRpcs handler, SafeMode safeMode) {
    InvocationHandler filter = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return method.invoke(handler, args);
      }
      if (MUTATIONS.contains(method.getName())) {
        safeMode.checkOff(method.getName());
      }
      Object answer;
      try {
        answer = method.invoke(handler, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (answer instanceof ClusterStatus status) {
        handler.decorate(status);
      }
      return answer;
    };
    return (MasterService.Iface) Proxy.newProxyInstance(AdminFilter.class.getClassLoader(),
        new Class<?>[] {MasterService.Iface.class}, filter);
  }
}
