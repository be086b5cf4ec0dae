package io.gfs.chunkserver.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EntryArraysTest {
  private static final int KIB_64 = 64 << 10;

  @Test
  void idleArraysStayUnderTheirMaxAndComeBackBySize() {
    EntryArrays arrays = new EntryArrays(3L * KIB_64);
    byte[] a = arrays.take(KIB_64);
    byte[] b = arrays.take(KIB_64);
    byte[] big = arrays.take(2 * KIB_64);
    arrays.give(a);
    arrays.give(big);
    arrays.give(b); // over the max: dropped
    assertEquals(3L * KIB_64, arrays.idleBytes());
    arrays.checkInvariants();
    assertSame(big, arrays.take(2 * KIB_64));
    assertSame(a, arrays.take(KIB_64));
    assertNotSame(a, arrays.take(KIB_64), "none of that size left: a new one");
    assertEquals(0, arrays.idleBytes());
    assertEquals(2, arrays.reusedCount());
  }

  @Test
  void anArrayGivenTwiceIsABug() {
    EntryArrays arrays = new EntryArrays(4L * KIB_64);
    byte[] a = arrays.take(KIB_64);
    arrays.give(a);
    assertThrows(IllegalStateException.class, () -> arrays.give(a));
  }

  @Test
  void theIdleMaxIsAQuarterOfTheBufferUpToTheCap() {
    assertEquals(1L << 20, EntryArrays.idleBytesMaxFor(4L << 20));
    assertEquals(EntryArrays.IDLE_BYTES_CAP, EntryArrays.idleBytesMaxFor(64L << 30));
  }
}
