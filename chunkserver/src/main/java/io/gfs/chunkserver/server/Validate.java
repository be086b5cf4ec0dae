package io.gfs.chunkserver.server;

import io.gfs.common.GfsConfigKeys;
import io.gfs.thrift.gen.GfsException;

/** Argument checks at the RPC edge: a bad number from the wire is INVALID_ARGUMENT, never an exception escaping. */
final class Validate {
  private Validate() {}

  /** A mutation's byte range [offset, offset + length) must lie within the largest possible chunk. */
  static void range(long handle, long offsetBytes, long lengthBytes) throws GfsException {
    if (offsetBytes < 0 || lengthBytes < 0) {
      throw Errors.invalid("chunk %s: negative offset %s or length %s", handle, offsetBytes, lengthBytes);
    }
    if (offsetBytes > GfsConfigKeys.CHUNK_SIZE_BYTES_MAX
        || offsetBytes + lengthBytes > GfsConfigKeys.CHUNK_SIZE_BYTES_MAX) {
      throw Errors.invalid("chunk %s: range [%s, +%s) goes past the largest chunk size %s", handle, offsetBytes,
          lengthBytes, GfsConfigKeys.CHUNK_SIZE_BYTES_MAX);
    }
  }

  static void dataLength(long handle, int lengthBytes) throws GfsException {
    if (lengthBytes < 1) {
      throw Errors.invalid("chunk %s: data length %s < 1", handle, lengthBytes);
    }
  }

  static void version(long handle, long version) throws GfsException {
    if (version < 1) {
      throw Errors.invalid("chunk %s: version %s < 1", handle, version);
    }
  }

  static <T> T present(T value, String what) throws GfsException {
    if (value == null) {
      throw Errors.invalid("%s is missing", what);
    }
    return value;
  }
}
