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
 * <p>An entry's array goes back to {@link EntryArrays} for reuse only once the entry is gone (applied, aged out,
 * corrupt) AND every view of it handed out was closed: a piece being forwarded ({@link PieceResult#hold}), the data a
 * mutation is writing ({@link PushedData#close}), and each call still receiving into it. A view never closed only means
 * the array is left to the collector, never that it is reused under a reader.
 *
 * <p>Thread-safe: the map, the byte accounting, the entries' users and the idle arrays are guarded by this object, the
 * bytes of an entry by the entry, so checksumming a 1 MiB piece does not hold up other data ids.
 */
public final class PushBuffer {
  private final long bytesMax;
  private final long ttlMillis;
  private final Map<Long, Entry> entries = new LinkedHashMap<>();
  private final EntryArrays arrays;
  private long reservedBytes;

  private static final int BLOCK_BYTES = (int) GfsConfigKeys.CHECKSUM_BLOCK_BYTES;
  /** {@code crc -> Crc32c.combine(crc, 0, BLOCK_BYTES)} as its 32 columns, computed once (it is linear in crc). */
  private static final int[] BLOCK_SHIFT = shiftColumns(BLOCK_BYTES);

  private static final class Entry {
    final int totalLengthBytes;
    final int crc32c;
    /**
     * The data, copied in as pieces arrive. Not the frames themselves: a frame kept until its mutation is applied
     * outlives young collections, which copied every one of them (2.4 GiB of 1 MiB arrays promoted while 4 clients
     * wrote 1 GiB), where one array per data id of 4 MiB is allocated outside the young generation and never moved.
     */
    final byte[] data;
    /** Calls and views using {@link #data} now; guarded by the push buffer, as are the two flags. */
    int users;
    /** Out of the map: applied, aged out or corrupt. Its array is given back when the last user is done. */
    boolean removed;
    boolean recycled;
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

    Entry(int totalLengthBytes, int crc32c, long nowMillis, byte[] data) {
      Check.argument(data.length == totalLengthBytes, "an array of %s bytes for %s", data.length, totalLengthBytes);
      this.totalLengthBytes = totalLengthBytes;
      this.data = data;
      this.blockCrcs = new int[PushedData.blockCount(totalLengthBytes)];
      this.crc32c = crc32c;
      this.lastUsedMillis = nowMillis;
    }

    /** Takes {@code fresh} (the bytes right after those received) and checksums it block by block. */
    void append(ByteBuffer fresh) {
      int from = (int) receivedBytes;
      int length = fresh.remaining();
      fresh.duplicate().get(data, from, length);
      long at = from;
      long end = from + length;
      while (at < end) {
        int block = (int) (at / BLOCK_BYTES);
        long blockEnd = Math.min((long) (block + 1) * BLOCK_BYTES, totalLengthBytes);
        int step = (int) Math.min(end - at, blockEnd - at);
        openBlock.update(data, (int) at, step);
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

    /** The stored bytes [offset, offset + length), a view of the entry's array (reused only after its hold closed). */
    ByteBuffer stored(long offsetBytes, int lengthBytes) {
      // Not a read-only buffer: Thrift sends a heap buffer's backing array, which a read-only one refuses to hand out.
      return ByteBuffer.wrap(data, (int) offsetBytes, lengthBytes).slice();
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
   * read, never to write), which stays valid after the entry is released until {@code hold} is closed (its array is
   * not reused before), so forwarding it down the chain needs no copy of its own. Close the hold once the view is no
   * longer read (at once when nothing forwards it).
   */
  public record PieceResult(boolean complete, ByteBuffer stored, Hold hold) {}

  /** One use of an entry's array; closing it (once counts, later closes do nothing) may let the array be reused. */
  public static final class Hold implements AutoCloseable {
    private final PushBuffer owner;
    private final Entry entry;
    private boolean closed;

    private Hold(PushBuffer owner, Entry entry) {
      this.owner = owner;
      this.entry = entry;
    }

    @Override
    public void close() {
      owner.closeHold(this);
    }
  }

  public PushBuffer(long bytesMax, long ttlMillis) {
    Check.argument(bytesMax >= GfsConfigKeys.DATA_PIECE_BYTES_MAX, "push buffer max %s < one piece", bytesMax);
    Check.argument(ttlMillis > 0, "push buffer TTL %s <= 0", ttlMillis);
    this.bytesMax = bytesMax;
    this.ttlMillis = ttlMillis;
    this.arrays = new EntryArrays(EntryArrays.idleBytesMaxFor(bytesMax));
  }

  /** Stores one piece; see the class comment for the rules. */
  public PieceResult receive(long dataId, long pieceOffsetBytes, ByteBuffer piece, boolean last, int totalLengthBytes,
      int crc32c, long nowMillis) throws Refusal {
    int pieceBytes = piece.remaining();
    checkPiece(dataId, pieceOffsetBytes, pieceBytes, last, totalLengthBytes);
    Hold use = admit(dataId, totalLengthBytes, crc32c, nowMillis); // keeps the array ours while this call writes it
    try {
      return receiveInto(use, dataId, pieceOffsetBytes, piece, last);
    } catch (Refusal | RuntimeException e) {
      use.close();
      throw e;
    }
  }

  private PieceResult receiveInto(Hold use, long dataId, long pieceOffsetBytes, ByteBuffer piece, boolean last)
      throws Refusal {
    Entry entry = use.entry;
    int pieceBytes = piece.remaining();
    int totalLengthBytes = entry.totalLengthBytes;
    int crc32c = entry.crc32c;
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
      releaseEntry(dataId, entry);
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
    return new PieceResult(complete, stored, use); // the call's use becomes the view's
  }

  /**
   * The whole, verified data for a mutation; it stays buffered until {@link #release}. Close it once its bytes are
   * written (its array may be reused after that).
   */
  public PushedData take(long dataId, int lengthBytes, long nowMillis) throws Refusal {
    Hold use;
    synchronized (this) {
      Entry entry = entries.get(dataId);
      if (entry == null) {
        throw new Refusal(RefusalCode.DATA_NOT_FOUND, "no pushed data %s here (never pushed, used, or aged out)",
            dataId);
      }
      entry.lastUsedMillis = nowMillis;
      use = use(entry);
    }
    try {
      return takeFrom(use, dataId, lengthBytes);
    } catch (Refusal | RuntimeException e) {
      use.close();
      throw e;
    }
  }

  private static PushedData takeFrom(Hold use, long dataId, int lengthBytes) throws Refusal {
    Entry entry = use.entry;
    synchronized (entry) {
      if (!entry.verified) {
        throw new Refusal(RefusalCode.DATA_NOT_FOUND, "data %s is incomplete here: %s of %s bytes", dataId,
            entry.receivedBytes, entry.totalLengthBytes);
      }
      if (entry.totalLengthBytes != lengthBytes) {
        throw new Refusal(RefusalCode.DATA_NOT_FOUND, "data %s holds %s bytes, the request says %s", dataId,
            entry.totalLengthBytes, lengthBytes);
      }
      return new PushedData(List.of(ByteBuffer.wrap(entry.data)), entry.totalLengthBytes, entry.blockCrcs, use);
    }
  }

  /** The data was applied (or is no longer wanted). */
  public synchronized void release(long dataId) {
    Entry entry = entries.remove(dataId);
    if (entry != null) {
      reservedBytes -= entry.totalLengthBytes;
      removed(entry);
    }
  }

  /** Drops the entry if it is still the one under dataId (a corrupt one: a fresh push may already have replaced it). */
  private synchronized void releaseEntry(long dataId, Entry entry) {
    if (entries.remove(dataId, entry)) {
      reservedBytes -= entry.totalLengthBytes;
      removed(entry);
    }
  }

  private Hold use(Entry entry) {
    Check.state(!entry.recycled, "data entry in use after its array was given back");
    entry.users++;
    return new Hold(this, entry);
  }

  private synchronized void closeHold(Hold hold) {
    if (hold.closed) {
      return;
    }
    hold.closed = true;
    Entry entry = hold.entry;
    Check.state(entry.users > 0, "a data entry's hold closed with no users left");
    entry.users--;
    recycleIfUnused(entry);
  }

  private void removed(Entry entry) {
    entry.removed = true;
    recycleIfUnused(entry);
  }

  private void recycleIfUnused(Entry entry) {
    if (entry.removed && entry.users == 0 && !entry.recycled) {
      entry.recycled = true;
      arrays.give(entry.data);
    }
  }

  /** Entry arrays waiting to be reused. */
  public synchronized int idleArrayCount() {
    return arrays.idleCount();
  }

  /** Entry arrays handed out again instead of allocated, since start. */
  public synchronized long reusedArrayCount() {
    return arrays.reusedCount();
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
        removed(e.getValue());
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
    arrays.checkInvariants();
  }

  /** The entry for a piece, found or made, with a use of it for the caller. */
  private synchronized Hold admit(long dataId, int totalLengthBytes, int crc32c, long nowMillis) throws Refusal {
    Entry entry = entries.get(dataId);
    if (entry != null) {
      if (entry.totalLengthBytes != totalLengthBytes || entry.crc32c != crc32c) {
        throw new Refusal(RefusalCode.INVALID_ARGUMENT,
            "data %s is being pushed with %s bytes and CRC %s; this piece says %s bytes and CRC %s", dataId,
            entry.totalLengthBytes, Integer.toHexString(entry.crc32c), totalLengthBytes, Integer.toHexString(crc32c));
      }
      entry.lastUsedMillis = nowMillis;
      return use(entry);
    }
    if (reservedBytes + totalLengthBytes > bytesMax) {
      expire(nowMillis);
    }
    if (reservedBytes + totalLengthBytes > bytesMax) {
      throw new Refusal(RefusalCode.BUSY, "push buffer full: %s of %s bytes reserved, %s more wanted for data %s",
          reservedBytes, bytesMax, totalLengthBytes, dataId);
    }
    entry = new Entry(totalLengthBytes, crc32c, nowMillis, arrays.take(totalLengthBytes));
    entries.put(dataId, entry);
    reservedBytes += totalLengthBytes;
    return use(entry);
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
