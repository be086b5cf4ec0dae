package io.gfs.chunkserver.store;

/**
 * A chunk found in the store at startup.
 *
 * @param corruptReason null for a usable chunk; otherwise why its files cannot be trusted (it is reported corrupt)
 */
public record StoredChunk(long handle, long version, long lengthBytes, String corruptReason) {
  public boolean corrupt() {
    return corruptReason != null;
  }
}
