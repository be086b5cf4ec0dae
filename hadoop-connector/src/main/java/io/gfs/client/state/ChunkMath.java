package io.gfs.client.state;

import io.gfs.common.Check;
import io.gfs.common.GfsConfigKeys;

/**
 * The client's arithmetic on file offsets, chunks and pieces [0087]: a file offset maps to a chunk index by the fixed
 * chunk size, reads go out in pieces of at most {@link GfsConfigKeys#DATA_PIECE_BYTES_MAX} that start on a checksum
 * block boundary (so the chunkserver verifies whole blocks it would read anyway [0128]), and a record may be at most a
 * quarter of a chunk [0106].
 */
public final class ChunkMath {
  private ChunkMath() {}

  public static long chunkIndex(long fileOffset, long chunkSizeBytes) {
    Check.argument(fileOffset >= 0, "file offset %s < 0", fileOffset);
    checkChunkSize(chunkSizeBytes);
    return fileOffset / chunkSizeBytes;
  }

  public static long offsetInChunk(long fileOffset, long chunkSizeBytes) {
    Check.argument(fileOffset >= 0, "file offset %s < 0", fileOffset);
    checkChunkSize(chunkSizeBytes);
    return fileOffset % chunkSizeBytes;
  }

  public static long chunkStart(long chunkIndex, long chunkSizeBytes) {
    Check.argument(chunkIndex >= 0, "chunk index %s < 0", chunkIndex);
    checkChunkSize(chunkSizeBytes);
    return Math.multiplyExact(chunkIndex, chunkSizeBytes);
  }

  /** Bytes of a file of fileLengthBytes that lie in chunk chunkIndex (0 past the end). */
  public static long bytesInChunk(long chunkIndex, long chunkSizeBytes, long fileLengthBytes) {
    long start = chunkStart(chunkIndex, chunkSizeBytes);
    return Math.max(0, Math.min(chunkSizeBytes, fileLengthBytes - start));
  }

  /**
   * The piece to fetch so that offsetInChunk is served: it starts at the checksum block holding offsetInChunk and ends
   * at the first of: one piece later, the end of the readable part of the chunk (readableEndInChunk).
   */
  public static Piece pieceAt(long offsetInChunk, long readableEndInChunk) {
    Check.argument(offsetInChunk >= 0 && offsetInChunk < readableEndInChunk,
        "offset in chunk %s outside [0, %s)", offsetInChunk, readableEndInChunk);
    long start = offsetInChunk - offsetInChunk % GfsConfigKeys.CHECKSUM_BLOCK_BYTES;
    long end = Math.min(start + GfsConfigKeys.DATA_PIECE_BYTES_MAX, readableEndInChunk);
    return new Piece(start, (int) (end - start));
  }

  /**
   * The piece a positioned read fetches: exactly [offsetInChunk, +lengthWanted), cut at one piece and at the readable
   * end of the chunk. The chunkserver still verifies every checksum block the range touches [0128]; only the bytes
   * asked for cross the network, so a 4 KiB random read does not pull a whole piece.
   */
  public static Piece exactPiece(long offsetInChunk, int lengthWanted, long readableEndInChunk) {
    Check.argument(offsetInChunk >= 0 && offsetInChunk < readableEndInChunk,
        "offset in chunk %s outside [0, %s)", offsetInChunk, readableEndInChunk);
    Check.argument(lengthWanted > 0, "length %s <= 0", lengthWanted);
    long end = Math.min(offsetInChunk + Math.min(lengthWanted, GfsConfigKeys.DATA_PIECE_BYTES_MAX),
        readableEndInChunk);
    return new Piece(offsetInChunk, (int) (end - offsetInChunk));
  }

  /** The capacity of a write buffer that starts at fileOffset: never past the chunk's end, never past bufferBytes. */
  public static int writeCapacity(long fileOffset, long chunkSizeBytes, int bufferBytes) {
    Check.argument(bufferBytes > 0, "buffer bytes %s <= 0", bufferBytes);
    long left = chunkSizeBytes - offsetInChunk(fileOffset, chunkSizeBytes);
    return (int) Math.min(left, bufferBytes);
  }

  /** The largest record append a chunk of this size takes [0106]. */
  public static long recordSizeBytesMax(long chunkSizeBytes) {
    checkChunkSize(chunkSizeBytes);
    return chunkSizeBytes / 4;
  }

  /** Where a record appended at offsetInChunk of chunk chunkIndex sits in the file. */
  public static long recordFileOffset(long chunkIndex, long chunkSizeBytes, long offsetInChunk) {
    Check.argument(offsetInChunk >= 0 && offsetInChunk < chunkSizeBytes, "record offset %s outside chunk of %s",
        offsetInChunk, chunkSizeBytes);
    return Math.addExact(chunkStart(chunkIndex, chunkSizeBytes), offsetInChunk);
  }

  private static void checkChunkSize(long chunkSizeBytes) {
    Check.argument(chunkSizeBytes > 0 && chunkSizeBytes <= GfsConfigKeys.CHUNK_SIZE_BYTES_MAX,
        "chunk size %s outside (0, %s]", chunkSizeBytes, GfsConfigKeys.CHUNK_SIZE_BYTES_MAX);
  }

  /** A range inside one chunk: [offsetInChunk, offsetInChunk + lengthBytes). */
  public record Piece(long offsetInChunk, int lengthBytes) {
    public Piece {
      Check.argument(offsetInChunk >= 0 && lengthBytes > 0 && lengthBytes <= GfsConfigKeys.DATA_PIECE_BYTES_MAX,
          "bad piece [%s, +%s)", offsetInChunk, lengthBytes);
    }

    public long endInChunk() {
      return offsetInChunk + lengthBytes;
    }
  }
}
