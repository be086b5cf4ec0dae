package io.gfs.chunkserver.store;

import io.gfs.common.Check;
import io.gfs.common.Crc32c;
import io.gfs.common.GfsConfigKeys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The CRC32C of every 64 KiB block of one chunk and the rules that keep them right [0126-0130]. Reads verify every
 * block they touch before returning a byte. Appends extend the last partial block's CRC with {@link Crc32c#combine}
 * without reading the block, so a block that was already corrupt stays detectably corrupt [0129]. Overwrites read and
 * verify the first and last blocks they cover only partly before writing, so new CRCs never bless old corruption
 * [0130]. A write past the end zero-fills the gap as an append. Not thread-safe: the store locks the chunk.
 */
final class BlockChecksums {
  static final int BLOCK_BYTES = (int) GfsConfigKeys.CHECKSUM_BLOCK_BYTES;
  /** Gaps are zero-filled in steps of this size, so padding a chunk never allocates the whole gap. */
  private static final int ZERO_FILL_STEP_BYTES = 1 << 20;

  /** Where the chunk's bytes live: a file or memory. */
  interface Bytes {
    void read(long positionBytes, byte[] target, int targetOffset, int lengthBytes) throws IOException;

    /**
     * Fills {@code target}'s remaining bytes from positionBytes on (its position ends at its limit). A file reads a
     * direct buffer without the JDK's copy through a temporary direct buffer; others go through an array.
     */
    default void read(long positionBytes, ByteBuffer target) throws IOException {
      int lengthBytes = target.remaining();
      if (target.hasArray()) {
        read(positionBytes, target.array(), target.arrayOffset() + target.position(), lengthBytes);
        target.position(target.limit());
        return;
      }
      byte[] copy = new byte[lengthBytes];
      read(positionBytes, copy, 0, lengthBytes);
      target.put(copy);
    }

    void write(long positionBytes, byte[] source, int sourceOffset, int lengthBytes) throws IOException;
  }

  /** Blocks [firstBlock, endBlock) whose CRCs a write changed, so the store persists only those. */
  record ChangedBlocks(int firstBlock, int endBlock) {
    static final ChangedBlocks NONE = new ChangedBlocks(Integer.MAX_VALUE, 0);

    ChangedBlocks union(ChangedBlocks other) {
      return new ChangedBlocks(Math.min(firstBlock, other.firstBlock), Math.max(endBlock, other.endBlock));
    }

    boolean isEmpty() {
      return firstBlock >= endBlock;
    }
  }

  private final long handle;
  private int[] crcs;
  private long lengthBytes;

  BlockChecksums(long handle, int[] crcs, long lengthBytes) {
    Check.argument(crcs.length == blockCount(lengthBytes), "chunk %s: %s CRCs for %s bytes (%s blocks)", handle,
        crcs.length, lengthBytes, blockCount(lengthBytes));
    this.handle = handle;
    this.crcs = crcs.clone();
    this.lengthBytes = lengthBytes;
  }

  static int blockCount(long lengthBytes) {
    return (int) ((lengthBytes + BLOCK_BYTES - 1) / BLOCK_BYTES);
  }

  long lengthBytes() {
    return lengthBytes;
  }

  int blockCount() {
    return blockCount(lengthBytes);
  }

  int crc(int block) {
    return crcs[block];
  }

  int[] crcs() {
    return Arrays.copyOf(crcs, blockCount());
  }

  /**
   * The CRC32C of the whole chunk, composed from the block CRCs with {@link Crc32c#combine}: no byte is read, so it
   * costs microseconds per block. It describes the bytes the CRCs vouch for; a block corrupt on disk since its CRC was
   * recorded is caught by the next read or scrub, not here.
   */
  int wholeCrc() {
    int blocks = blockCount();
    int crc = 0; // the CRC32C of no bytes
    for (int block = 0; block < blocks; block++) {
      long blockStart = (long) block * BLOCK_BYTES;
      crc = Crc32c.combine(crc, crcs[block], Math.min(BLOCK_BYTES, lengthBytes - blockStart));
    }
    return crc;
  }

