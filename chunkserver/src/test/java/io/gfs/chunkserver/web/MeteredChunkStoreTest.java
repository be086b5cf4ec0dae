package io.gfs.chunkserver.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.chunkserver.store.ChecksumMismatchException;
import io.gfs.chunkserver.store.InMemoryChunkStore;
import io.gfs.chunkserver.store.NoSuchChunkException;
import org.junit.jupiter.api.Test;

/** The meters on the chunkserver's store (issue 8): bytes, checksum failures and errors, nothing else changed. */
class MeteredChunkStoreTest {
  private final InMemoryChunkStore disk = new InMemoryChunkStore();
  private final MeteredChunkStore store = new MeteredChunkStore(disk);

  @org.junit.jupiter.api.BeforeEach
  void load() throws Exception {
    assertEquals(0, store.load().size());
  }

  @Test
  void countsBytesWrittenAndRead() throws Exception {
    store.create(1, 1);
    store.write(1, 0, new byte[100_000], 0, 70_000, false);
    store.padTo(1, 80_000, false);
    assertEquals(70_000, store.writtenBytes(), "padding is not written data");
    assertEquals(1000, store.read(1, 69_500, 1000).length);
    assertEquals(10, store.read(1, 79_990, 100).length, "what the read returned, not what it asked for");
    assertEquals(1010, store.readBytes());
    assertEquals(0, store.checksumFailures());
  }

  @Test
  void countsAndKeepsChecksumFailuresButNotAbsentChunks() throws Exception {
    store.create(2, 1);
    store.write(2, 0, new byte[4096], 0, 4096, false);
    disk.flipBits(2, 10, 0x01);
    assertThrows(ChecksumMismatchException.class, () -> store.read(2, 0, 100));
    assertThrows(ChecksumMismatchException.class, () -> store.verify(2, 0, 4096, null));
    assertThrows(NoSuchChunkException.class, () -> store.read(3, 0, 10));
    assertEquals(2, store.checksumFailures());
    assertEquals(0, store.ioErrors(), "an absent chunk is an answer, not a disk error");
    assertEquals(2, store.recentErrors().size());
    assertEquals("read", store.recentErrors().get(0).operation());
    assertEquals(2, store.recentErrors().get(1).handle());
    assertTrue(store.unmetered() == disk);
  }

  @Test
  void keepsOnlyTheLatestErrors() throws Exception {
    store.create(4, 1);
    store.write(4, 0, new byte[10], 0, 10, false);
    disk.flipBits(4, 0, 0x80);
    for (int i = 0; i < MeteredChunkStore.RECENT_ERRORS_MAX + 5; i++) {
      assertThrows(ChecksumMismatchException.class, () -> store.read(4, 0, 10));
    }
    assertEquals(MeteredChunkStore.RECENT_ERRORS_MAX, store.recentErrors().size());
    assertEquals(MeteredChunkStore.RECENT_ERRORS_MAX + 5, store.checksumFailures());
  }
}
