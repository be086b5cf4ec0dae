package io.gfs.mapreduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameScannerTest {
  private static final int CHUNK = 4096;
  private static final int FRAME_MAX = RecordFrame.frameBytesMax(CHUNK);

  /** Two chunks with everything record append can leave behind: padding, torn and corrupt pieces, a retried copy. */
  private static SyntheticFile messyFile() {
    SyntheticFile f = new SyntheticFile();
    SplittableRandom random = new SplittableRandom(42);
    long seq = 0;
    f.frame(1, seq++, "first");
    f.torn(1, seq, "torn by a failed append", 20);
    f.frame(1, seq++, "torn by a failed append"); // the retry
    f.corrupt(2, 0, "bit flipped");
    f.raw(new byte[] {(byte) 0xF5, 0x47, 0x46, 0x52, 0x7f, 0x7f, 0x7f, 0x7f}); // a magic with an absurd length
    f.frame(2, 0, "bit flipped"); // the retry
    f.frame(2, 1, "x".repeat(500));
    f.frame(2, 1, "x".repeat(500)); // a duplicate from a retry that had succeeded on this replica
    f.raw(new byte[] {(byte) 0xF5, 0x47, 0x46}); // a magic cut short
    f.padTo(CHUNK);
    for (int i = 0; i < 30; i++) {
      f.frame(3, i, "r".repeat(random.nextInt(120)));
    }
    f.torn(4, 0, "a torn record at the very end of the file", 30);
    return f;
  }

  private static List<Frame> scan(byte[] file, long start, long end, int window, int maxRead) throws IOException {
    FrameScanner scanner = new FrameScanner(SyntheticFile.source(file, maxRead), start, end, FRAME_MAX, window);
    List<Frame> out = new ArrayList<>();
    for (Frame frame = scanner.next(); frame != null; frame = scanner.next()) {
      out.add(frame);
    }
    return out;
  }

  @Test
  void findsExactlyTheIntactFramesAtTheirOffsets() throws IOException {
    SyntheticFile f = messyFile();
    byte[] file = f.toByteArray();
    List<Frame> found = scan(file, 0, file.length, 1 << 20, Integer.MAX_VALUE);
    assertSameFrames(f.frames, found);
  }

  @Test
  void smallWindowsAndShortReadsFindTheSameFrames() throws IOException {
    SyntheticFile f = messyFile();
    byte[] file = f.toByteArray();
    assertSameFrames(f.frames, scan(file, 0, file.length, 16, 7));
  }

  @Test
  void anySplitPointReturnsEveryFrameOnceAcrossTheTwoSides() throws IOException {
    SyntheticFile f = messyFile();
    byte[] file = f.toByteArray();
    for (int split = 0; split <= file.length; split += 3) {
      List<Frame> both = new ArrayList<>(scan(file, 0, split, 64, 50));
      both.addAll(scan(file, split, file.length, 64, 50));
      assertSameFrames(f.frames, both);
    }
  }

  @Test
  void countsPaddingAndDamage() throws IOException {
    SyntheticFile f = messyFile();
    byte[] file = f.toByteArray();
    FrameScanner scanner = new FrameScanner(SyntheticFile.source(file, 1000), 0, file.length, FRAME_MAX, 256);
    long frameBytes = 0;
    for (Frame frame = scanner.next(); frame != null; frame = scanner.next()) {
      frameBytes += frame.frameBytes();
    }
    assertEquals(file.length, frameBytes + scanner.skippedBytes());
    assertTrue(scanner.rejectedCandidates() >= 2, "torn and corrupt frames: " + scanner.rejectedCandidates());
  }

  @Test
  void aFileOfPaddingOnlyHoldsNothing() throws IOException {
    assertEquals(List.of(), scan(new byte[3 * CHUNK], 0, 3 * CHUNK, 1024, 1024));
    assertEquals(List.of(), scan(new byte[0], 0, 0, 1024, 1024));
  }

  private static void assertSameFrames(List<Frame> expected, List<Frame> actual) {
    assertEquals(expected.size(), actual.size(), "frame count");
    for (int i = 0; i < expected.size(); i++) {
      Frame e = expected.get(i);
      Frame a = actual.get(i);
      assertEquals(e.offsetBytes(), a.offsetBytes(), "offset of frame " + i);
      assertEquals(e.writerId(), a.writerId());
      assertEquals(e.seq(), a.seq());
      assertArrayEquals(e.payload(), a.payload());
    }
  }
}
