package io.gfs.chunkserver.store;

import java.io.IOException;

/** The store holds no chunk with this handle. */
public final class NoSuchChunkException extends IOException {
  private static final long serialVersionUID = 1L;

  public NoSuchChunkException(long handle) {
    super("chunk " + handle + " is not in the store");
  }
}
