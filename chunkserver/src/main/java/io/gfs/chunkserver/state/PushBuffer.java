package io.gfs.chunkserver.state;

import io.gfs.common.Check;
import io.gfs.common.Crc32c;
import io.gfs.common.GfsConfigKeys;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Pushed data waiting for the write or record append that uses it [0097-0098], keyed by the client's data id. The
 * whole length is reserved when the first piece arrives, so a full buffer answers BUSY up front instead of running out
 * of memory half way; entries unused for the TTL are dropped. Pieces must arrive in order (a re-sent piece is
 * harmless). When the last byte is in, the CRC32C of the whole data is checked against the sender's: a mismatch drops
 * the entry, so corrupted data is never written.
 *
 * <p>A piece is kept as given, not copied: whoever hands one in never changes its bytes afterwards (the RPC layer
 * reads every frame into a fresh array and leaves it alone).
 *
 * <p>Thread-safe: the map and the byte accounting are guarded by this object, the pieces of an entry by the entry,
 * so checksumming a 1 MiB piece does not hold up other data ids.
 */
public final class PushBuffer {
  private final long bytesMax;
  private final long ttlMillis;
  private final Map<Long, Entry> entries = new LinkedHashMap<>();
  private long reservedBytes;

  private static final int BLOCK_BYTES = (int) GfsConfigKeys.CHECKSUM_BLOCK_BYTES;
  /** {@code crc -> Crc32c.combine(crc, 0, BLOCK_BYTES)} as its 32 columns, computed once (it is linear in crc). */
  private static final int[] BLOCK_SHIFT = shiftColumns(BLOCK_BYTES);

  private static final class Entry {
    final int totalLengthBytes;
    final int crc32c;
    /**
     * The new bytes of each piece as received: views of the RPC layer's frames, which are never reused, so nothing is
     * copied (a copy into one array per data id was a humongous allocation per mutation on every server).
     */
    final List<ByteBuffer> pieces = new ArrayList<>();
    /** Where each piece starts in the data. */
    final List<Integer> pieceStarts = new ArrayList<>();
    /**
     * The CRC32C of each 64 KiB block of the data, computed as the bytes arrive (the block being filled runs in
     * {@code openBlock}): they fold into the CRC of the whole data for the check at the last byte, and the store takes
     * them as the chunk's block CRCs, so every byte is checksummed once here.
     */
    final int[] blockCrcs;
    final CRC32C openBlock = new CRC32C();
    long lastUsedMillis;
    long receivedBytes;
    boolean verified;

    Entry(int totalLengthBytes, int crc32c, long nowMillis) {
      this.totalLengthBytes = totalLengthBytes;
      this.blockCrcs = new int[PushedData.blockCount(totalLengthBytes)];
      this.crc32c = crc32c;
      this.lastUsedMillis = nowMillis;
    }

    /** Takes {@code fresh} (the bytes right after those received) and checksums it block by block. */
    void append(ByteBuffer fresh) {
      pieces.add(fresh);
      pieceStarts.add((int) receivedBytes);
      ByteBuffer rest = fresh.duplicate();
      long at = receivedBytes;
      while (rest.hasRemaining()) {
        int block = (int) (at / BLOCK_BYTES);
        long blockEnd = Math.min((long) (block + 1) * BLOCK_BYTES, totalLengthBytes);
        int step = (int) Math.min(rest.remaining(), blockEnd - at);
        int limit = rest.limit();
        rest.limit(rest.position() + step);
        openBlock.update(rest); // moves rest's position by step
        rest.limit(limit);
        at += step;
        if (at == blockEnd) {
          blockCrcs[block] = (int) openBlock.getValue();
          openBlock.reset();
        }
      }
      receivedBytes = at;
    }

    /** The CRC32C of the whole data, folded from the block CRCs; only once every byte is in. */
    int wholeCrc() {
      int crc = 0;
      int full = (int) (totalLengthBytes / BLOCK_BYTES);
      for (int block = 0; block < full; block++) {
        crc = shift(crc) ^ blockCrcs[block];
      }
      int tail = totalLengthBytes - full * BLOCK_BYTES;
      return tail == 0 ? crc : Crc32c.combine(crc, blockCrcs[full], tail);
    }

