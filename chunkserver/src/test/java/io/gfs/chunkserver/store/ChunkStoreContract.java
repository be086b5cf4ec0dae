package io.gfs.chunkserver.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gfs.common.Crc32c;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every ChunkStore must do, run against the file and the in-memory store alike. */
abstract class ChunkStoreContract {
  static final int BLOCK = BlockChecksums.BLOCK_BYTES;
  static final long H = 7;

  AbstractChunkStore<?> store;

  abstract AbstractChunkStore<?> newStore() throws IOException;

  /** Damages the stored byte at {@code offset} without the store noticing. */
  abstract void flipByte(long handle, long offset) throws IOException;

  @BeforeEach
  void open() throws IOException {
    store = newStore();
    store.load();
    store.create(H, 1);
  }

  @AfterEach
  void close() {
    store.close();
  }

  static byte[] random(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** The CRCs computed from scratch over the expected bytes; what the incremental updates must equal. */
  static int[] crcsFromScratch(byte[] content) {
    int[] crcs = new int[BlockChecksums.blockCount(content.length)];
    for (int block = 0; block < crcs.length; block++) {
      int from = block * BLOCK;
      crcs[block] = Crc32c.of(content, from, Math.min(BLOCK, content.length - from));
    }
    return crcs;
  }

  /** A reference copy of the chunk, mutated the way the store must mutate it. */
  static byte[] apply(byte[] content, long offset, byte[] data) {
    byte[] out = Arrays.copyOf(content, (int) Math.max(content.length, offset + data.length));
    System.arraycopy(data, 0, out, (int) offset, data.length);
    return out;
  }

  void assertHolds(byte[] expected) throws IOException {
    assertEquals(expected.length, store.lengthBytes(H));
    assertArrayEquals(crcsFromScratch(expected), store.checksums(H), "CRCs differ from a from-scratch computation");
    byte[] read = new byte[expected.length];
    for (int offset = 0; offset < expected.length; offset += 1 << 20) {
      byte[] piece = store.read(H, offset, 1 << 20);
      System.arraycopy(piece, 0, read, offset, piece.length);
    }
    assertArrayEquals(expected, read);
  }

  @Test
  void appendsOverwritesAndGapsKeepEveryCrcRight() throws IOException {
    Random random = new Random(11);
    byte[] expected = new byte[0];
    long[][] steps = {
        {0, 100}, {100, 5000}, {5100, BLOCK}, {BLOCK + 5100, 3 * BLOCK + 17}, // appends, partial and whole blocks
        {50, 10}, {BLOCK - 5, 10}, {0, BLOCK}, {BLOCK * 2 + 1, BLOCK * 2}, // overwrites inside and across blocks
        {4 * BLOCK + 5100, 300_000}, // overwrite running past the end
        {1_000_000, 12}, {2 * 1_000_000 + 3, BLOCK}, // gaps, zero-filled
    };
    int seed = 0;
    for (long[] step : steps) {
      byte[] data = random((int) step[1], seed++);
      store.write(H, step[0], data, 0, data.length, random.nextBoolean());
      byte[] before = expected;
      expected = apply(before, step[0], data);
      assertHolds(expected);
    }
  }

  @Test
  void randomWritesMatchAReferenceChunk() throws IOException {
    Random random = new Random(12);
    byte[] expected = new byte[0];
    for (int i = 0; i < 60; i++) {
      int length = 1 + random.nextInt(3 * BLOCK);
      long offset = random.nextInt(expected.length + BLOCK + 1);
      byte[] data = random(length, 100 + i);
      int sliceStart = random.nextInt(5);
      byte[] padded = new byte[sliceStart + length];
      System.arraycopy(data, 0, padded, sliceStart, length);
      store.write(H, offset, padded, sliceStart, length, false);
      expected = apply(expected, offset, data);
    }
    assertHolds(expected);
  }

  @Test
  void readsReturnTheRangeClippedToTheChunk() throws IOException {
    byte[] data = random(3 * BLOCK + 10, 3);
    store.write(H, 0, data, 0, data.length, false);
    assertArrayEquals(Arrays.copyOfRange(data, BLOCK - 3, BLOCK + 7), store.read(H, BLOCK - 3, 10));
    assertArrayEquals(Arrays.copyOfRange(data, data.length - 4, data.length), store.read(H, data.length - 4, 100));
    assertEquals(0, store.read(H, data.length, 10).length);
    assertEquals(0, store.read(H, data.length + 100_000, 10).length);
    assertThrows(NoSuchChunkException.class, () -> store.read(99, 0, 1));
  }

  @Test
  void readsIntoAReusedScratchGiveTheSameVerifiedBytes() throws IOException {
    byte[] data = random(5 * BLOCK + 10, 31);
    store.write(H, 0, data, 0, data.length, true);
    byte[] scratch = new byte[4 * BLOCK];
    // {offset, length, 1 if the blocks touched fit the scratch}: aligned, unaligned, clipped at the end, too big for
    // the scratch (a new array holds it), empty.
    long[][] ranges = {{0, 2 * BLOCK, 1}, {BLOCK - 3, 10, 1}, {3 * BLOCK + 1, 4 * BLOCK, 1}, {7, 5 * BLOCK, 0},
        {0, 0, 0}, {data.length, 10, 0}};
    for (long[] range : ranges) {
      java.nio.ByteBuffer view = store.read(H, range[0], (int) range[1], scratch);
      byte[] got = Arrays.copyOfRange(view.array(), view.position(), view.limit());
      assertArrayEquals(store.read(H, range[0], (int) range[1]), got, "range " + Arrays.toString(range));
      assertEquals(range[2] == 1, view.array() == scratch, "scratch used for range " + Arrays.toString(range));
    }
    flipByte(H, 2 * BLOCK + 5);
    byte[] before = scratch.clone();
    assertThrows(ChecksumMismatchException.class, () -> store.read(H, 0, 3 * BLOCK, scratch));
    assertThrows(ChecksumMismatchException.class, () -> store.read(H, 2 * BLOCK + 4, 1, new byte[BLOCK]));
    // The scratch may hold unverified bytes now, but no view of them was handed out; blocks around are still served.
    assertEquals(before.length, scratch.length);
    java.nio.ByteBuffer intact = store.read(H, 3 * BLOCK, BLOCK, scratch);
    assertArrayEquals(Arrays.copyOfRange(data, 3 * BLOCK, 4 * BLOCK),
        Arrays.copyOfRange(intact.array(), intact.position(), intact.limit()));
  }

  /**
   * Reads into a reused direct buffer (a chunkserver worker's, whose reply goes to the socket from it): the same
   * verified bytes as an ordinary read, as a view of that buffer when the blocks touched fit, and a flipped byte in any
   * block the range touches still refuses the read [0127].
   */
  @Test
  void readsIntoAReusedDirectBufferGiveTheSameVerifiedBytes() throws IOException {
    byte[] data = random(5 * BLOCK + 10, 37);
    store.write(H, 0, data, 0, data.length, true);
    java.nio.ByteBuffer scratch = java.nio.ByteBuffer.allocateDirect(4 * BLOCK);
    // {offset, length, 1 if the blocks touched fit the scratch}: aligned, unaligned, clipped at the end, too big for
    // the scratch (a new array holds it), empty.
    long[][] ranges = {{0, 2 * BLOCK, 1}, {BLOCK - 3, 10, 1}, {3 * BLOCK + 1, 4 * BLOCK, 1}, {7, 5 * BLOCK, 0},
        {0, 0, 0}, {data.length, 10, 0}, {BLOCK, 4 * BLOCK, 1}};
    for (long[] range : ranges) {
      java.nio.ByteBuffer view = store.read(H, range[0], (int) range[1], scratch);
      byte[] got = new byte[view.remaining()];
      view.duplicate().get(got);
      assertArrayEquals(store.read(H, range[0], (int) range[1]), got, "range " + Arrays.toString(range));
      assertEquals(range[2] == 1, view.isDirect(), "direct scratch used for range " + Arrays.toString(range));
    }
    flipByte(H, 2 * BLOCK + 5);
    assertThrows(ChecksumMismatchException.class, () -> store.read(H, 0, 3 * BLOCK, scratch));
    assertThrows(ChecksumMismatchException.class, () -> store.read(H, 2 * BLOCK + 4, 1, scratch));
    assertThrows(ChecksumMismatchException.class, () -> store.read(H, 2 * BLOCK - 1, 2, scratch));
    java.nio.ByteBuffer intact = store.read(H, 3 * BLOCK, BLOCK, scratch);
    byte[] got = new byte[intact.remaining()];
    intact.get(got);
    assertArrayEquals(Arrays.copyOfRange(data, 3 * BLOCK, 4 * BLOCK), got);
  }

  @Test
  void aFlippedByteIsDetectedOnReadAndNeverReturned() throws IOException {
    byte[] data = random(3 * BLOCK, 4);
    store.write(H, 0, data, 0, data.length, true);
    flipByte(H, BLOCK + 100);
    ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> store.read(H, BLOCK + 100, 1));
    assertEquals(H, e.handle());
    // Any read touching the bad block fails whole, even where the asked-for bytes are intact.
    assertThrows(ChecksumMismatchException.class, () -> store.read(H, 0, 2 * BLOCK));
    assertThrows(ChecksumMismatchException.class, () -> store.read(H, 2 * BLOCK - 1, 10));
    assertThrows(ChecksumMismatchException.class, () -> store.verify(H));
    // Blocks not touched are served.
    assertArrayEquals(Arrays.copyOfRange(data, 0, BLOCK), store.read(H, 0, BLOCK));
    assertArrayEquals(Arrays.copyOfRange(data, 2 * BLOCK, 3 * BLOCK), store.read(H, 2 * BLOCK, BLOCK));
  }

