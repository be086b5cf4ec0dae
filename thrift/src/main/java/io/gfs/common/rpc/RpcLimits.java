package io.gfs.common.rpc;

import io.gfs.common.Check;
import io.gfs.common.ConfigException;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys;
import io.gfs.common.GfsConfigKeys.Rpc;

/**
 * The bounds every RPC endpoint enforces, on the server and the client side alike, and the transport security
 * ({@link RpcTls}) both sides speak: whatever builds its servers and clients from one RpcLimits agrees on both.
 */
public record RpcLimits(
    int frameBytesMax,
    int stringBytesMax,
    int containerLengthMax,
    int workerThreads,
    int selectorThreads,
    int queueLengthMax,
    long readBufferBytesMax,
    long idleTimeoutMillis,
    int callTimeoutMillis,
    RpcTls tls) {

  public RpcLimits {
    Check.argument(frameBytesMax >= 2 * GfsConfigKeys.DATA_PIECE_BYTES_MAX,
        "frame max %s must hold a data piece of %s bytes with room to spare", frameBytesMax,
        GfsConfigKeys.DATA_PIECE_BYTES_MAX);
    Check.argument(stringBytesMax > GfsConfigKeys.DATA_PIECE_BYTES_MAX && stringBytesMax <= frameBytesMax,
        "string max %s must exceed a data piece and fit in a frame (%s)", stringBytesMax, frameBytesMax);
    Check.argument(readBufferBytesMax >= frameBytesMax, "read buffer max %s < frame max %s", readBufferBytesMax,
        frameBytesMax);
    Check.argument(workerThreads > 0 && selectorThreads > 0 && queueLengthMax > 0, "thread and queue counts > 0");
    Check.notNull(tls, "tls");
  }

  /** The gfs.rpc.* keys; values that are fine alone but inconsistent together are a ConfigException too. */
  public static RpcLimits from(GfsConfig config) {
    try {
      return read(config);
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException("gfs.rpc.* keys: " + e.getMessage());
    }
  }

  private static RpcLimits read(GfsConfig config) {
    return new RpcLimits(
        (int) config.getBytes(Rpc.FRAME_BYTES_MAX, 2L << 20, 256L << 20),
        (int) config.getBytes(Rpc.STRING_BYTES_MAX, 64L << 10, 256L << 20),
        config.getInt(Rpc.CONTAINER_LENGTH_MAX, 1000, 100_000_000),
        config.getInt(Rpc.WORKER_THREADS, 1, 1024),
        config.getInt(Rpc.SELECTOR_THREADS, 1, 64),
        config.getInt(Rpc.QUEUE_LENGTH_MAX, 1, 1_000_000),
        config.getBytes(Rpc.READ_BUFFER_BYTES_MAX, 2L << 20, 1L << 40),
        config.getMillis(Rpc.IDLE_TIMEOUT_MS, 1000, 86_400_000),
        (int) config.getMillis(Rpc.CALL_TIMEOUT_MS, 100, 3_600_000),
        RpcTls.from(config));
  }

  public static RpcLimits defaults() {
    return from(GfsConfig.of(java.util.Map.of()));
  }

  public RpcLimits withCallTimeoutMillis(int millis) {
    return new RpcLimits(frameBytesMax, stringBytesMax, containerLengthMax, workerThreads, selectorThreads,
        queueLengthMax, readBufferBytesMax, idleTimeoutMillis, millis, tls);
  }

  public RpcLimits withIdleTimeoutMillis(long millis) {
    return new RpcLimits(frameBytesMax, stringBytesMax, containerLengthMax, workerThreads, selectorThreads,
        queueLengthMax, readBufferBytesMax, millis, callTimeoutMillis, tls);
  }
}
