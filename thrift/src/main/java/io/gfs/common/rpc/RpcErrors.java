package io.gfs.common.rpc;

import io.gfs.common.HostPort;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.ServerAddress;

/** Building typed errors and converting addresses between the wire and {@link HostPort}. */
public final class RpcErrors {
  private RpcErrors() {}

  public static GfsException error(ErrorCode code, String format, Object... values) {
    return new GfsException(code, values.length == 0 ? format : String.format(format, values));
  }

  public static ServerAddress toThrift(HostPort address) {
    return new ServerAddress(address.host(), address.port());
  }

  public static HostPort fromThrift(ServerAddress address) {
    return new HostPort(address.getHost(), address.getPort());
  }
}