  /** The whole blocks a read of [offset, end) touches: blocks first..last, bytes [start, start + bytes). */
  private record Span(long endBytes, int firstBlock, int lastBlock, long startBytes, int bytes) {
    /** Where {@code block} starts within the span's bytes. */
    int blockFrom(int block) {
      return (int) ((long) block * BLOCK_BYTES - startBytes);
    }

    /** Where {@code block} ends within the span's bytes (the chunk's last block may be short). */
    int blockTo(int block) {
      return (int) Math.min(blockFrom(block) + (long) BLOCK_BYTES, bytes);
    }
  }

  /** The span of a read of [offset, min(offset + length, chunk length)), or null when that is empty. */
  private Span span(long offsetBytes, int lengthBytesWanted) {
    Check.argument(offsetBytes >= 0 && lengthBytesWanted >= 0, "read [%s, +%s)", offsetBytes, lengthBytesWanted);
    long end = Math.min(offsetBytes + lengthBytesWanted, lengthBytes);
    if (end <= offsetBytes) {
      return null;
    }
    int firstBlock = (int) (offsetBytes / BLOCK_BYTES);
    int lastBlock = (int) ((end - 1) / BLOCK_BYTES);
    long start = (long) firstBlock * BLOCK_BYTES;
    long spanEnd = Math.min((long) (lastBlock + 1) * BLOCK_BYTES, lengthBytes);
    return new Span(end, firstBlock, lastBlock, start, (int) (spanEnd - start));
  }

  /** Bytes [offset, min(offset + length, chunk length)), every block they touch verified first [0127]. */
  byte[] read(Bytes bytes, long offsetBytes, int lengthBytesWanted) throws IOException {
    ByteBuffer view = read(bytes, offsetBytes, lengthBytesWanted, (byte[]) null);
    if (view.position() == 0 && view.remaining() == view.array().length) {
      return view.array(); // a block-aligned read (every piece a client streams): no second 1 MiB copy
    }
    return Arrays.copyOfRange(view.array(), view.position(), view.limit());
  }

  /**
   * Like {@link #read(Bytes, long, int)}, as a heap view [position, limit) of exactly those bytes. The whole blocks
   * the range touches are read into {@code scratch} when it is large enough (no allocation: a 1 MiB piece used to
   * cost a fresh, zeroed 1 MiB array per read), else into a new array; verification happens in place.
   */
  ByteBuffer read(Bytes bytes, long offsetBytes, int lengthBytesWanted, byte[] scratch) throws IOException {
    Span whole = span(offsetBytes, lengthBytesWanted);
    if (whole == null) {
      return ByteBuffer.wrap(new byte[0]);
    }
    int spanBytes = whole.bytes();
    byte[] span = scratch != null && scratch.length >= spanBytes ? scratch : new byte[spanBytes];
    bytes.read(whole.startBytes(), span, 0, spanBytes);
    for (int block = whole.firstBlock(); block <= whole.lastBlock(); block++) {
      int from = whole.blockFrom(block);
      verify(block, span, from, whole.blockTo(block) - from);
    }
    return ByteBuffer.wrap(span, (int) (offsetBytes - whole.startBytes()), (int) (whole.endBytes() - offsetBytes));
  }

