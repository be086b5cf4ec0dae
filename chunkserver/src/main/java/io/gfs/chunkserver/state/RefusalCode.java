package io.gfs.chunkserver.state;

/**
 * Why the chunkserver's state turned a request down. The names match the wire's ErrorCode one for one, so the server
 * maps them by name; the state package itself stays free of Thrift.
 */
public enum RefusalCode {
  INVALID_ARGUMENT,
  UNKNOWN_CHUNK,
  STALE_VERSION,
  NOT_PRIMARY,
  LEASE_EXPIRED,
  RECORD_TOO_LARGE,
  CHUNK_FULL,
  CHECKSUM_MISMATCH,
  DATA_NOT_FOUND,
  BUSY,
}