    /** The stored bytes [offset, offset + length): a view when one piece holds them, else a copy (re-sends only). */
    ByteBuffer stored(long offsetBytes, int lengthBytes) {
      for (int i = pieces.size() - 1; i >= 0; i--) {
        int start = pieceStarts.get(i);
        if (start <= offsetBytes) {
          ByteBuffer piece = pieces.get(i);
          int from = (int) (offsetBytes - start);
          if (from + lengthBytes <= piece.remaining()) {
            return piece.duplicate().position(piece.position() + from).limit(piece.position() + from + lengthBytes)
                .slice();
          }
          break;
        }
      }
      byte[] copy = new byte[lengthBytes];
      for (int i = 0; i < pieces.size(); i++) {
        long start = pieceStarts.get(i);
        ByteBuffer piece = pieces.get(i);
        long from = Math.max(start, offsetBytes);
        long to = Math.min(start + piece.remaining(), offsetBytes + lengthBytes);
        if (from < to) {
          piece.duplicate().position(piece.position() + (int) (from - start))
              .get(copy, (int) (from - offsetBytes), (int) (to - from));
        }
      }
      return ByteBuffer.wrap(copy);
    }
  }

  private static int[] shiftColumns(long lengthBytes) {
    int[] columns = new int[32];
    for (int bit = 0; bit < 32; bit++) {
      columns[bit] = Crc32c.combine(1 << bit, 0, lengthBytes);
    }
    return columns;
  }

  private static int shift(int crc) {
    int sum = 0;
    for (int bit = 0, v = crc; v != 0; bit++, v >>>= 1) {
      if ((v & 1) != 0) {
        sum ^= BLOCK_SHIFT[bit];
      }
    }
    return sum;
  }

  /**
   * What a piece did: whether the entry now holds all its bytes, verified; and a view of the piece as stored here (to
   * read, never to write), which stays valid after the entry is released (its array is never reused), so forwarding
   * it down the chain needs no copy of its own.
   */
  public record PieceResult(boolean complete, ByteBuffer stored) {}

  public PushBuffer(long bytesMax, long ttlMillis) {
    Check.argument(bytesMax >= GfsConfigKeys.DATA_PIECE_BYTES_MAX, "push buffer max %s < one piece", bytesMax);
    Check.argument(ttlMillis > 0, "push buffer TTL %s <= 0", ttlMillis);
    this.bytesMax = bytesMax;
    this.ttlMillis = ttlMillis;
  }

  /** Stores one piece; see the class comment for the rules. */
  public PieceResult receive(long dataId, long pieceOffsetBytes, ByteBuffer piece, boolean last, int totalLengthBytes,
      int crc32c, long nowMillis) throws Refusal {
    int pieceBytes = piece.remaining();
    checkPiece(dataId, pieceOffsetBytes, pieceBytes, last, totalLengthBytes);
    Entry entry = admit(dataId, totalLengthBytes, crc32c, nowMillis);
    boolean complete;
    boolean corrupt = false;
    synchronized (entry) {
      if (!entry.verified) {
        if (pieceOffsetBytes > entry.receivedBytes) {
          throw new Refusal(RefusalCode.INVALID_ARGUMENT,
              "data %s: piece at offset %s but only %s bytes received; pieces must come in order", dataId,
              pieceOffsetBytes, entry.receivedBytes);
        }
        // Only the bytes past those received are taken: a re-sent piece cannot change bytes already in the CRC.
        long end = pieceOffsetBytes + pieceBytes;
        if (end > entry.receivedBytes) {
          int skip = (int) (entry.receivedBytes - pieceOffsetBytes);
          entry.append(piece.duplicate().position(piece.position() + skip).slice());
        }
        if (entry.receivedBytes == entry.totalLengthBytes) {
          corrupt = entry.wholeCrc() != entry.crc32c;
          entry.verified = !corrupt;
        }
      }
      complete = entry.verified;
    }
    if (corrupt) {
      release(dataId);
      throw new Refusal(RefusalCode.CHECKSUM_MISMATCH,
          "data %s: the CRC32C of the %s bytes received does not match the sender's %s; push it again", dataId,
          totalLengthBytes, Integer.toHexString(crc32c));
    }
    if (last && !complete) {
      throw new Refusal(RefusalCode.INVALID_ARGUMENT, "data %s: last piece arrived before all %s bytes", dataId,
          totalLengthBytes);
    }
    ByteBuffer stored;
    synchronized (entry) {
      stored = entry.stored(pieceOffsetBytes, pieceBytes);
    }
    return new PieceResult(complete, stored);
  }

  /** The whole, verified data for a mutation; it stays buffered until {@link #release}. */
  public PushedData take(long dataId, int lengthBytes, long nowMillis) throws Refusal {
    Entry entry;
    synchronized (this) {
      entry = entries.get(dataId);
      if (entry != null) {
        entry.lastUsedMillis = nowMillis;
      }
    }
    if (entry == null) {
      throw new Refusal(RefusalCode.DATA_NOT_FOUND, "no pushed data %s here (never pushed, used, or aged out)",
          dataId);
    }
    synchronized (entry) {
      if (!entry.verified) {
        throw new Refusal(RefusalCode.DATA_NOT_FOUND, "data %s is incomplete here: %s of %s bytes", dataId,
            entry.receivedBytes, entry.totalLengthBytes);
      }
      if (entry.totalLengthBytes != lengthBytes) {
        throw new Refusal(RefusalCode.DATA_NOT_FOUND, "data %s holds %s bytes, the request says %s", dataId,
            entry.totalLengthBytes, lengthBytes);
      }
      return new PushedData(entry.pieces, entry.totalLengthBytes, entry.blockCrcs);
    }
  }