  /**
   * Like {@link #read(Bytes, long, int, byte[])}, into the direct buffer {@code scratch} when it can hold the whole
   * blocks the range touches (a read served to a plain-TCP client then crosses user space no more: the file is read
   * into it and the socket written from it), else into a new array. The bytes are verified in place before the view
   * [position, limit) of exactly the range is returned, and the caller sends exactly those bytes [0127].
   */
  ByteBuffer read(Bytes bytes, long offsetBytes, int lengthBytesWanted, ByteBuffer scratch) throws IOException {
    Span whole = span(offsetBytes, lengthBytesWanted);
    if (whole == null) {
      return ByteBuffer.wrap(new byte[0]);
    }
    int spanBytes = whole.bytes();
    if (scratch.capacity() < spanBytes) {
      return read(bytes, offsetBytes, lengthBytesWanted, (byte[]) null);
    }
    ByteBuffer span = scratch.duplicate().clear().limit(spanBytes);
    bytes.read(whole.startBytes(), span);
    Check.state(span.position() == spanBytes, "chunk %s: read %s of %s bytes", handle, span.position(), spanBytes);
    for (int block = whole.firstBlock(); block <= whole.lastBlock(); block++) {
      verify(block, span.limit(whole.blockTo(block)).position(whole.blockFrom(block)));
    }
    long spanStart = whole.startBytes();
    return span.limit((int) (whole.endBytes() - spanStart)).position((int) (offsetBytes - spanStart)).slice();
  }

  /** Reads and verifies every block, a step at a time through one array for the whole chunk [0131]. */
  void verifyAll(Bytes bytes) throws IOException {
    byte[] scratch = new byte[(int) Math.min(ZERO_FILL_STEP_BYTES, lengthBytes)];
    for (long offset = 0; offset < lengthBytes; offset += ZERO_FILL_STEP_BYTES) {
      verify(bytes, offset, (int) Math.min(ZERO_FILL_STEP_BYTES, lengthBytes - offset), scratch);
    }
  }

  /**
   * Reads and verifies every block [offset, offset + length) touches, returning nothing: the scrubber's check of one
   * piece [0131]. The blocks are read into {@code scratch} when it holds them, so a scrubber reusing one buffer
   * allocates nothing per piece (it used to get a fresh, zeroed 1 MiB array per piece); else into a new array.
   */
  void verify(Bytes bytes, long offsetBytes, int lengthBytes, byte[] scratch) throws IOException {
    read(bytes, offsetBytes, lengthBytes, scratch);
  }

  /** Writes {@code data[dataOffset, +length)} at {@code offsetBytes}; see the class comment. */
  ChangedBlocks write(Bytes bytes, long offsetBytes, byte[] data, int dataOffset, int length) throws IOException {
    Check.argument(offsetBytes >= 0 && length >= 0, "write [%s, +%s)", offsetBytes, length);
    return write(bytes, offsetBytes, WriteBytes.of(data, dataOffset, length));
  }

  /** Writes {@code data} at {@code offsetBytes}; see the class comment. */
  ChangedBlocks write(Bytes bytes, long offsetBytes, WriteBytes data) throws IOException {
    Check.argument(offsetBytes >= 0, "write at %s", offsetBytes);
    ChangedBlocks changed = ChangedBlocks.NONE;
    if (offsetBytes > lengthBytes) {
      changed = zeroFill(bytes, offsetBytes);
    }
    if (data.lengthBytes() == 0) {
      return changed;
    }
    return changed.union(writeFrom(bytes, offsetBytes, data));
  }

  /** Zero-fills from the current end to {@code newLengthBytes} (padding [0107]); no-op if already that long. */
  ChangedBlocks zeroFill(Bytes bytes, long newLengthBytes) throws IOException {
    ChangedBlocks changed = ChangedBlocks.NONE;
    if (newLengthBytes <= lengthBytes) {
      return changed;
    }
    byte[] zeros = new byte[(int) Math.min(ZERO_FILL_STEP_BYTES, newLengthBytes - lengthBytes)];
    while (lengthBytes < newLengthBytes) {
      int step = (int) Math.min(zeros.length, newLengthBytes - lengthBytes);
      changed = changed.union(writeFrom(bytes, lengthBytes, WriteBytes.of(zeros, 0, step)));
    }
    return changed;
  }