  @Test
  void anOverwriteAcrossACorruptBoundaryBlockIsRefusedAndChangesNothing() throws IOException {
    byte[] data = random(3 * BLOCK, 5);
    store.write(H, 0, data, 0, data.length, false);
    flipByte(H, 2 * BLOCK + 10);
    int[] crcsBefore = store.checksums(H);
    byte[] patch = random(BLOCK, 6);
    // Starts mid block 1 (intact) and ends mid block 2 (corrupt): refused before writing.
    assertThrows(ChecksumMismatchException.class, () -> store.write(H, BLOCK + 100, patch, 0, patch.length, false));
    assertArrayEquals(crcsBefore, store.checksums(H));
    assertArrayEquals(Arrays.copyOfRange(data, BLOCK, 2 * BLOCK), store.read(H, BLOCK, BLOCK));
    assertThrows(ChecksumMismatchException.class, () -> store.read(H, 2 * BLOCK, 1));
    // Overwriting the corrupt block whole is allowed: nothing of the old bytes survives to be blessed.
    byte[] whole = random(BLOCK, 7);
    store.write(H, 2 * BLOCK, whole, 0, BLOCK, false);
    assertArrayEquals(whole, store.read(H, 2 * BLOCK, BLOCK));
  }

  @Test
  void anAppendToACorruptPartialBlockLeavesItDetectablyCorrupt() throws IOException {
    byte[] data = random(BLOCK + 1000, 8);
    store.write(H, 0, data, 0, data.length, false);
    flipByte(H, BLOCK + 10);
    byte[] more = random(2 * BLOCK, 9);
    store.write(H, data.length, more, 0, more.length, false); // the append does not read the block back [0129]
    assertThrows(ChecksumMismatchException.class, () -> store.read(H, BLOCK, 1));
    assertArrayEquals(Arrays.copyOfRange(more, more.length - 100, more.length),
        store.read(H, data.length + more.length - 100, 100));
  }

