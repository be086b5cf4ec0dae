package io.gfs.chunkserver.state;

import io.gfs.common.Check;

/**
 * Where a record append goes [0106-0108]: at the chunk's current end when it fits, else the chunk is padded to its
 * full size and the client retries on the next chunk. A record over a quarter of the chunk size is refused outright,
 * so padding wastes at most a quarter of a chunk.
 *
 * @param kind what the primary does
 * @param offsetBytes for FITS the offset the record goes to; for PAD the length every replica pads to
 */
public record RecordAppendDecision(Kind kind, long offsetBytes) {
  public enum Kind {
    FITS,
    PAD,
    TOO_LARGE,
  }

  /** A record may use at most this fraction (1/4) of a chunk [0106]. */
  public static final int RECORD_FRACTION_OF_CHUNK_DIVISOR = 4;

  public static RecordAppendDecision decide(long chunkLengthBytes, long recordLengthBytes, long chunkSizeBytes) {
    Check.argument(chunkSizeBytes > 0, "chunk size %s <= 0", chunkSizeBytes);
    Check.argument(chunkLengthBytes >= 0, "chunk length %s < 0", chunkLengthBytes);
    Check.argument(recordLengthBytes >= 0, "record length %s < 0", recordLengthBytes);
    if (recordLengthBytes > chunkSizeBytes / RECORD_FRACTION_OF_CHUNK_DIVISOR) {
      return new RecordAppendDecision(Kind.TOO_LARGE, -1);
    }
    if (chunkLengthBytes + recordLengthBytes > chunkSizeBytes) {
      return new RecordAppendDecision(Kind.PAD, chunkSizeBytes);
    }
    return new RecordAppendDecision(Kind.FITS, chunkLengthBytes);
  }
}
