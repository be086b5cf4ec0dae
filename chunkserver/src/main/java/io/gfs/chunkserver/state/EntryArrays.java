package io.gfs.chunkserver.state;

import io.gfs.common.Check;
import java.util.ArrayDeque;

/**
 * The push buffer's arrays, kept for reuse once nothing reads them any more. A 4 MiB array per data id on every
 * server of the chain was the largest allocation of the write path (about 3 GiB allocated and zeroed per GiB written
 * with three replicas, each a humongous allocation in G1 with an 8 GiB heap); a reused one is neither allocated nor
 * zeroed, and never moved by a collection. Only arrays whose length is a power of two of at least {@link
 * #POOLED_BYTES_MIN} are kept (a full write buffer of 4 MiB, a 64 KiB record), so an entry's array is always exactly
 * its data's length and the buffer's byte accounting stays exact; other lengths are allocated and left to the
 * collector as before. At most {@code idleBytesMax} bytes wait here. Not thread-safe: the push buffer's lock guards it.
 */
final class EntryArrays {
  /** Shorter arrays are cheap to allocate and many small writes would pin memory for nothing. */
  static final int POOLED_BYTES_MIN = 64 << 10;
  /** Idle arrays kept at most, whatever the push buffer's size (a large buffer need not pin a quarter of itself). */
  static final long IDLE_BYTES_CAP = 128L << 20;

  /** Idle arrays by size class: index k holds arrays of 2^k bytes. */
  @SuppressWarnings("unchecked")
  private final ArrayDeque<byte[]>[] idle = new ArrayDeque[31];
  private final long idleBytesMax;
  private long idleBytes;
  private long reusedCount;

  EntryArrays(long idleBytesMax) {
    Check.argument(idleBytesMax >= 0, "idle array bytes max %s < 0", idleBytesMax);
    this.idleBytesMax = idleBytesMax;
  }

  /** Idle bytes allowed for a push buffer of {@code bufferBytesMax}: a quarter of it, at most {@link #IDLE_BYTES_CAP}. */
  static long idleBytesMaxFor(long bufferBytesMax) {
    return Math.min(bufferBytesMax / 4, IDLE_BYTES_CAP);
  }

  static boolean pooled(int lengthBytes) {
    return lengthBytes >= POOLED_BYTES_MIN && Integer.bitCount(lengthBytes) == 1;
  }

  /** An array of exactly {@code lengthBytes}: an idle one of that length if there is one (its old bytes still in it). */
  byte[] take(int lengthBytes) {
    Check.argument(lengthBytes >= 0, "array of %s bytes", lengthBytes);
    if (pooled(lengthBytes)) {
      ArrayDeque<byte[]> kept = idle[Integer.numberOfTrailingZeros(lengthBytes)];
      if (kept != null && !kept.isEmpty()) {
        idleBytes -= lengthBytes;
        reusedCount++;
        return kept.pop();
      }
    }
    return new byte[lengthBytes];
  }

  /** An array nobody reads or writes any more: kept if its length is pooled and there is room, else dropped. */
  void give(byte[] array) {
    int length = array.length;
    if (!pooled(length) || idleBytes + length > idleBytesMax) {
      return;
    }
    int k = Integer.numberOfTrailingZeros(length);
    if (idle[k] == null) {
      idle[k] = new ArrayDeque<>();
    }
    for (byte[] kept : idle[k]) {
      Check.state(kept != array, "an array of %s bytes given back twice", length);
    }
    idle[k].push(array);
    idleBytes += length;
  }

  long idleBytes() {
    return idleBytes;
  }

  int idleCount() {
    int count = 0;
    for (ArrayDeque<byte[]> kept : idle) {
      count += kept == null ? 0 : kept.size();
    }
    return count;
  }

  /** Arrays handed out again instead of allocated, since start. */
  long reusedCount() {
    return reusedCount;
  }

  void checkInvariants() {
    long sum = 0;
    for (ArrayDeque<byte[]> kept : idle) {
      if (kept != null) {
        for (byte[] array : kept) {
          sum += array.length;
        }
      }
    }
    Check.state(sum == idleBytes, "idle arrays hold %s bytes, accounted %s", sum, idleBytes);
    Check.state(idleBytes <= idleBytesMax, "idle arrays hold %s bytes, over the max %s", idleBytes, idleBytesMax);
  }
}
