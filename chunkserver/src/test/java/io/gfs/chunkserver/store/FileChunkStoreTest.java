package io.gfs.chunkserver.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChunkStoreTest extends ChunkStoreContract {
  @TempDir
  Path dir;

  @Override
  AbstractChunkStore<?> newStore() throws IOException {
    return new FileChunkStore(List.of(dir.resolve("d0"), dir.resolve("d1")));
  }

  @Override
  void flipByte(long handle, long offset) throws IOException {
    flip(((FileChunkStore) store).dataFile(handle), offset);
  }

  static void flip(Path file, long offset) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0x01);
    }
  }

  private Map<Long, StoredChunk> reopen() throws IOException {
    store.close();
    store = newStore();
    Map<Long, StoredChunk> out = new TreeMap<>();
    for (StoredChunk chunk : store.load()) {
      out.put(chunk.handle(), chunk);
    }
    return out;
  }

  @Test
  void chunksVersionsAndChecksumsSurviveARestart() throws IOException {
    byte[] data = random(3 * BLOCK + 77, 1);
    store.write(H, 0, data, 0, data.length, true);
    store.setVersion(H, 5);
    store.create(8, 2);
    int[] crcs = store.checksums(H);
    Map<Long, StoredChunk> loaded = reopen();
    assertEquals(new StoredChunk(H, 5, data.length, null), loaded.get(H));
    assertEquals(new StoredChunk(8, 2, 0, null), loaded.get(8L));
    assertArrayEquals(crcs, store.checksums(H));
    assertArrayEquals(data, store.read(H, 0, data.length));
  }

  @Test
  void newChunksAreSpreadOverTheDataDirectories() throws IOException {
    for (long handle = 100; handle < 104; handle++) {
      store.create(handle, 1);
    }
    try (var d0 = Files.list(dir.resolve("d0")); var d1 = Files.list(dir.resolve("d1"))) {
      long inD0 = d0.filter(p -> p.toString().endsWith(".chunk")).count();
      long inD1 = d1.filter(p -> p.toString().endsWith(".chunk")).count();
      assertEquals(5, inD0 + inD1);
      assertTrue(inD0 >= 2 && inD1 >= 2, inD0 + " / " + inD1);
    }
  }

  @Test
  void badFilesAreReportedAsCorruptChunksNeverAsAFailedStart() throws IOException {
    byte[] data = random(2 * BLOCK, 2);
    store.write(H, 0, data, 0, data.length, true);
    store.create(20, 1);
    store.create(21, 1);
    store.create(22, 1);
    store.create(23, 3);
    store.write(23, 0, data, 0, 100, true);
    Path d = ((FileChunkStore) store).dataFile(20).getParent();
    Files.write(((FileChunkStore) store).dataFile(20).resolveSibling("20.meta"), new byte[] {1, 2, 3});
    Files.delete(((FileChunkStore) store).dataFile(21).resolveSibling("21.meta"));
    Files.delete(((FileChunkStore) store).dataFile(22));
    // Data grew behind the meta's back: CRC count and length disagree.
    Files.write(((FileChunkStore) store).dataFile(23), random(BLOCK + 5, 3));
    Files.writeString(d.resolve("notes.txt"), "not a chunk");
    Files.writeString(d.resolve("99999999999999999999999.chunk"), "handle out of range");
    Map<Long, StoredChunk> loaded = reopen();
    assertNull(loaded.get(H).corruptReason());
    for (long bad : new long[] {20, 21, 22, 23}) {
      assertTrue(loaded.get(bad).corrupt(), "chunk " + bad + " should be corrupt: " + loaded.get(bad));
      assertThrows(ChecksumMismatchException.class, () -> store.read(bad, 0, 1));
      assertThrows(ChecksumMismatchException.class, () -> store.chunkCrc(bad));
      store.delete(bad);
    }
    assertEquals(5, loaded.size());
    assertArrayEquals(data, store.read(H, 0, data.length));
  }

  @Test
  void aCommittedCopySurvivesARestartAndAnUnfinishedOneLeavesNoTrace() throws IOException {
    byte[] data = random(2 * BLOCK + 10, 60);
    try (ChunkBuilder builder = store.build(40, 3)) {
      builder.append(data, 0, data.length);
      builder.commit();
    }
    ChunkBuilder unfinished = store.build(41, 1); // a crash in the middle of a copy: never committed nor closed
    unfinished.append(data, 0, 1000);
    Map<Long, StoredChunk> loaded = reopen();
    assertEquals(new StoredChunk(40, 3, data.length, null), loaded.get(40L));
    assertArrayEquals(data, store.read(40, 0, data.length));
    assertNull(loaded.get(41L));
    try (var d0 = Files.list(dir.resolve("d0")); var d1 = Files.list(dir.resolve("d1"))) {
      assertEquals(List.of(), java.util.stream.Stream.concat(d0, d1)
          .filter(p -> p.getFileName().toString().contains("41")).toList(), "the staging files were removed");
    }
  }

  private Path meta(long handle) throws IOException {
    return ((FileChunkStore) store).dataFile(handle).resolveSibling(handle + ".meta");
  }

  /**
   * Writes {@code first}, then appends {@code more}, then puts back the first {@code metaBytesRestored} bytes of the
   * meta file as they were before the append: the files a crash at that point of the append leaves behind.
   */
  private void tornAppend(byte[] first, byte[] more, int metaBytesRestored) throws IOException {
    store.write(H, 0, first, 0, first.length, true);
    byte[] before = Files.readAllBytes(meta(H));
    store.write(H, first.length, more, 0, more.length, false);
    byte[] after = Files.readAllBytes(meta(H));
    int restored = Math.min(metaBytesRestored, before.length);
    System.arraycopy(before, 0, after, 0, restored);
    Files.write(meta(H), metaBytesRestored >= before.length ? before : after);
  }

  @Test
  void bytesACrashLeftWithoutTheirChecksumsAreCutOffAtLoad() throws IOException {
    for (int firstLength : new int[] {100_000, 2 * BLOCK}) { // ending mid block, and on a block boundary
      byte[] first = random(firstLength, 70);
      tornAppend(first, random(3 * BLOCK, 71), Integer.MAX_VALUE); // the crash came before any meta write
      StoredChunk loaded = reopen().get(H);
      assertEquals(new StoredChunk(H, 1, firstLength, null), loaded);
      assertEquals(firstLength, Files.size(((FileChunkStore) store).dataFile(H)), "the tail was cut from the file");
      assertArrayEquals(first, store.read(H, 0, firstLength));
      // The chunk goes on as if the torn append never happened, across another restart.
      byte[] next = random(5000, 72);
      store.write(H, firstLength, next, 0, next.length, true);
      reopen();
      assertArrayEquals(next, store.read(H, firstLength, next.length));
      store.delete(H);
      store.create(H, 1);
    }
  }

  @Test
  void anAppendWhoseChecksumsButNotLengthWereWrittenRollsForward() throws Exception {
    byte[] first = random(100_000, 73);
    byte[] more = random(2 * BLOCK + 11, 74);
    tornAppend(first, more, ChunkMetaFormat.HEADER_BYTES); // CRCs written, the length in the header not yet
    assertEquals(100_000, ChunkMetaFormat.decode(Files.readAllBytes(meta(H))).lengthBytes());
    StoredChunk loaded = reopen().get(H);
    assertEquals(new StoredChunk(H, 1, first.length + more.length, null), loaded);
    byte[] all = new byte[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    assertArrayEquals(all, store.read(H, 0, all.length));
    assertEquals(all.length, ChunkMetaFormat.decode(Files.readAllBytes(meta(H))).lengthBytes(), "recorded now");
  }

  @Test
  void aTornTailThatMatchesNeitherLengthAndLostBytesAreCorrupt() throws IOException {
    tornAppend(random(100_000, 75), random(50_000, 76), ChunkMetaFormat.HEADER_BYTES);
    flip(((FileChunkStore) store).dataFile(H), 120_000); // the new bytes are not what the CRCs say
    assertTrue(reopen().get(H).corrupt());
    store.delete(H);
    store.create(H, 1);
    byte[] data = random(100_000, 77);
    store.write(H, 0, data, 0, data.length, true);
    try (RandomAccessFile raf = new RandomAccessFile(((FileChunkStore) store).dataFile(H).toFile(), "rw")) {
      raf.setLength(90_000); // bytes the CRCs vouch for are gone
    }
    assertTrue(reopen().get(H).corrupt());
  }

  @Test
  void aFormatOneMetaFileIsReadAndRewrittenInTheCurrentFormat() throws Exception {
    byte[] data = random(BLOCK + 300, 78);
    store.write(H, 0, data, 0, data.length, true);
    store.setVersion(H, 6);
    int[] crcs = store.checksums(H);
    java.nio.ByteBuffer old = java.nio.ByteBuffer.allocate(20 + 4 * crcs.length);
    old.putInt(ChunkMetaFormat.MAGIC).putInt(1).putLong(6);
    old.putInt(io.gfs.common.Crc32c.of(old.array(), 0, 16));
    for (int crc : crcs) {
      old.putInt(crc);
    }
    Files.write(meta(H), old.array());
    assertEquals(new StoredChunk(H, 6, data.length, null), reopen().get(H));
    assertArrayEquals(data, store.read(H, 0, data.length));
    ChunkMetaFormat.Meta upgraded = ChunkMetaFormat.decode(Files.readAllBytes(meta(H)));
    assertEquals(ChunkMetaFormat.FORMAT_VERSION, upgraded.format());
    assertEquals(data.length, upgraded.lengthBytes());
    assertArrayEquals(crcs, upgraded.crcs());
  }

  @Test
  void aGarbageHeaderIsCaughtByItsCrc() throws IOException {
    Path meta = ((FileChunkStore) store).dataFile(H).resolveSibling(H + ".meta");
    flip(meta, 9); // inside the version field
    assertTrue(reopen().get(H).corrupt());
  }

  @Test
  void aFlippedByteSurvivesARestartAsACorruptBlock() throws IOException {
    byte[] data = random(2 * BLOCK, 4);
    store.write(H, 0, data, 0, data.length, true);
    flipByte(H, 5);
    assertNull(reopen().get(H).corruptReason()); // the files are consistent; the damage is in the bytes
    assertThrows(ChecksumMismatchException.class, () -> store.read(H, 0, 10));
    assertArrayEquals(java.util.Arrays.copyOfRange(data, BLOCK, 2 * BLOCK), store.read(H, BLOCK, BLOCK));
  }

  @Test
  void readsKeepAtMostTheMaxChunkFilesOpenAndReuseThem() throws IOException {
    FileChunkStore small = new FileChunkStore(List.of(dir.resolve("small")), 4);
    try {
      small.load();
      for (long handle = 0; handle < 12; handle++) {
        small.create(handle, 1);
        byte[] data = random(BLOCK + 100, 80 + handle);
        small.write(handle, 0, data, 0, data.length, false);
        for (int i = 0; i < 3; i++) {
          assertArrayEquals(java.util.Arrays.copyOfRange(data, 4096, 8192), small.read(handle, 4096, 4096));
          assertTrue(small.readChannels().keptCount() <= 4, small.readChannels().keptCount() + " kept");
          assertTrue(small.readChannels().openCount() <= 4, small.readChannels().openCount() + " open");
        }
      }
      assertEquals(12, small.readChannels().openedCount(), "each chunk's file opened once for its three reads");
      small.verify(3); // the scrubber's whole-chunk pass opens its own channel, it does not push reads' out
      assertEquals(12, small.readChannels().openedCount());
    } finally {
      small.close();
    }
    assertEquals(0, small.readChannels().openCount(), "closing the store closed every read channel");
  }

  @Test
  void closingTheStoreClosesItsReadChannels() throws IOException {
    byte[] data = random(100, 81);
    store.write(H, 0, data, 0, data.length, false);
    store.create(9, 1);
    store.write(9, 0, data, 0, data.length, false);
    assertArrayEquals(data, store.read(H, 0, 100));
    assertArrayEquals(data, store.read(9, 0, 100));
    ReadChannels channels = ((FileChunkStore) store).readChannels();
    assertEquals(2, channels.openCount());
    store.close();
    assertEquals(0, channels.openCount());
    assertEquals(0, channels.keptCount());
  }

  @Test
  void aDeletedChunkClosesItsReadChannelSoItsSpaceIsFreed() throws IOException {
    byte[] data = random(2 * BLOCK, 82);
    store.write(H, 0, data, 0, data.length, false);
    assertArrayEquals(data, store.read(H, 0, data.length));
    ReadChannels channels = ((FileChunkStore) store).readChannels();
    assertEquals(1, channels.openCount());
    store.delete(H);
    assertEquals(0, channels.openCount(), "an open descriptor would keep the deleted file's bytes on disk");
  }

  /**
   * A chunk file removed behind the store's back (by an operator) while reads keep its channel open: once the
   * scrubber's pass finds it gone, reads fail too (the replica is reported corrupt, clients go to another one) instead
   * of being served from the unlinked file until its channel is evicted, and the descriptor is closed.
   */
  @Test
  void aChunkFileRemovedBehindTheStoreStopsServingReadsOnceTheScrubberFindsItGone() throws IOException {
    byte[] data = random(2 * BLOCK, 84);
    store.write(H, 0, data, 0, data.length, false);
    assertArrayEquals(data, store.read(H, 0, data.length)); // the chunk's channel is kept now
    ReadChannels channels = ((FileChunkStore) store).readChannels();
    Files.delete(((FileChunkStore) store).dataFile(H));
    assertArrayEquals(data, store.read(H, 0, data.length), "until then, served from the kept channel (no stat per read)");
    assertThrows(ChecksumMismatchException.class, () -> store.verify(H, 0, BLOCK, new byte[BLOCK]));
    assertEquals(0, channels.openCount(), "the unlinked file's descriptor is closed");
    assertThrows(ChecksumMismatchException.class, () -> store.read(H, 0, 10), "no longer served");
    assertEquals(0, channels.openCount());
  }

  @Test
  void aReadInterruptedOnItsThreadDoesNotBreakTheReadsAfterIt() throws IOException {
    byte[] data = random(BLOCK, 83);
    store.write(H, 0, data, 0, data.length, false);
    assertArrayEquals(data, store.read(H, 0, data.length)); // the chunk's channel is kept now
    Thread.currentThread().interrupt(); // an interrupted reader closes the FileChannel it reads, for everyone
    try {
      assertThrows(java.nio.channels.ClosedByInterruptException.class, () -> store.read(H, 0, 10));
    } finally {
      Thread.interrupted();
    }
    assertArrayEquals(data, store.read(H, 0, data.length));
    assertEquals(1, ((FileChunkStore) store).readChannels().openCount());
  }

  @Test
  void aWriteLargerThanOneSliceLandsWholeAndInPlace() throws IOException {
    int length = 3 * FileChunkStore.WRITE_SLICE_BYTES + 12_345;
    byte[] data = random(length, 41);
    byte[] framed = new byte[length + 10];
    System.arraycopy(data, 0, framed, 7, length);
    store.write(H, 0, data, 0, 1000, false);
    store.write(H, 1000, framed, 7, length, true);
    byte[] expected = new byte[1000 + length];
    System.arraycopy(data, 0, expected, 0, 1000);
    System.arraycopy(data, 0, expected, 1000, length);
    assertArrayEquals(expected, Files.readAllBytes(((FileChunkStore) store).dataFile(H)));
    assertArrayEquals(expected, store.read(H, 0, expected.length));

    Path file = dir.resolve("sliced");
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(framed, 7, length);
    try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.WRITE)) {
      FileChunkStore.writeFully(channel, buffer, 5);
    }
    assertEquals(7 + length, buffer.limit());
    assertEquals(buffer.limit(), buffer.position());
    byte[] written = Files.readAllBytes(file);
    assertEquals(5 + length, written.length);
    assertArrayEquals(data, java.util.Arrays.copyOfRange(written, 5, written.length));
  }

  @Test
  void theServerIdIsGeneratedOnceAndKept() throws IOException {
    String id = ServerIdFile.loadOrCreate(dir, 0x1234L);
    assertEquals("cs-0000000000001234", id);
    assertEquals(id, ServerIdFile.loadOrCreate(dir, 0x9999L));
    Files.writeString(dir.resolve(ServerIdFile.FILE_NAME), "garbage");
    IOException e = assertThrows(IOException.class, () -> ServerIdFile.loadOrCreate(dir, 1));
    assertTrue(e.getMessage().contains("garbage"), e.getMessage());
    assertNotEquals(id, ServerIdFile.loadOrCreate(dir.resolve("d0"), 5));
  }
}
