package io.gfs.mapreduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CommitMarkerTest {
  private static byte[] marker(long writerId, long[] offsets) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CommitMarker.Writer w = new CommitMarker.Writer(out, writerId, "attempt_x_0001_m_000003_0");
    for (long offset : offsets) {
      w.add(offset);
    }
    w.finish();
    return out.toByteArray();
  }

  private static List<long[]> read(byte[] marker) throws IOException {
    List<long[]> entries = new ArrayList<>();
    CommitMarker.Header h = CommitMarker.read(new ByteArrayInputStream(marker), marker.length, "m",
        (writerId, seq, offset) -> entries.add(new long[] {writerId, seq, offset}));
    assertEquals(entries.size(), h.count());
    assertEquals("attempt_x_0001_m_000003_0", h.attempt());
    return entries;
  }

  @Test
  void roundTripsGrowingAndShrinkingOffsets() throws IOException {
    SplittableRandom random = new SplittableRandom(1);
    long[] offsets = new long[5000];
    long at = 0;
    for (int i = 0; i < offsets.length; i++) {
      at += random.nextInt(3) == 0 ? -random.nextInt(100) : random.nextLong(1 << 30);
      offsets[i] = Math.max(0, at);
    }
    byte[] marker = marker(-7L, offsets);
    List<long[]> entries = read(marker);
    for (int i = 0; i < offsets.length; i++) {
      assertEquals(-7L, entries.get(i)[0]);
      assertEquals(i, entries.get(i)[1]);
      assertEquals(offsets[i], entries.get(i)[2]);
    }
  }

  @Test
  void growingOffsetsCostAFewBytesEach() throws IOException {
    long[] offsets = new long[10_000];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = 1000L * i;
    }
    byte[] marker = marker(1, offsets);
    assertEquals(true, marker.length < 3 * offsets.length, "marker of " + marker.length + " bytes");
  }

  @Test
  void anEmptyMarkerIsValid() throws IOException {
    assertEquals(0, read(marker(1, new long[0])).size());
  }

  @Test
  void damageAndTruncationAreDetected() throws IOException {
    byte[] marker = marker(1, new long[] {0, 100, 200, 300});
    for (int i = 0; i < marker.length; i++) {
      byte[] flipped = marker.clone();
      flipped[i] ^= 0x10;
      assertThrows(IOException.class, () -> read(flipped), "flipped byte " + i);
    }
    for (int keep = 0; keep < marker.length; keep++) {
      byte[] cut = Arrays.copyOf(marker, keep);
      assertThrows(IOException.class, () -> read(cut), "kept " + keep);
    }
  }
}
