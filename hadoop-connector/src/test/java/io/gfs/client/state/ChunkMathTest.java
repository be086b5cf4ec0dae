package io.gfs.client.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.client.state.ChunkMath.Piece;
import io.gfs.common.GfsConfigKeys;
import org.junit.jupiter.api.Test;

class ChunkMathTest {
  private static final long MIB = 1 << 20;
  private static final long BLOCK = GfsConfigKeys.CHECKSUM_BLOCK_BYTES;

  @Test
  void offsetsMapToChunkIndexAndOffsetInChunk() {
    long chunk = 64 * MIB;
    assertEquals(0, ChunkMath.chunkIndex(0, chunk));
    assertEquals(0, ChunkMath.chunkIndex(chunk - 1, chunk));
    assertEquals(1, ChunkMath.chunkIndex(chunk, chunk));
    assertEquals(3, ChunkMath.chunkIndex(3 * chunk + 17, chunk));
    assertEquals(17, ChunkMath.offsetInChunk(3 * chunk + 17, chunk));
    assertEquals(3 * chunk, ChunkMath.chunkStart(3, chunk));
    assertThrows(IllegalArgumentException.class, () -> ChunkMath.chunkIndex(-1, chunk));
    assertThrows(IllegalArgumentException.class, () -> ChunkMath.chunkIndex(0, 0));
  }

  @Test
  void bytesInChunkFollowTheFileLength() {
    long chunk = MIB;
    long length = 2 * MIB + 10;
    assertEquals(MIB, ChunkMath.bytesInChunk(0, chunk, length));
    assertEquals(MIB, ChunkMath.bytesInChunk(1, chunk, length));
    assertEquals(10, ChunkMath.bytesInChunk(2, chunk, length));
    assertEquals(0, ChunkMath.bytesInChunk(3, chunk, length));
  }

  @Test
  void piecesStartOnChecksumBlocksAndStayWithinOnePieceAndTheReadableEnd() {
    Piece first = ChunkMath.pieceAt(0, 64 * MIB);
    assertEquals(new Piece(0, GfsConfigKeys.DATA_PIECE_BYTES_MAX), first);

    Piece unaligned = ChunkMath.pieceAt(BLOCK + 5, 64 * MIB);
    assertEquals(BLOCK, unaligned.offsetInChunk());
    assertEquals(GfsConfigKeys.DATA_PIECE_BYTES_MAX, unaligned.lengthBytes());

    Piece nearEnd = ChunkMath.pieceAt(3 * BLOCK + 100, 3 * BLOCK + 200);
    assertEquals(3 * BLOCK, nearEnd.offsetInChunk());
    assertEquals(200, nearEnd.lengthBytes());
    assertEquals(3 * BLOCK + 200, nearEnd.endInChunk());

    assertThrows(IllegalArgumentException.class, () -> ChunkMath.pieceAt(10, 10));
    assertThrows(IllegalArgumentException.class, () -> ChunkMath.pieceAt(-1, 10));
  }

  @Test
  void positionedReadsFetchExactlyTheRangeWithinOnePieceAndTheReadableEnd() {
    assertEquals(new Piece(BLOCK + 5, 4096), ChunkMath.exactPiece(BLOCK + 5, 4096, 64 * MIB));
    assertEquals(new Piece(7, GfsConfigKeys.DATA_PIECE_BYTES_MAX), ChunkMath.exactPiece(7, 8 << 20, 64 * MIB));
    assertEquals(new Piece(100, 50), ChunkMath.exactPiece(100, 4096, 150));
    assertThrows(IllegalArgumentException.class, () -> ChunkMath.exactPiece(150, 10, 150));
    assertThrows(IllegalArgumentException.class, () -> ChunkMath.exactPiece(0, 0, 150));
  }

  @Test
  void writeBuffersNeverCrossAChunkBoundary() {
    long chunk = MIB;
    int buffer = 4 << 20;
    assertEquals(MIB, ChunkMath.writeCapacity(0, chunk, buffer));
    assertEquals(MIB - 100, ChunkMath.writeCapacity(100, chunk, buffer));
    assertEquals(MIB, ChunkMath.writeCapacity(chunk, chunk, buffer));
    assertEquals(1000, ChunkMath.writeCapacity(5, chunk, 1000));
  }

  @Test
  void recordsAreAtMostAQuarterChunkAndOffsetsAddTheChunkStart() {
    assertEquals(16 * MIB, ChunkMath.recordSizeBytesMax(64 * MIB));
    assertEquals(MIB / 4, ChunkMath.recordSizeBytesMax(MIB));
    assertEquals(2 * MIB + 7, ChunkMath.recordFileOffset(2, MIB, 7));
    assertThrows(IllegalArgumentException.class, () -> ChunkMath.recordFileOffset(2, MIB, MIB));
  }
}
