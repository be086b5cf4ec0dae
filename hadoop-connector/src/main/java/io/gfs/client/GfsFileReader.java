package io.gfs.client;

import io.gfs.client.state.ChunkMath;
import io.gfs.client.state.ChunkMath.Piece;
import io.gfs.client.state.ChunkReplicas;
import io.gfs.common.Check;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one file [0087-0090]. The length is taken when the file is opened; bytes past it are not read. Reads go out in
 * pieces aligned to checksum blocks and the last piece is kept as a one-piece read-ahead buffer. Once a stream reads
 * on from where its last piece ended, the next pieces (up to {@link #READ_AHEAD_PIECES_MAX}) are asked for before this
 * one is handed out ({@link ReadAhead}), so the chunkserver works while the caller copies; a caller's read that wants
 * the whole of the piece asked for first gets it from the socket straight into its array. When every replica of a chunk fails, the file's cached locations are dropped, the master is asked again after a pause (doubling each
 * time), up to fs.gfs.retries.max attempts; then an IOException names the chunk and every replica's errors.
 * Thread-safe (calls are serialised).
 */
public final class GfsFileReader implements AutoCloseable {
  private final ClientContext context;
  private final ChunkReader chunkReader;
  private final String path;
  private final long lengthBytes;
  private final long chunkSizeBytes;
  /** The last piece fetched (a read-only view of its reply), file bytes [bufferStart, bufferStart + its length). */
  private ByteBuffer buffer;
  private long bufferStart;
  /**
   * Where the last piece fetched ended in the file (into the buffer or straight into a caller's array), or -1: a fetch
   * starting there is a stream reading on, which keeps pieces asked for ahead.
   */
  private long fetchedEnd = -1;
  /**
   * The pieces after the buffer, asked for already, in file order (each on its own held connection, so the
   * chunkserver may work on them while the caller copies); at most {@link #READ_AHEAD_PIECES_MAX}.
   */
  private final java.util.ArrayDeque<ReadAhead> aheads = new java.util.ArrayDeque<>();
  /**
   * The array the pieces asked for ahead are received into, one after another (each is taken only once the last one's
   * buffer was dropped), instead of a fresh 1 MiB frame per piece; the buffer is a view of it. Allocated on first use,
   * dropped by unbuffer and close.
   */
  private byte[] frame;
  /** Room for a whole piece's reply: the piece and the reply's few bytes of message and field headers. */
  static final int FRAME_BYTES = (int) io.gfs.common.GfsConfigKeys.DATA_PIECE_BYTES_MAX + 4096;
  /**
   * Pieces asked for ahead, each on its own held connection. With one, the chunkserver worked on piece N+1 only while
   * the reader copied piece N, and sat idle while the reply crossed the socket and the next request came back; with
   * three, a reply is nearly always waiting when the reader wants it. Measured after chunkserver workers began writing
   * big replies themselves (DirectReply): in-JVM harness (MiniGfsCluster, 256 MiB read with 1 MiB reads, rounds
   * interleaved, load 17-20) depth 1 / 2 / 3: 36-122 / 114-170 / 157-254 MiB/s, process CPU per MiB 2.9-5.0 / 1.9-3.8
   * / 2.2-2.9 ms. Session 5 had found two no faster while each reply still went through the selector thread.
   */
  public static final int READ_AHEAD_PIECES_MAX = 3;
  /** Pieces served from a request sent ahead, and their bytes. */
  private long piecesReadAhead;
  private long bytesReadAhead;
  /** Pieces asked for ahead that went straight into the caller's array. */
  private long piecesReadDirect;
  private boolean closed;

  GfsFileReader(ClientContext context, String path, long lengthBytes, long chunkSizeBytes) {
    Check.argument(lengthBytes >= 0, "length %s < 0", lengthBytes);
    Check.argument(chunkSizeBytes > 0 || lengthBytes == 0, "chunk size %s for a file of %s bytes", chunkSizeBytes,
        lengthBytes);
    this.context = context;
    this.chunkReader = new ChunkReader(context);
    this.path = path;
    this.lengthBytes = lengthBytes;
    this.chunkSizeBytes = chunkSizeBytes;
  }

  public String path() {
    return path;
  }

  /** The file's length when it was opened. */
  public long lengthBytes() {
    return lengthBytes;
  }

  /**
   * Reads up to length bytes at position into bytes[offset..]; fewer only at the end of the file. Returns -1 at or past
   * the end.
   */
  public synchronized int read(long position, byte[] bytes, int offset, int length) throws IOException {
    Check.argument(offset >= 0 && length >= 0 && length <= bytes.length - offset,
        "range [%s, +%s) outside a buffer of %s", offset, length, bytes.length);
    ensureOpen();
    if (position < 0) {
      throw new EOFException("cannot read " + path + " at negative position " + position);
    }
    if (position >= lengthBytes) {
      return -1;
    }
    int copied = 0;
    while (copied < length && position + copied < lengthBytes) {
      long at = position + copied;
      if (buffer == null || at < bufferStart || at >= bufferStart + buffer.limit()) {
        int direct = receiveDirect(at, bytes, offset + copied, length - copied);
        if (direct > 0) {
          copied += direct;
          continue;
        }
        fill(at);
      }
      int n = (int) Math.min(length - copied, bufferStart + buffer.limit() - at);
      buffer.get((int) (at - bufferStart), bytes, offset + copied, n);
      copied += n;
    }
    return copied;
  }

  /** Pieces read from the socket straight into a caller's array (no frame, no copy out of it), for tests. */
  public synchronized long piecesReadDirect() {
    return piecesReadDirect;
  }

  /**
   * A positioned read: up to length bytes at position, fetched exactly (see {@link ChunkMath#exactPiece}) in pieces of
   * at most one data piece, copied from the read-ahead buffer where it holds them and leaving that buffer alone, so a
   * random 4 KiB read costs 4 KiB on the wire instead of a whole piece. Fewer bytes only at the end of the file; -1
   * at or past it.
   */
  public synchronized int readPositioned(long position, byte[] bytes, int offset, int length) throws IOException {
    Check.argument(offset >= 0 && length >= 0 && length <= bytes.length - offset,
        "range [%s, +%s) outside a buffer of %s", offset, length, bytes.length);
    ensureOpen();
    if (position < 0) {
      throw new EOFException("cannot read " + path + " at negative position " + position);
    }
    if (position >= lengthBytes) {
      return -1;
    }
    int copied = 0;
    while (copied < length && position + copied < lengthBytes) {
      long at = position + copied;
      int n;
      if (buffer != null && at >= bufferStart && at < bufferStart + buffer.limit()) {
        n = (int) Math.min(length - copied, bufferStart + buffer.limit() - at);
        buffer.get((int) (at - bufferStart), bytes, offset + copied, n);
      } else {
        long chunkIndex = ChunkMath.chunkIndex(at, chunkSizeBytes);
        long readableEnd = ChunkMath.bytesInChunk(chunkIndex, chunkSizeBytes, lengthBytes);
        ByteBuffer data = readPiece(chunkIndex,
            ChunkMath.exactPiece(ChunkMath.offsetInChunk(at, chunkSizeBytes), length - copied, readableEnd));
        n = data.remaining();
        data.get(bytes, offset + copied, n);
      }
      copied += n;
    }
    return copied;
  }

  /** Pieces (and their bytes) that came from a request sent ahead: for stream statistics and tests. */
  public synchronized long piecesReadAhead() {
    return piecesReadAhead;
  }

  public synchronized long bytesReadAhead() {
    return bytesReadAhead;
  }

  /** Pieces asked for ahead whose replies the reader has not taken yet. */
  public synchronized int piecesAskedAhead() {
    return aheads.size();
  }

  /** Drops the read-ahead piece and any piece asked for ahead; the next read fetches again. */
  public synchronized void unbuffer() {
    buffer = null;
    fetchedEnd = -1;
    frame = null;
    cancelAhead();
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    closed = true;
    buffer = null;
    fetchedEnd = -1;
    frame = null;
    cancelAhead();
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException(path + ": stream is closed");
    }
  }

  /**
   * Loads the piece holding file offset at into the read-ahead buffer: the piece asked for ahead if it is that one,
   * else an ordinary read. A fill that continues where the last piece ended (a stream reading on) asks for the
   * following piece before returning.
   */
  private void fill(long at) throws IOException {
    long chunkIndex = ChunkMath.chunkIndex(at, chunkSizeBytes);
    long readableEnd = ChunkMath.bytesInChunk(chunkIndex, chunkSizeBytes, lengthBytes);
    Piece piece = ChunkMath.pieceAt(ChunkMath.offsetInChunk(at, chunkSizeBytes), readableEnd);
    long pieceStart = ChunkMath.chunkStart(chunkIndex, chunkSizeBytes) + piece.offsetInChunk();
    boolean readingOn = pieceStart == fetchedEnd;
    buffer = null;
    ByteBuffer data = null;
    ReadAhead ahead = aheads.peekFirst();
    if (ahead != null && ahead.fileOffset == pieceStart && ahead.lengthBytes() == piece.lengthBytes()) {
      aheads.pollFirst();
      if (frame == null) {
        frame = new byte[FRAME_BYTES];
      }
      data = ahead.receive(frame); // null: refused or failed; the ordinary read below says why
      if (data != null) {
        piecesReadAhead++;
        bytesReadAhead += data.limit();
      }
    }
    if (data == null) {
      cancelAhead(); // not the piece asked for ahead, or it failed: the later ones are dropped too
      data = readPiece(chunkIndex, piece);
    }
    bufferStart = pieceStart;
    buffer = data;
    fetchedEnd = pieceStart + data.limit();
    if (readingOn) {
      askAhead();
    }
  }

  /**
   * When the piece asked for first ahead starts at file offset at and the caller wants all of it (a stream reading on
   * with reads of at least a piece, like Hadoop's copy loops and the benchmark), reads it from the socket straight into
   * {@code bytes[offset..]}: the reply's bytes pass through no frame array and are not copied out of one. Returns the
   * bytes read, or 0 when the piece cannot be read this way (then the ordinary path reads it: failover, retries,
   * errors). The read-ahead buffer is not kept over the caller's array, which the caller may change.
   */
  private int receiveDirect(long at, byte[] bytes, int offset, int room) {
    ReadAhead ahead = aheads.peekFirst();
    if (ahead == null || ahead.fileOffset != at || ahead.lengthBytes() > room) {
      return 0;
    }
    aheads.pollFirst();
    ByteBuffer data = ahead.receiveInto(bytes, offset);
    if (data == null) {
      cancelAhead(); // the ordinary read of this piece follows; the later ones are dropped too, as in fill
      return 0;
    }
    int n = data.limit();
    buffer = null;
    fetchedEnd = at + n;
    piecesReadAhead++;
    piecesReadDirect++;
    bytesReadAhead += n;
    askAhead();
    return n;
  }

  /** Keeps {@link #READ_AHEAD_PIECES_MAX} pieces asked for after the last one fetched, while the file has them. */
  private void askAhead() {
    while (aheads.size() < READ_AHEAD_PIECES_MAX) {
      ReadAhead last = aheads.peekLast();
      if (!sendAhead(last == null ? fetchedEnd : last.fileOffset + last.lengthBytes())) {
        break;
      }
    }
  }

  /**
   * Asks for the piece at file offset next now, if the file has one. A failure to locate its chunk is left to the
   * ordinary read of that piece, which retries and reports it.
   */
  private boolean sendAhead(long next) {
    if (next >= lengthBytes) {
      return false;
    }
    long chunkIndex = ChunkMath.chunkIndex(next, chunkSizeBytes);
    long readableEnd = ChunkMath.bytesInChunk(chunkIndex, chunkSizeBytes, lengthBytes);
    Piece piece = ChunkMath.pieceAt(ChunkMath.offsetInChunk(next, chunkSizeBytes), readableEnd);
    ChunkReplicas chunk;
    try {
      chunk = context.locate(path, chunkIndex);
    } catch (IOException e) {
      return false;
    }
    ReadAhead sent = ReadAhead.send(context, chunk, piece, next);
    if (sent != null) {
      aheads.addLast(sent);
    }
    return sent != null;
  }

  private void cancelAhead() {
    while (!aheads.isEmpty()) {
      aheads.pollFirst().cancel();
    }
  }

  private ByteBuffer readPiece(long chunkIndex, Piece piece) throws IOException {
    List<String> attempts = new ArrayList<>();
    long handle = -1;
    for (int attempt = 0; ; attempt++) {
      ChunkReplicas chunk = context.locate(path, chunkIndex);
      handle = chunk.handle();
      try {
        return chunkReader.read(chunk, piece);
      } catch (ChunkReader.ReplicasFailedException e) {
        attempts.add("attempt " + (attempt + 1) + ": " + e.getMessage());
        context.locations.invalidate(path);
        if (e.tokenRefused && attempt == 0) {
          continue; // an expired token: the next lookup brings a fresh one, no need to back off (issue 7)
        }
      }
      if (!context.retry.mayRetry(attempt)) {
        throw new IOException(String.format("%s: cannot read chunk %d (handle %d) at [%d, %d): every replica failed"
            + " in %d attempts: %s", path, chunkIndex, handle, piece.offsetInChunk(), piece.endInChunk(),
            attempt + 1, attempts));
      }
      context.sleeper.sleep(context.retry.pauseMillis(attempt));
    }
  }
}
