package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.Refusal;
import io.gfs.chunkserver.store.ChecksumMismatchException;
import io.gfs.chunkserver.store.NoSuchChunkException;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.io.IOException;

/** The one place where the chunkserver's internal failures become wire errors. */
final class Errors {
  private Errors() {}

  static GfsException of(Refusal refusal) {
    return RpcErrors.error(ErrorCode.valueOf(refusal.code().name()), refusal.getMessage());
  }

  static GfsException of(IOException e) {
    if (e instanceof ChecksumMismatchException) {
      return RpcErrors.error(ErrorCode.CHECKSUM_MISMATCH, e.getMessage());
    }
    if (e instanceof NoSuchChunkException) {
      return RpcErrors.error(ErrorCode.UNKNOWN_CHUNK, e.getMessage());
    }
    return RpcErrors.error(ErrorCode.IO_ERROR, "I/O error: %s", e.toString());
  }

  static GfsException invalid(String format, Object... values) {
    return RpcErrors.error(ErrorCode.INVALID_ARGUMENT, format, values);
  }

  /** A failure at another server, passed on with that server named in the message and the hint. */
  static GfsException from(String server, String what, GfsException cause) {
    GfsException e = RpcErrors.error(cause.getCode(), "%s at %s: %s", what, server, cause.getMessage());
    e.setHint(cause.isSetHint() ? cause.getHint() : server);
    return e;
  }

  static GfsException unreachable(String server, String what, Throwable cause) {
    GfsException e = RpcErrors.error(ErrorCode.IO_ERROR, "%s at %s failed: %s", what, server, cause.toString());
    e.setHint(server);
    return e;
  }
}
