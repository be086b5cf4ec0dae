package io.gfs.chunkserver.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.Crc32c;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PushBufferTest {
  private static final int MIB = 1 << 20;
  private final PushBuffer buffer = new PushBuffer(4 * MIB, 10_000);

  @AfterEach
  void invariants() {
    buffer.checkInvariants();
  }

  private static byte[] bytes(int length, long seed) {
    byte[] data = new byte[length];
    new Random(seed).nextBytes(data);
    return data;
  }

  private static ByteBuffer slice(byte[] data, int from, int to) {
    return ByteBuffer.wrap(Arrays.copyOfRange(data, from, to));
  }

  private PushBuffer.PieceResult push(long id, byte[] data, int from, int to, boolean last, long now)
      throws Refusal {
    return buffer.receive(id, from, slice(data, from, to), last, data.length, Crc32c.of(data, 0, data.length), now);
  }

  @Test
  void piecesInOrderMakeTheWholeVerifiedData() throws Refusal {
    byte[] data = bytes(MIB + 500, 1);
    assertFalse(push(7, data, 0, MIB, false, 0).complete());
    assertThrows(Refusal.class, () -> buffer.take(7, data.length, 0));
    assertTrue(push(7, data, MIB, data.length, true, 0).complete());
    assertArrayEquals(data, buffer.take(7, data.length, 0).toArray());
    assertEquals(RefusalCode.DATA_NOT_FOUND, assertThrows(Refusal.class, () -> buffer.take(7, 5, 0)).code());
    buffer.release(7);
    assertEquals(0, buffer.reservedBytes());
    assertEquals(RefusalCode.DATA_NOT_FOUND, assertThrows(Refusal.class, () -> buffer.take(7, data.length, 0))
        .code());
  }

  @Test
  void aResentPieceIsHarmlessAndAGapIsRefused() throws Refusal {
    byte[] data = bytes(3000, 2);
    push(1, data, 0, 1000, false, 0);
    push(1, data, 0, 1000, false, 0);
    assertEquals(RefusalCode.INVALID_ARGUMENT,
        assertThrows(Refusal.class, () -> push(1, data, 2000, 3000, true, 0)).code());
    push(1, data, 1000, 3000, true, 0);
    push(1, data, 1000, 3000, true, 0); // the last piece again, e.g. after a lost reply
    assertArrayEquals(data, buffer.take(1, 3000, 0).toArray());
    assertEquals(3000, buffer.reservedBytes());
  }

  @Test
  void aResentPieceCannotChangeBytesAlreadyReceived() throws Refusal {
    byte[] data = bytes(3000, 5);
    int crc = Crc32c.of(data, 0, data.length);
    push(1, data, 0, 1000, false, 0);
    byte[] altered = Arrays.copyOfRange(data, 0, 2000);
    altered[10] ^= 1; // already received: must be ignored
    buffer.receive(1, 0, ByteBuffer.wrap(altered), false, data.length, crc, 0); // overlaps: only [1000, 2000) is new
    assertTrue(buffer.receive(1, 2000, slice(data, 2000, 3000), true, data.length, crc, 0).complete());
    assertArrayEquals(data, buffer.take(1, 3000, 0).toArray(), "the first bytes received stay, and the whole CRC matched");
  }

  @Test
  void piecesCheckedWithTheSameRunningCrcInAnySize() throws Refusal {
    byte[] data = bytes(2 * MIB + 123, 6);
    int[] cuts = {0, 1, 65_536, 65_537, MIB, MIB + 77, 2 * MIB, data.length};
    for (int i = 0; i + 1 < cuts.length; i++) {
      boolean last = i + 2 == cuts.length;
      assertEquals(last, push(9, data, cuts[i], cuts[i + 1], last, 0).complete());
    }
    assertArrayEquals(data, buffer.take(9, data.length, 0).toArray());
  }

  @Test
  void blockCrcsAreThoseOfEach64KiBBlockOfTheDataWhateverThePieces() throws Refusal {
    byte[] data = bytes(3 * MIB + 4567, 10);
    int[] cuts = {0, 100, 65_536, 65_600, MIB, 2 * MIB, 2 * MIB + 1, 3 * MIB, data.length};
    for (int i = 0; i + 1 < cuts.length; i++) {
      push(11, data, cuts[i], cuts[i + 1], i + 2 == cuts.length, 0);
    }
    int[] crcs = buffer.take(11, data.length, 0).blockCrcs();
    assertEquals((data.length + 65_535) / 65_536, crcs.length);
    for (int block = 0; block < crcs.length; block++) {
      int from = block * 65_536;
      assertEquals(Crc32c.of(data, from, Math.min(65_536, data.length - from)), crcs[block], "block " + block);
    }
  }

  @Test
  void aPieceIsCopiedInSoItsFrameCanDieYoung() throws Refusal {
    byte[] data = bytes(2 * MIB, 12);
    ByteBuffer first = slice(data, 0, MIB);
    int crc = Crc32c.of(data, 0, data.length);
    buffer.receive(3, 0, first, false, data.length, crc, 0);
    first.array()[5] ^= 1; // the frame's array may be anything now: the buffer holds its own copy
    buffer.receive(3, MIB, slice(data, MIB, 2 * MIB), true, data.length, crc, 0);
    assertArrayEquals(data, buffer.take(3, data.length, 0).toArray());
  }

  @Test
  void aResentPieceIsForwardedAsTheBytesStoredFirst() throws Refusal {
    byte[] data = bytes(3000, 13);
    int crc = Crc32c.of(data, 0, data.length);
    push(1, data, 0, 1000, false, 0);
    push(1, data, 1000, 2000, false, 0);
    byte[] altered = Arrays.copyOfRange(data, 500, 1500);
    altered[0] ^= 1;
    ByteBuffer forwarded = buffer.receive(1, 500, ByteBuffer.wrap(altered), false, data.length, crc, 0).stored();
    byte[] got = new byte[forwarded.remaining()];
    forwarded.get(got);
    assertArrayEquals(Arrays.copyOfRange(data, 500, 1500), got, "spans two stored pieces: their bytes, not the re-send");
  }

  @Test
  void aCrcMismatchDropsTheEntry() {
    byte[] data = bytes(1000, 3);
    Refusal refusal = assertThrows(Refusal.class,
        () -> buffer.receive(1, 0, ByteBuffer.wrap(data), true, data.length, 12345, 0));
    assertEquals(RefusalCode.CHECKSUM_MISMATCH, refusal.code());
    assertFalse(buffer.contains(1));
    assertEquals(0, buffer.reservedBytes());
  }

  @Test
  void aFullBufferSaysBusyUntilSpaceIsFreedOrAgesOut() throws Refusal {
    byte[] big = bytes(3 * MIB, 4);
    push(1, big, 0, MIB, false, 0);
    byte[] other = bytes(2 * MIB, 5);
    assertEquals(RefusalCode.BUSY, assertThrows(Refusal.class, () -> push(2, other, 0, MIB, false, 5000)).code());
    // Entry 1 was last used at 0: at 10000 its TTL is up, so admitting entry 2 drops it.
    push(2, other, 0, MIB, false, 10_000);
    assertFalse(buffer.contains(1));
    assertEquals(2 * MIB, buffer.reservedBytes());
  }

  @Test
  void entriesUnusedForTheTtlExpire() throws Refusal {
    byte[] data = bytes(100, 6);
    push(1, data, 0, 100, true, 0);
    push(2, data, 0, 50, false, 0);
    push(2, data, 50, 100, true, 6000); // used at 6000
    assertEquals(List.of(1L), buffer.expire(10_000));
    assertTrue(buffer.contains(2));
    buffer.take(2, 100, 15_000);
    assertEquals(List.of(), buffer.expire(24_999));
    assertEquals(List.of(2L), buffer.expire(25_000));
    assertEquals(0, buffer.entryCount());
  }

  @Test
  void malformedPiecesAreInvalidArguments() {
    byte[] data = bytes(100, 7);
    int crc = Crc32c.of(data, 0, 100);
    List<ThrowingCall> calls = List.of(
        () -> buffer.receive(1, -1, slice(data, 0, 10), false, 100, crc, 0),
        () -> buffer.receive(1, 95, slice(data, 0, 10), false, 100, crc, 0),
        () -> buffer.receive(1, Long.MAX_VALUE - 2, slice(data, 0, 10), false, 100, crc, 0),
        () -> buffer.receive(1, 0, slice(data, 0, 10), true, 100, crc, 0),
        () -> buffer.receive(1, 0, slice(data, 0, 10), false, 0, crc, 0),
        () -> buffer.receive(1, 0, slice(data, 0, 10), false, 5 * MIB, crc, 0),
        () -> buffer.receive(1, 0, ByteBuffer.allocate(MIB + 1), false, 2 * MIB, crc, 0));
    for (ThrowingCall call : calls) {
      assertEquals(RefusalCode.INVALID_ARGUMENT, assertThrows(Refusal.class, call::run).code());
    }
    assertEquals(0, buffer.reservedBytes());
  }

  @Test
  void aDataIdReusedWithAnotherLengthIsRefused() throws Refusal {
    byte[] data = bytes(100, 8);
    push(1, data, 0, 50, false, 0);
    byte[] other = bytes(200, 9);
    assertEquals(RefusalCode.INVALID_ARGUMENT,
        assertThrows(Refusal.class, () -> push(1, other, 50, 100, false, 0)).code());
  }

  private static byte[] read(ByteBuffer view) {
    byte[] out = new byte[view.remaining()];
    view.duplicate().get(out);
    return out;
  }

  @Test
  void anEntrysArrayIsReusedOnlyOnceEveryViewOfItIsClosed() throws Refusal {
    int length = 64 << 10;
    byte[] first = bytes(length, 21);
    PushBuffer.PieceResult forwarding = push(1, first, 0, length, true, 0);
    PushedData written = buffer.take(1, length, 0);
    buffer.release(1);
    written.close();
    // Applied and released, but its piece is still being forwarded: the next data gets an array of its own.
    byte[] second = bytes(length, 22);
    PushBuffer.PieceResult two = push(2, second, 0, length, true, 0);
    assertNotSame(forwarding.stored().array(), two.stored().array());
    assertArrayEquals(first, read(forwarding.stored()), "a view being forwarded keeps its bytes");
    two.hold().close();
    forwarding.hold().close();
    forwarding.hold().close(); // a second close counts for nothing
    assertEquals(0, buffer.reusedArrayCount(), "data 2 is still buffered, data 1 is done with");
    byte[] third = bytes(length, 23);
    PushBuffer.PieceResult three = push(3, third, 0, length, true, 0);
    assertSame(forwarding.stored().array(), three.stored().array(), "data 1's array, no longer read, is reused");
    assertEquals(1, buffer.reusedArrayCount());
    three.hold().close();
    try (PushedData data = buffer.take(3, length, 0)) {
      assertArrayEquals(third, data.toArray(), "every old byte overwritten");
    }
    buffer.release(2);
    buffer.release(3);
  }

  @Test
  void anExpiredOrRefusedEntryKeepsItsArrayWhileAPieceOfItIsStillRead() throws Refusal {
    int length = 128 << 10;
    byte[] first = bytes(length, 24);
    PushBuffer.PieceResult half = push(1, first, 0, length / 2, false, 0);
    half.hold().close();
    PushBuffer.PieceResult forwarding = push(1, first, 0, length / 2, false, 0); // a re-sent piece, forwarded again
    assertEquals(RefusalCode.DATA_NOT_FOUND, assertThrows(Refusal.class, () -> buffer.take(1, length, 0)).code());
    assertEquals(List.of(1L), buffer.expire(10_000));
    byte[] second = bytes(length, 25);
    PushBuffer.PieceResult two = push(2, second, 0, length, true, 10_000);
    assertNotSame(forwarding.stored().array(), two.stored().array());
    assertArrayEquals(Arrays.copyOfRange(first, 0, length / 2), read(forwarding.stored()));
    two.hold().close();
    buffer.release(2);
    forwarding.hold().close(); // the last reader of data 1's array: it goes idle last, so it comes back first
    assertEquals(0, buffer.reusedArrayCount());
    assertSame(forwarding.stored().array(), push(3, second, 0, length, true, 10_000).stored().array());
  }

  @Test
  void onlyPowerOfTwoArraysOfAtLeast64KiBAreKept() throws Refusal {
    for (int length : new int[] {1000, (64 << 10) + 1, 32 << 10}) {
      byte[] data = bytes(length, length);
      for (long id = 1; id <= 2; id++) {
        push(id, data, 0, length, true, 0).hold().close();
        buffer.take(id, length, 0).close();
        buffer.release(id);
      }
    }
    assertEquals(0, buffer.reusedArrayCount());
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws Exception;
  }
}
