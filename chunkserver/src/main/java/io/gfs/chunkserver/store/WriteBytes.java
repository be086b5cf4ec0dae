package io.gfs.chunkserver.store;

import io.gfs.common.Check;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of one write, as the heap pieces they arrived in (not copied: the caller leaves them unchanged until the
 * write returns) and, when the receiver already computed them, the CRC32C of each 64 KiB block of the data counted from
 * its first byte. A write that lands block-aligned takes those CRCs for the chunk's blocks instead of reading every byte
 * again (pushed data is checksummed once per server, on arrival, where it is checked against the sender's CRC).
 * Likewise a run of records may carry the CRC32C of each whole record, checked on arrival: a chunk block that is exactly
 * one record (a 64 KiB record at a block boundary, as record appends of 64 KiB land) takes it instead of a second pass.
 */
public final class WriteBytes {
  private final ByteBuffer[] pieces;
  private final int[] pieceStarts;
  private final int lengthBytes;
  /** Null when not known. */
  private final int[] blockCrcs;
  /** The CRC32C of each whole piece; null when not known. */
  private final int[] pieceCrcs;

  private WriteBytes(List<ByteBuffer> pieces, int[] blockCrcs) {
    this(pieces, blockCrcs, null);
  }

  private WriteBytes(List<ByteBuffer> pieces, int[] blockCrcs, int[] pieceCrcs) {
    this.pieces = new ByteBuffer[pieces.size()];
    this.pieceStarts = new int[pieces.size()];
    long at = 0;
    for (int i = 0; i < pieces.size(); i++) {
      ByteBuffer piece = pieces.get(i).duplicate();
      Check.argument(piece.hasArray(), "piece %s of a write is not a heap buffer", i);
      this.pieces[i] = piece;
      this.pieceStarts[i] = (int) at;
      at += piece.remaining();
    }
    Check.argument(at <= Integer.MAX_VALUE, "a write of %s bytes", at);
    this.lengthBytes = (int) at;
    Check.argument(blockCrcs == null || blockCrcs.length == BlockChecksums.blockCount(lengthBytes),
        "%s block CRCs for %s bytes", blockCrcs == null ? 0 : blockCrcs.length, lengthBytes);
    this.blockCrcs = blockCrcs;
    Check.argument(pieceCrcs == null || pieceCrcs.length == pieces.size(), "%s piece CRCs for %s pieces",
        pieceCrcs == null ? 0 : pieceCrcs.length, pieces.size());
    this.pieceCrcs = pieceCrcs == null ? null : pieceCrcs.clone();
  }

  /** {@code data[offset, offset + length)}, its CRCs computed when written. */
  public static WriteBytes of(byte[] data, int offset, int length) {
    Check.argument(offset >= 0 && length >= 0 && offset + length <= data.length, "slice [%s, +%s) of %s bytes",
        offset, length, data.length);
    return new WriteBytes(List.of(ByteBuffer.wrap(data, offset, length)), null);
  }

  /** The pieces in order (heap buffers, their remaining bytes), the CRCs computed when written. */
  public static WriteBytes of(List<ByteBuffer> pieces) {
    return new WriteBytes(pieces, null);
  }

  /** The pieces in order, with the CRC32C of each 64 KiB block of their bytes (as the push buffer computed them). */
  public static WriteBytes of(List<ByteBuffer> pieces, int[] blockCrcs) {
    return new WriteBytes(pieces, Check.notNull(blockCrcs, "block CRCs"));
  }

  /**
   * Records one right after another (heap buffers, their remaining bytes), each with its CRC32C as checked on arrival
   * against those very bytes: the caller vouches for them, as the push buffer does for its block CRCs.
   */
  public static WriteBytes ofRecords(List<ByteBuffer> records, int[] recordCrcs) {
    return new WriteBytes(records, null, Check.notNull(recordCrcs, "record CRCs"));
  }

  public int lengthBytes() {
    return lengthBytes;
  }

  /** Writes every byte, piece by piece, starting at {@code positionBytes} of {@code bytes}. */
  void writeTo(BlockChecksums.Bytes bytes, long positionBytes) throws java.io.IOException {
    for (int i = 0; i < pieces.length; i++) {
      ByteBuffer piece = pieces[i];
      bytes.write(positionBytes + pieceStarts[i], piece.array(), piece.arrayOffset() + piece.position(),
          piece.remaining());
    }
  }

  /**
   * The CRC32C of the data's bytes [from, to): the known block CRC when that is exactly one block, the known piece CRC
   * when it is exactly one piece, else computed.
   */
  int crc(int from, int to) {
    Check.argument(0 <= from && from <= to && to <= lengthBytes, "CRC of [%s, %s) of %s bytes", from, to,
        lengthBytes);
    int block = from / BlockChecksums.BLOCK_BYTES;
    if (blockCrcs != null && from % BlockChecksums.BLOCK_BYTES == 0
        && to == Math.min(from + BlockChecksums.BLOCK_BYTES, lengthBytes)) {
      return blockCrcs[block];
    }
    if (pieceCrcs != null) {
      int piece = Arrays.binarySearch(pieceStarts, from);
      // (Landing on an empty piece that starts here as well only means computing.)
      if (piece >= 0 && to > from && to == pieceStarts[piece] + pieces[piece].remaining()) {
        return pieceCrcs[piece];
      }
    }
    CRC32C crc = new CRC32C();
    forEachSegment(from, to, (array, offset, length, targetOffset) -> crc.update(array, offset, length));
    return (int) crc.getValue();
  }

  /** Copies the data's bytes [from, from + length) into {@code target} at {@code targetOffset}. */
  void copyTo(int from, byte[] target, int targetOffset, int length) {
    forEachSegment(from, from + length,
        (array, offset, n, at) -> System.arraycopy(array, offset, target, targetOffset + at, n));
  }

  @FunctionalInterface
  private interface Segment {
    /** {@code array[offset, +length)} holds the data's bytes starting {@code at} bytes after the range's start. */
    void accept(byte[] array, int offset, int length, int at);
  }

  private void forEachSegment(int from, int to, Segment segment) {
    for (int i = 0; i < pieces.length && from < to; i++) {
      ByteBuffer piece = pieces[i];
      int start = pieceStarts[i];
      int end = start + piece.remaining();
      int a = Math.max(from, start);
      int b = Math.min(to, end);
      if (a < b) {
        segment.accept(piece.array(), piece.arrayOffset() + piece.position() + (a - start), b - a, a - from);
      }
    }
  }
}
