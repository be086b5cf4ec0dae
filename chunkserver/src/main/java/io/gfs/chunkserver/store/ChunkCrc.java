package io.gfs.chunkserver.store;

import io.gfs.common.Check;

/**
 * A replica's length and the CRC32C of its bytes [0, lengthBytes): what a file checksum is composed from, so that equal
 * contents give equal checksums however they are cut into chunks.
 */
public record ChunkCrc(long lengthBytes, int crc32c) {
  public ChunkCrc {
    Check.argument(lengthBytes >= 0, "chunk length %s < 0", lengthBytes);
  }
}