  /** A write starting at or before the current end. */
  private ChangedBlocks writeFrom(Bytes bytes, long offsetBytes, WriteBytes data) throws IOException {
    Check.state(offsetBytes <= lengthBytes, "write at %s past the end %s", offsetBytes, lengthBytes);
    long end = offsetBytes + data.lengthBytes();
    long newLength = Math.max(lengthBytes, end);
    int firstBlock = (int) (offsetBytes / BLOCK_BYTES);
    int lastBlock = (int) ((end - 1) / BLOCK_BYTES);
    // Verify the partly overwritten blocks before touching the disk [0130].
    byte[] firstOld = oldContentToMerge(bytes, firstBlock, offsetBytes, end);
    byte[] lastOld = lastBlock == firstBlock ? firstOld : oldContentToMerge(bytes, lastBlock, offsetBytes, end);
    data.writeTo(bytes, offsetBytes);
    int[] updated = Arrays.copyOf(crcs, Math.max(crcs.length, blockCount(newLength)));
    for (int block = firstBlock; block <= lastBlock; block++) {
      long blockStart = (long) block * BLOCK_BYTES;
      long blockEnd = Math.min(blockStart + BLOCK_BYTES, newLength);
      long from = Math.max(blockStart, offsetBytes);
      long to = Math.min(blockEnd, end);
      int sliceFrom = (int) (from - offsetBytes);
      int sliceTo = (int) (to - offsetBytes);
      byte[] old = block == firstBlock ? firstOld : block == lastBlock ? lastOld : null;
      if (old != null) {
        updated[block] = mergedCrc(old, blockStart, blockEnd, from, to, data, sliceFrom);
      } else if (from > blockStart) {
        // An append into the chunk's last partial block [0129]: extend its CRC, do not read it back.
        updated[block] = Crc32c.combine(crcs[block], data.crc(sliceFrom, sliceTo), to - from);
      } else {
        Check.state(to == blockEnd, "chunk %s block %s: write covers [%s, %s) of [%s, %s)", handle, block, from, to,
            blockStart, blockEnd);
        updated[block] = data.crc(sliceFrom, sliceTo);
      }
    }
    crcs = updated;
    lengthBytes = newLength;
    return new ChangedBlocks(firstBlock, lastBlock + 1);
  }

  /**
   * The verified old bytes of {@code block} when the write [offset, end) overwrites part of its existing bytes and
   * keeps the rest; null when the block is new, fully overwritten, or only appended to.
   */
  private byte[] oldContentToMerge(Bytes bytes, int block, long offsetBytes, long end) throws IOException {
    long blockStart = (long) block * BLOCK_BYTES;
    long oldEnd = Math.min(blockStart + BLOCK_BYTES, lengthBytes);
    boolean blockExists = oldEnd > blockStart;
    boolean coversAllOld = offsetBytes <= blockStart && end >= oldEnd;
    boolean appendOnly = offsetBytes >= oldEnd;
    if (!blockExists || coversAllOld || appendOnly) {
      return null;
    }
    byte[] old = new byte[(int) (oldEnd - blockStart)];
    bytes.read(blockStart, old, 0, old.length);
    verify(block, old, 0, old.length);
    return old;
  }

  private static int mergedCrc(byte[] old, long blockStart, long blockEnd, long from, long to, WriteBytes data,
      int sliceFrom) {
    byte[] merged = Arrays.copyOf(old, (int) (blockEnd - blockStart));
    data.copyTo(sliceFrom, merged, (int) (from - blockStart), (int) (to - from));
    return Crc32c.of(merged, 0, merged.length);
  }

  private void verify(int block, byte[] buffer, int offset, int length) throws ChecksumMismatchException {
    check(block, Crc32c.of(buffer, offset, length), length);
  }

  /** Verifies block's bytes, {@code blockBytes}' [position, limit) (left as they are). */
  private void verify(int block, ByteBuffer blockBytes) throws ChecksumMismatchException {
    check(block, Crc32c.of(blockBytes), blockBytes.remaining());
  }

  private void check(int block, int actual, int length) throws ChecksumMismatchException {
    if (actual != crcs[block]) {
      throw new ChecksumMismatchException(handle, String.format(
          "chunk %s block %s (bytes %s..%s): CRC32C %08x on disk, %08x recorded", handle, block,
          (long) block * BLOCK_BYTES, (long) block * BLOCK_BYTES + length, actual, crcs[block]));
    }
  }
}
