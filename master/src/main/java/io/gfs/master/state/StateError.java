package io.gfs.master.state;

/**
 * Why the master refused an operation, as a value of the pure state. The server maps each to the wire's ErrorCode;
 * the state package never imports Thrift.
 */
public enum StateError {
  NOT_FOUND,
  ALREADY_EXISTS,
  PARENT_NOT_DIRECTORY,
  DIRECTORY_NOT_EMPTY,
  IS_DIRECTORY,
  NOT_DIRECTORY,
  INVALID_PATH,
  INVALID_ARGUMENT,
  OUT_OF_RANGE,
  NO_CHUNKSERVERS,
  UNKNOWN_CHUNK,
  /** Not now: the chunk is being repaired (a clone restores a missing replica); the caller retries shortly. */
  BUSY,
  /** The caller's user and groups lack the permission the operation needs (issue 7). */
  PERMISSION_DENIED,
  /** A replica's report at a version that is not the chunk's current one (issue 6's reportReplicaLength). */
  STALE_VERSION,
}