  /** The data cut into pieces at the given offsets, as views of separate arrays (the push buffer's frames). */
  static List<ByteBuffer> pieces(byte[] data, int... cuts) {
    List<ByteBuffer> out = new ArrayList<>();
    for (int i = 0; i + 1 < cuts.length; i++) {
      byte[] frame = new byte[cuts[i + 1] - cuts[i] + 20];
      System.arraycopy(data, cuts[i], frame, 7, cuts[i + 1] - cuts[i]);
      out.add(ByteBuffer.wrap(frame, 7, cuts[i + 1] - cuts[i]).slice());
    }
    return out;
  }

  @Test
  void piecesWithTheirBlockCrcsWriteLikeOneArrayAlignedOrNot() throws IOException {
    byte[] content = random(BLOCK + 300, 20);
    store.write(H, 0, content, 0, content.length, false);
    for (long offset : new long[] {2 * BLOCK, 3 * BLOCK + 77, 100, 9 * BLOCK}) {
      byte[] data = random(3 * BLOCK + 5, offset);
      WriteBytes bytes = WriteBytes.of(pieces(data, 0, 10, BLOCK + 3, 2 * BLOCK, data.length), crcsFromScratch(data));
      store.write(H, offset, bytes, false);
      content = apply(content, offset, data);
      assertHolds(content);
    }
  }

  @Test
  void aBlockAlignedWriteTakesTheBlockCrcsItCarries() throws IOException {
    byte[] data = random(3 * BLOCK, 21);
    int[] carried = crcsFromScratch(data);
    carried[1] ^= 1; // as if block 1 had changed after its CRC was computed on arrival
    store.write(H, BLOCK, WriteBytes.of(pieces(data, 0, BLOCK, data.length), carried), false);
    assertArrayEquals(carried, Arrays.copyOfRange(store.checksums(H), 1, 4), "taken, not computed again");
    assertArrayEquals(Arrays.copyOfRange(data, 0, BLOCK), store.read(H, BLOCK, BLOCK));
    assertThrows(ChecksumMismatchException.class, () -> store.read(H, 2 * BLOCK, 1));
  }

