package io.gfs.chunkserver.store;

import java.io.IOException;

/** A chunk's bytes do not match their recorded CRC32C (or its files are unusable): the replica is corrupt [0127]. */
public final class ChecksumMismatchException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long handle;

  public ChecksumMismatchException(long handle, String message) {
    super(message);
    this.handle = handle;
  }

  public ChecksumMismatchException(long handle, String message, Throwable cause) {
    super(message, cause);
    this.handle = handle;
  }

  public long handle() {
    return handle;
  }
}
