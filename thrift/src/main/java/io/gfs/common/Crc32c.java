package io.gfs.common;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C of byte ranges, and the combination of two CRCs without the bytes behind the first one: that is what lets a
 * chunkserver extend the checksum of a partial 64 KiB block on append without reading the block back [0129], so a
 * block that was already corrupt stays detectably corrupt. (Hadoop's CrcUtil has the same math, but the chunkserver
 * does not otherwise need hadoop-common and its hundred transitive jars.)
 */
public final class Crc32c {
  /** Reflected CRC32C (Castagnoli) polynomial. */
  private static final int POLYNOMIAL = 0x82F63B78;

  private Crc32c() {}

  public static int of(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  public static int of(ByteBuffer buffer) {
    CRC32C crc = new CRC32C();
    crc.update(buffer.duplicate());
    return (int) crc.getValue();
  }

  /** The CRC32C of A followed by B, given crc(A), crc(B) and the length of B. */
  public static int combine(int crcA, int crcB, long lengthB) {
    Check.argument(lengthB >= 0, "lengthB %s < 0", lengthB);
    if (lengthB == 0) {
      return crcA;
    }
    // Multiply crcA by x^(8*lengthB) modulo the polynomial, by repeated squaring of the shift-by-one-zero-bit operator
    // (the method of zlib's crc32_combine).
    int[] odd = new int[32];
    int[] even = new int[32];
    odd[0] = POLYNOMIAL;
    int row = 1;
    for (int n = 1; n < 32; n++) {
      odd[n] = row;
      row <<= 1;
    }
    square(even, odd); // two zero bits
    square(odd, even); // four zero bits
    int crc = crcA;
    long remaining = lengthB;
    do {
      square(even, odd);
      if ((remaining & 1) != 0) {
        crc = times(even, crc);
      }
      remaining >>>= 1;
      if (remaining == 0) {
        break;
      }
      square(odd, even);
      if ((remaining & 1) != 0) {
        crc = times(odd, crc);
      }
      remaining >>>= 1;
    } while (remaining != 0);
    return crc ^ crcB;
  }

  private static int times(int[] matrix, int vector) {
    int sum = 0;
    int v = vector;
    for (int i = 0; v != 0; i++, v >>>= 1) {
      if ((v & 1) != 0) {
        sum ^= matrix[i];
      }
    }
    return sum;
  }

  private static void square(int[] square, int[] matrix) {
    for (int n = 0; n < 32; n++) {
      square[n] = times(matrix, matrix[n]);
    }
  }
}