  /** Records of these lengths, one right after another, each with its CRC32C (as checked on arrival). */
  static WriteBytes records(byte[] data, int[] recordCrcs, int... cuts) {
    for (int i = 0; i + 1 < cuts.length; i++) {
      recordCrcs[i] = Crc32c.of(data, cuts[i], cuts[i + 1] - cuts[i]);
    }
    return WriteBytes.ofRecords(pieces(data, cuts), recordCrcs);
  }

  @Test
  void runsOfRecordsWithTheirCrcsKeepEveryBlockCrcRightAlignedOrNot() throws IOException {
    byte[] content = new byte[0];
    // 64 KiB records at block boundaries (each block one record), then records that straddle or share blocks, a
    // record that is a whole block but not at a boundary, and a run that starts inside a partial block.
    int[][] runs = {{0, BLOCK, 2 * BLOCK}, {0, 100, BLOCK + 100, BLOCK + 300}, {0, BLOCK - 300, 2 * BLOCK - 300},
        {0, 300, 300 + BLOCK}, {0, BLOCK, BLOCK + 7, 3 * BLOCK}};
    long seed = 30;
    for (int[] cuts : runs) {
      byte[] data = random(cuts[cuts.length - 1], seed++);
      store.write(H, content.length, records(data, new int[cuts.length - 1], cuts), false);
      content = apply(content, content.length, data);
      assertHolds(content);
    }
    store.write(H, BLOCK, records(random(BLOCK, seed), new int[1], 0, BLOCK), false); // a whole block overwritten
    content = apply(content, BLOCK, random(BLOCK, seed));
    assertHolds(content);
  }

  @Test
  void aBlockThatIsExactlyOneRecordTakesTheRecordsCheckedCrc() throws IOException {
    byte[] data = random(3 * BLOCK, 40);
    int[] recordCrcs = new int[3];
    WriteBytes run = records(data, recordCrcs, 0, BLOCK, 2 * BLOCK, 3 * BLOCK);
    int[] fromScratch = crcsFromScratch(data);
    assertArrayEquals(fromScratch, recordCrcs, "a block-aligned 64 KiB record's CRC is its block's CRC");
    recordCrcs[1] ^= 1; // as if record 1 had changed after its CRC was checked on arrival
    store.write(H, 0, WriteBytes.ofRecords(pieces(data, 0, BLOCK, 2 * BLOCK, 3 * BLOCK), recordCrcs), false);
    assertArrayEquals(recordCrcs, store.checksums(H), "taken, not computed again");
    assertThrows(ChecksumMismatchException.class, () -> store.read(H, BLOCK, 1));
    assertArrayEquals(Arrays.copyOfRange(data, 2 * BLOCK, 3 * BLOCK), store.read(H, 2 * BLOCK, BLOCK));
    assertEquals(3 * BLOCK, run.lengthBytes());
  }

  @Test
  void aFlippedByteInABlockWrittenFromARecordsCrcIsDetected() throws IOException {
    byte[] data = random(3 * BLOCK, 41);
    store.write(H, 0, records(data, new int[3], 0, BLOCK, 2 * BLOCK, 3 * BLOCK), true);
    assertHolds(data);
    flipByte(H, BLOCK + 100);
    assertThrows(ChecksumMismatchException.class, () -> store.read(H, BLOCK + 100, 1));
    assertThrows(ChecksumMismatchException.class, () -> store.verify(H));
    assertArrayEquals(Arrays.copyOfRange(data, 0, BLOCK), store.read(H, 0, BLOCK));
  }

  @Test
  void paddingZeroFillsToTheGivenLength() throws IOException {
    byte[] data = random(1000, 10);
    store.write(H, 0, data, 0, data.length, false);
    store.padTo(H, 3 * BLOCK + 5, true);
    byte[] expected = Arrays.copyOf(data, 3 * BLOCK + 5);
    assertHolds(expected);
    store.padTo(H, 10, false); // never shrinks
    assertHolds(expected);
  }

