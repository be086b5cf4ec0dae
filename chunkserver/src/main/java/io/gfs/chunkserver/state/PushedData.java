package io.gfs.chunkserver.state;

import io.gfs.common.Check;
import io.gfs.common.GfsConfigKeys;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The whole, verified data of one push as the push buffer holds it: its bytes as heap views (read them, never write
 * them) and the CRC32C of each 64 KiB block of the data counted from its first byte, computed once as the bytes
 * arrived. The block CRCs combine to the sender's CRC of the whole data, which is how they were checked, so a store
 * that writes the data block-aligned may take them as the chunk's own block CRCs instead of reading every byte again.
 *
 * <p>The views stay valid until {@link #close}: the push buffer may then reuse their array for other data (see
 * {@link PushBuffer}), so close it once the bytes are written, and never read them after.
 */
public final class PushedData implements AutoCloseable {
  private final List<ByteBuffer> pieces;
  private final int lengthBytes;
  private final int[] blockCrcs;
  /** The use of the push buffer's array these views are; null for data that is nobody's to reuse. */
  private final PushBuffer.Hold hold;

  /** Data whose arrays are never reused (closing it does nothing). */
  public PushedData(List<ByteBuffer> pieces, int lengthBytes, int[] blockCrcs) {
    this(pieces, lengthBytes, blockCrcs, null);
  }

  PushedData(List<ByteBuffer> pieces, int lengthBytes, int[] blockCrcs, PushBuffer.Hold hold) {
    this.pieces = List.copyOf(pieces);
    this.blockCrcs = blockCrcs.clone();
    long sum = 0;
    for (ByteBuffer piece : this.pieces) {
      Check.argument(piece.hasArray(), "a pushed piece is not a heap buffer");
      sum += piece.remaining();
    }
    Check.argument(sum == lengthBytes, "pieces of %s bytes for data of %s", sum, lengthBytes);
    Check.argument(this.blockCrcs.length == blockCount(lengthBytes), "%s block CRCs for %s bytes",
        this.blockCrcs.length, lengthBytes);
    this.lengthBytes = lengthBytes;
    this.hold = hold;
  }

  static int blockCount(long lengthBytes) {
    return (int) ((lengthBytes + GfsConfigKeys.CHECKSUM_BLOCK_BYTES - 1) / GfsConfigKeys.CHECKSUM_BLOCK_BYTES);
  }

  /** Each piece as a fresh view (its own position and limit), so callers cannot move each other's. */
  public List<ByteBuffer> pieces() {
    return pieces.stream().map(ByteBuffer::duplicate).toList();
  }

  public int lengthBytes() {
    return lengthBytes;
  }

  public int[] blockCrcs() {
    return blockCrcs.clone();
  }

  /** The data in one new array (record appends keep a record whole; writes use the pieces). */
  public byte[] toArray() {
    byte[] out = new byte[lengthBytes];
    int at = 0;
    for (ByteBuffer piece : pieces) {
      int n = piece.remaining();
      piece.duplicate().get(out, at, n);
      at += n;
    }
    return out;
  }

  /** The bytes are no longer read: their array may be reused once the push buffer is done with it too. */
  @Override
  public void close() {
    if (hold != null) {
      hold.close();
    }
  }
}
