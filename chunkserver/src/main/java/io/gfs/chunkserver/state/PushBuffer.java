package io.gfs.chunkserver.state;

import io.gfs.common.Check;
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
 * <p>Thread-safe: the map and the byte accounting are guarded by this object, the bytes of an entry by the entry, so
 * copying a 1 MiB piece or checking a 64 MiB CRC does not hold up other data ids.
 */
public final class PushBuffer {
  private final long bytesMax;
  private final long ttlMillis;
  private final Map<Long, Entry> entries = new LinkedHashMap<>();
  private long reservedBytes;

  private static final class Entry {
    final byte[] data;
    final int crc32c;
    /**
     * The CRC32C of bytes [0, receivedBytes), updated as each piece's new bytes arrive: the check at the last byte
     * costs nothing more, and no hop of the chain spends a whole data's CRC pass between receiving the last piece
     * and forwarding it.
     */
    final CRC32C received = new CRC32C();
    long lastUsedMillis;
    long receivedBytes;
    boolean verified;

    Entry(int totalLengthBytes, int crc32c, long nowMillis) {
      this.data = new byte[totalLengthBytes];
      this.crc32c = crc32c;
      this.lastUsedMillis = nowMillis;
    }
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
          int from = (int) entry.receivedBytes;
          int newBytes = (int) (end - from);
          piece.duplicate().position(piece.position() + (int) (from - pieceOffsetBytes)).get(entry.data, from,
              newBytes);
          entry.received.update(entry.data, from, newBytes);
          entry.receivedBytes = end;
        }
        if (entry.receivedBytes == entry.data.length) {
          corrupt = (int) entry.received.getValue() != entry.crc32c;
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
    // Not a read-only buffer: Thrift sends a heap buffer's backing array, which a read-only one refuses to hand out.
    return new PieceResult(complete, ByteBuffer.wrap(entry.data, (int) pieceOffsetBytes, pieceBytes).slice());
  }

  /** The whole, verified data for a mutation; it stays buffered until {@link #release}. */
  public byte[] take(long dataId, int lengthBytes, long nowMillis) throws Refusal {
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
            entry.receivedBytes, entry.data.length);
      }
    }
    if (entry.data.length != lengthBytes) {
      throw new Refusal(RefusalCode.DATA_NOT_FOUND, "data %s holds %s bytes, the request says %s", dataId,
          entry.data.length, lengthBytes);
    }
    return entry.data;
  }

  /** The data was applied (or is no longer wanted). */
  public synchronized void release(long dataId) {
    Entry entry = entries.remove(dataId);
    if (entry != null) {
      reservedBytes -= entry.data.length;
    }
  }

  /** Drops entries unused for the TTL; returns their data ids. */
  public synchronized List<Long> expire(long nowMillis) {
    List<Long> dropped = new ArrayList<>();
    for (Iterator<Map.Entry<Long, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Entry> e = it.next();
      if (nowMillis - e.getValue().lastUsedMillis >= ttlMillis) {
        reservedBytes -= e.getValue().data.length;
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
      sum += entry.data.length;
    }
    Check.state(sum == reservedBytes, "push buffer accounts %s bytes, entries hold %s", reservedBytes, sum);
    Check.state(reservedBytes <= bytesMax, "push buffer holds %s bytes, over its max %s", reservedBytes, bytesMax);
  }

  private synchronized Entry admit(long dataId, int totalLengthBytes, int crc32c, long nowMillis) throws Refusal {
    Entry entry = entries.get(dataId);
    if (entry != null) {
      if (entry.data.length != totalLengthBytes || entry.crc32c != crc32c) {
        throw new Refusal(RefusalCode.INVALID_ARGUMENT,
            "data %s is being pushed with %s bytes and CRC %s; this piece says %s bytes and CRC %s", dataId,
            entry.data.length, Integer.toHexString(entry.crc32c), totalLengthBytes, Integer.toHexString(crc32c));
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