  @Test
  void versionsOnlyGoForwardAndDeleteRemoves() throws IOException {
    store.setVersion(H, 4);
    assertEquals(4, store.version(H));
    assertThrows(IllegalArgumentException.class, () -> store.setVersion(H, 3));
    assertThrows(IOException.class, () -> store.create(H, 9));
    store.delete(H);
    assertThrows(NoSuchChunkException.class, () -> store.lengthBytes(H));
    store.delete(H);
    store.create(H, 1);
    assertEquals(0, store.lengthBytes(H));
  }

  @Test
  void aChunkDeletedAndCreatedAgainReadsOnlyItsNewBytes() throws IOException {
    byte[] old = random(2 * BLOCK, 52);
    store.write(H, 0, old, 0, old.length, false);
    assertArrayEquals(old, store.read(H, 0, old.length)); // read once, so a store may keep what it opened
    store.setVersion(H, 2); // a version bump changes no bytes
    assertArrayEquals(Arrays.copyOfRange(old, 100, 4196), store.read(H, 100, 4096));
    store.delete(H);
    store.create(H, 3);
    byte[] fresh = random(5000, 53);
    store.write(H, 0, fresh, 0, fresh.length, false);
    assertArrayEquals(fresh, store.read(H, 0, old.length), "the new chunk's bytes, clipped to its length");
    assertArrayEquals(Arrays.copyOfRange(fresh, 100, 4196), store.read(H, 100, 4096));
    try (ChunkBuilder builder = store.build(H, 4)) { // re-replication: a copy built aside replaces the chunk
      builder.append(old, 0, BLOCK + 7);
      builder.commit();
    }
    assertArrayEquals(Arrays.copyOf(old, BLOCK + 7), store.read(H, 0, old.length));
  }

  @Test
  void theWholeChunkCrcIsComposedFromTheBlockCrcs() throws IOException {
    assertEquals(new ChunkCrc(0, 0), store.chunkCrc(H), "an empty chunk has the CRC of no bytes");
    byte[] expected = new byte[0];
    long[][] steps = {{0, 1}, {1, BLOCK - 1}, {BLOCK, 3 * BLOCK + 5}, {100, 2 * BLOCK}, {6 * BLOCK + 7, 10}};
    int seed = 40;
    for (long[] step : steps) {
      byte[] data = random((int) step[1], seed++);
      store.write(H, step[0], data, 0, data.length, false);
      expected = apply(expected, step[0], data);
      assertEquals(new ChunkCrc(expected.length, Crc32c.of(expected, 0, expected.length)), store.chunkCrc(H),
          "after writing " + Arrays.toString(step));
    }
    store.padTo(H, 9 * BLOCK, false);
    expected = Arrays.copyOf(expected, 9 * BLOCK);
    assertEquals(new ChunkCrc(expected.length, Crc32c.of(expected, 0, expected.length)), store.chunkCrc(H));
    assertThrows(NoSuchChunkException.class, () -> store.chunkCrc(99));
  }

  @Test
  void aBuiltReplicaIsInvisibleUntilCommittedAndThenReplacesTheOldOne() throws IOException {
    byte[] old = random(5000, 50);
    store.write(H, 0, old, 0, old.length, false);
    byte[] data = random(3 * BLOCK + 999, 51);
    try (ChunkBuilder builder = store.build(H, 4)) {
      assertThrows(IOException.class, () -> store.build(H, 4), "one build of a handle at a time");
      for (int offset = 0; offset < data.length; offset += 70_000) {
        builder.append(data, offset, Math.min(70_000, data.length - offset));
      }
      assertEquals(new ChunkCrc(data.length, Crc32c.of(data, 0, data.length)), builder.chunkCrc());
      assertArrayEquals(old, store.read(H, 0, 10_000), "nothing visible before the commit");
      assertEquals(1, store.version(H));
      builder.commit();
    }
    assertEquals(4, store.version(H));
    assertHolds(data);
    // Closing without a commit leaves nothing behind; the handle can be built again.
    try (ChunkBuilder builder = store.build(30, 1)) {
      builder.append(data, 0, 100);
    }
    assertThrows(NoSuchChunkException.class, () -> store.lengthBytes(30));
    try (ChunkBuilder builder = store.build(30, 2)) {
      builder.commit(); // an empty chunk is a chunk too
    }
    assertEquals(0, store.lengthBytes(30));
    assertEquals(2, store.version(30));
  }

  @Test
  void usedBytesCountsDataAndChecksums() throws IOException {
    byte[] data = random(2 * BLOCK + 1, 11);
    store.write(H, 0, data, 0, data.length, false);
    assertEquals(data.length + ChunkMetaFormat.HEADER_BYTES + 3 * 4, store.usedBytes());
  }
}
