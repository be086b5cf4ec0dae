package io.gfs.chunkserver.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Moves chunk bytes to and from stable storage, keeping a CRC32C per 64 KiB block beside them [0126-0130]. It does
 * not decide anything (versions, leases and ordering are the state's); it only refuses to return or bless bytes whose
 * checksums fail. Thread-safe: operations on one chunk are serialised by the store (reads run in parallel).
 */
public interface ChunkStore extends AutoCloseable {
  /** Every chunk in the store, usable or corrupt; called once, before any other operation. */
  List<StoredChunk> load() throws IOException;

  /** Creates an empty chunk at {@code version}, durable before returning. */
  void create(long handle, long version) throws IOException;

  /** Persists a new version for an existing chunk, durable before returning. */
  void setVersion(long handle, long version) throws IOException;

  long lengthBytes(long handle) throws IOException;

  /**
   * Bytes [offset, min(offset + length, chunk length)); every block they touch is verified first, and a mismatch
   * throws {@link ChecksumMismatchException} without returning anything [0127].
   */
  byte[] read(long handle, long offsetBytes, int lengthBytes) throws IOException;

  /**
   * The same bytes, verified the same way, as a heap view [position, limit) that may live in {@code scratch} (used
   * when it can hold the whole blocks the range touches): the view is valid until the caller reuses scratch, so a
   * reply that is serialised before the next read on the thread needs no fresh array per read.
   */
  default ByteBuffer read(long handle, long offsetBytes, int lengthBytes, byte[] scratch) throws IOException {
    return ByteBuffer.wrap(read(handle, offsetBytes, lengthBytes));
  }

  /**
   * The same bytes, verified the same way, as a view [position, limit) that may live in the direct buffer
   * {@code scratch} (used when it can hold the whole blocks the range touches), valid until the caller reuses it: a
   * file store reads the chunk file straight into it, so a reply written to a socket from there crosses user space
   * no more.
   */
  default ByteBuffer read(long handle, long offsetBytes, int lengthBytes, ByteBuffer scratch) throws IOException {
    return ByteBuffer.wrap(read(handle, offsetBytes, lengthBytes));
  }

  /**
   * Writes {@code data[dataOffset, +lengthBytes)} at {@code offsetBytes}: appends extend CRCs incrementally, overwrites
   * verify their partial boundary blocks first, a gap before the offset is zero-filled. {@code sync} forces data and
   * checksums to disk before returning.
   */
  default void write(long handle, long offsetBytes, byte[] data, int dataOffset, int lengthBytes, boolean sync)
      throws IOException {
    write(handle, offsetBytes, WriteBytes.of(data, dataOffset, lengthBytes), sync);
  }

  /**
   * The same for bytes held as pieces (pushed data as it arrived, not copied into one array); where {@code data}
   * carries its 64 KiB block CRCs and lands block-aligned, they become the chunk's block CRCs without another pass.
   */
  void write(long handle, long offsetBytes, WriteBytes data, boolean sync) throws IOException;

  /** Zero-fills the chunk up to {@code lengthBytes} (record-append padding [0107]); no-op if it is that long. */
  void padTo(long handle, long lengthBytes, boolean sync) throws IOException;

  /**
   * The chunk's length and the CRC32C of all its bytes, composed from the recorded block CRCs without reading data;
   * {@link ChecksumMismatchException} for a chunk whose files cannot be trusted.
   */
  ChunkCrc chunkCrc(long handle) throws IOException;

  /** Reads every block of the chunk and checks its CRC; {@link ChecksumMismatchException} if one fails [0131]. */
  void verify(long handle) throws IOException;

  /**
   * Reads and checks every block that [offset, offset + length) touches, returning nothing; the scrubber verifies a
   * chunk piece by piece this way, so a mutation never waits behind a whole chunk's verification [0131]. The blocks are
   * read into {@code scratch} when it can hold them (the scrubber's one reused buffer: no array per piece), else into a
   * new array; null asks for the new array.
   */
  void verify(long handle, long offsetBytes, int lengthBytes, byte[] scratch) throws IOException;

  /**
   * Starts building a replica of {@code handle} at {@code version} out of sight (see {@link ChunkBuilder}); an
   * IOException if another build of the same handle is under way.
   */
  ChunkBuilder build(long handle, long version) throws IOException;

  /** Removes the chunk; no-op if absent. */
  void delete(long handle) throws IOException;

  /** Bytes the chunks take (data plus checksums). */
  long usedBytes();

  /** Bytes still free for new data. */
  long availableBytes() throws IOException;

  @Override
  void close();
}
