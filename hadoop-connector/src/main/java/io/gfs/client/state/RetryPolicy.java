package io.gfs.client.state;

import io.gfs.common.Check;
import io.gfs.thrift.gen.ErrorCode;

/**
 * How often the client tries a read, write or record append and how long it pauses between tries: backoffMillis
 * doubling from the first pause, capped at {@link #BACKOFF_MILLIS_MAX}. Also which server errors are worth another try
 * (the chunk moved, a lease changed hands, a replica was busy or broken) and which are final answers about the
 * namespace or the request.
 */
public record RetryPolicy(int attemptsMax, long backoffMillis) {
  /** No pause between two attempts grows beyond this. */
  public static final long BACKOFF_MILLIS_MAX = 30_000;

  public RetryPolicy {
    Check.argument(attemptsMax >= 1, "attempts max %s < 1", attemptsMax);
    Check.argument(backoffMillis >= 0, "backoff %s ms < 0", backoffMillis);
  }

  /** The pause after failed attempt number failedAttempt (0 for the first attempt). */
  public long pauseMillis(int failedAttempt) {
    Check.argument(failedAttempt >= 0, "attempt %s < 0", failedAttempt);
    if (backoffMillis == 0) {
      return 0;
    }
    int shift = Math.min(failedAttempt, 30);
    long pause = backoffMillis << shift;
    return pause < 0 || pause > BACKOFF_MILLIS_MAX ? Math.max(backoffMillis, BACKOFF_MILLIS_MAX) : pause;
  }

  /** Whether another attempt may succeed where failedAttempt (0-based) failed. */
  public boolean mayRetry(int failedAttempt) {
    return failedAttempt + 1 < attemptsMax;
  }

  /**
   * True for errors that say "not now" or "not here": the client drops what it cached, asks the master again and
   * tries again. False for errors that say the request itself is wrong, which another attempt would repeat.
   */
  public static boolean retryable(ErrorCode code) {
    return switch (code) {
      case NOT_PRIMARY, STALE_VERSION, LEASE_EXPIRED, CHECKSUM_MISMATCH, UNKNOWN_CHUNK, DATA_NOT_FOUND,
          NO_CHUNKSERVERS, NOT_MASTER, READ_ONLY_SHADOW, BUSY, IO_ERROR, INTERNAL -> true;
      // A deposed master's term: the cluster has a newer master, which another attempt finds.
      case STALE_EPOCH -> true;
      // An expired (or not yet known) access token: the master hands out a fresh one with the next lookup or lease.
      case INVALID_TOKEN -> true;
      case NOT_FOUND, ALREADY_EXISTS, PARENT_NOT_DIRECTORY, DIRECTORY_NOT_EMPTY, INVALID_PATH, IS_DIRECTORY,
          NOT_DIRECTORY, INVALID_ARGUMENT, RECORD_TOO_LARGE, OUT_OF_RANGE, PERMISSION_DENIED -> false;
      // The record did not fit: not a failure, the record append moves to the next chunk [0107].
      case CHUNK_FULL -> false;
      // The master refuses mutations in safe mode (issue 8) until an operator or the start-up check leaves it.
      case SAFE_MODE -> false;
    };
  }

  /**
   * True for the master's answers that say "not me" or "not now" (including a master deposed by a newer term): the
   * client locates the master again (or waits) and repeats the call. Every other typed answer from the master is
   * final.
   */
  public static boolean retriedAtMaster(ErrorCode code) {
    return code == ErrorCode.NOT_MASTER || code == ErrorCode.READ_ONLY_SHADOW || code == ErrorCode.BUSY
        || code == ErrorCode.STALE_EPOCH;
  }
}