  /** The data was applied (or is no longer wanted). */
  public synchronized void release(long dataId) {
    Entry entry = entries.remove(dataId);
    if (entry != null) {
      reservedBytes -= entry.totalLengthBytes;
    }
  }

  /** Drops entries unused for the TTL; returns their data ids. */
  public synchronized List<Long> expire(long nowMillis) {
    List<Long> dropped = new ArrayList<>();
    for (Iterator<Map.Entry<Long, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Entry> e = it.next();
      if (nowMillis - e.getValue().lastUsedMillis >= ttlMillis) {
        reservedBytes -= e.getValue().totalLengthBytes;
        dropped.add(e.getKey());
        it.remove();
      }
    }
    return dropped;
  }

  public synchronized boolean contains(long dataId) {
    return entries.containsKey(dataId);
  }

  public synchronized long reservedBytes() {
    return reservedBytes;
  }

  public synchronized int entryCount() {
    return entries.size();
  }

  public long bytesMax() {
    return bytesMax;
  }

  public synchronized void checkInvariants() {
    long sum = 0;
    for (Entry entry : entries.values()) {
      sum += entry.totalLengthBytes;
    }
    Check.state(sum == reservedBytes, "push buffer accounts %s bytes, entries hold %s", reservedBytes, sum);
    Check.state(reservedBytes <= bytesMax, "push buffer holds %s bytes, over its max %s", reservedBytes, bytesMax);
  }

  private synchronized Entry admit(long dataId, int totalLengthBytes, int crc32c, long nowMillis) throws Refusal {
    Entry entry = entries.get(dataId);
    if (entry != null) {
      if (entry.totalLengthBytes != totalLengthBytes || entry.crc32c != crc32c) {
        throw new Refusal(RefusalCode.INVALID_ARGUMENT,
            "data %s is being pushed with %s bytes and CRC %s; this piece says %s bytes and CRC %s", dataId,
            entry.totalLengthBytes, Integer.toHexString(entry.crc32c), totalLengthBytes, Integer.toHexString(crc32c));
      }
      entry.lastUsedMillis = nowMillis;
      return entry;
    }
    if (reservedBytes + totalLengthBytes > bytesMax) {
      expire(nowMillis);
    }
    if (reservedBytes + totalLengthBytes > bytesMax) {
      throw new Refusal(RefusalCode.BUSY, "push buffer full: %s of %s bytes reserved, %s more wanted for data %s",
          reservedBytes, bytesMax, totalLengthBytes, dataId);
    }
    entry = new Entry(totalLengthBytes, crc32c, nowMillis);
    entries.put(dataId, entry);
    reservedBytes += totalLengthBytes;
    return entry;
  }

  private void checkPiece(long dataId, long pieceOffsetBytes, int pieceBytes, boolean last, int totalLengthBytes)
      throws Refusal {
    if (totalLengthBytes < 1 || totalLengthBytes > bytesMax) {
      throw new Refusal(RefusalCode.INVALID_ARGUMENT, "data %s: total length %s outside [1, %s]", dataId,
          totalLengthBytes, bytesMax);
    }
    if (pieceBytes > GfsConfigKeys.DATA_PIECE_BYTES_MAX) {
      throw new Refusal(RefusalCode.INVALID_ARGUMENT, "data %s: piece of %s bytes over the max %s", dataId, pieceBytes,
          GfsConfigKeys.DATA_PIECE_BYTES_MAX);
    }
    if (pieceOffsetBytes < 0 || pieceOffsetBytes > totalLengthBytes
        || pieceOffsetBytes + pieceBytes > totalLengthBytes) { // the middle test keeps the sum from overflowing
      throw new Refusal(RefusalCode.INVALID_ARGUMENT, "data %s: piece [%s, %s) outside the data's %s bytes", dataId,
          pieceOffsetBytes, pieceOffsetBytes + pieceBytes, totalLengthBytes);
    }
    if (last && pieceOffsetBytes + pieceBytes != totalLengthBytes) {
      throw new Refusal(RefusalCode.INVALID_ARGUMENT, "data %s: last piece ends at %s, not at the total length %s",
          dataId, pieceOffsetBytes + pieceBytes, totalLengthBytes);
    }
  }
}
