package io.gfs.master.server;

import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;

/**
 * The master's safe mode (issue 8, HDFS's dfsadmin -safemode): while on, namespace and chunk mutations are refused with
 * SAFE_MODE and reads go on, so an operator can freeze the namespace (before a backup of the metadata directory, or
 * while investigating). Entered and left by the operator only: a master starts with it off, because clients and a
 * master taking over after a failover would otherwise see refusals until every chunkserver reported (see
 * docs/operations.md). Not persisted.
 */
final class SafeMode {
  private volatile boolean on;

  boolean on() {
    return on;
  }

  void enter() {
    on = true;
  }

  void leave() {
    on = false;
  }

  /** Refuses the operation with SAFE_MODE while safe mode is on. */
  void checkOff(String operation) throws GfsException {
    if (on) {
      throw RpcErrors.error(ErrorCode.SAFE_MODE, "%s refused: the master is in safe mode (read-only); an operator"
          + " leaves it with 'gfs admin safemode leave'", operation);
    }
  }
}
