package io.gfs.master.server;

import io.gfs.common.GfsPaths;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.master.state.StateError;
import io.gfs.master.state.StateException;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a handler's outcome becomes a wire error: state refusals map to their ErrorCode, malformed paths
 * to INVALID_PATH, log failures to IO_ERROR, a bad argument to INVALID_ARGUMENT, and anything unexpected to INTERNAL
 * (logged with its stack; the server goes on serving).
 */
final class HandlerGuard {
  private static final Logger LOG = LoggerFactory.getLogger(HandlerGuard.class);

  @FunctionalInterface
  interface Body<T> {
    T run() throws Exception;
  }

  private HandlerGuard() {}

  static <T> T call(String operation, Body<T> body) throws GfsException {
    try {
      return body.run();
    } catch (GfsException e) {
      throw e;
    } catch (StateException e) {
      throw RpcErrors.error(code(e.error()), e.getMessage());
    } catch (GfsPaths.InvalidPathException e) {
      throw RpcErrors.error(ErrorCode.INVALID_PATH, e.getMessage());
    } catch (io.gfs.master.ha.NotActiveException e) {
      // HA hook (issue 4): a deposed master answers NOT_MASTER, which makes clients resolve the alias again.
      throw RpcErrors.error(ErrorCode.NOT_MASTER, "%s: %s", operation, e.getMessage());
    } catch (IOException e) {
      LOG.error("{} failed on metadata I/O: {}", operation, e.toString());
      throw RpcErrors.error(ErrorCode.IO_ERROR, "%s: master metadata I/O failed: %s", operation, e.getMessage());
    } catch (IllegalArgumentException e) {
      LOG.warn("{}: bad argument: {}", operation, e.getMessage());
      throw RpcErrors.error(ErrorCode.INVALID_ARGUMENT, "%s: %s", operation, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RpcErrors.error(ErrorCode.INTERNAL, "%s interrupted (master shutting down?)", operation);
    } catch (Exception e) {
      LOG.error("{} failed unexpectedly", operation, e);
      throw RpcErrors.error(ErrorCode.INTERNAL, "%s failed inside the master: %s", operation, e.toString());
    }
  }

  static ErrorCode code(StateError error) {
    return switch (error) {
      case NOT_FOUND -> ErrorCode.NOT_FOUND;
      case ALREADY_EXISTS -> ErrorCode.ALREADY_EXISTS;
      case PARENT_NOT_DIRECTORY -> ErrorCode.PARENT_NOT_DIRECTORY;
      case DIRECTORY_NOT_EMPTY -> ErrorCode.DIRECTORY_NOT_EMPTY;
      case IS_DIRECTORY -> ErrorCode.IS_DIRECTORY;
      case NOT_DIRECTORY -> ErrorCode.NOT_DIRECTORY;
      case INVALID_PATH -> ErrorCode.INVALID_PATH;
      case INVALID_ARGUMENT -> ErrorCode.INVALID_ARGUMENT;
      case OUT_OF_RANGE -> ErrorCode.OUT_OF_RANGE;
      case NO_CHUNKSERVERS -> ErrorCode.NO_CHUNKSERVERS;
      case UNKNOWN_CHUNK -> ErrorCode.UNKNOWN_CHUNK;
      case PERMISSION_DENIED -> ErrorCode.PERMISSION_DENIED;
      case BUSY -> ErrorCode.BUSY;
      case STALE_VERSION -> ErrorCode.STALE_VERSION;
    };
  }
}
