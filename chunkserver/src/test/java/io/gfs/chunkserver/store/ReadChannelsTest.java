package io.gfs.chunkserver.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadChannelsTest {
  @TempDir
  Path dir;

  private Path file(long handle) throws IOException {
    Path file = dir.resolve(handle + ".chunk");
    if (!Files.exists(file)) {
      Files.write(file, new byte[] {(byte) handle});
    }
    return file;
  }

  @Test
  void aChunkReadAgainReusesItsChannel() throws IOException {
    Object chunk = new Object();
    try (ReadChannels channels = new ReadChannels(4)) {
      ReadChannels.Entry first = channels.acquire(1, chunk, file(1));
      channels.release(first);
      for (int i = 0; i < 10; i++) {
        ReadChannels.Entry again = channels.acquire(1, chunk, file(1));
        assertSame(first.channel(), again.channel());
        channels.release(again);
      }
      assertEquals(1, channels.openedCount());
      assertEquals(1, channels.openCount());
    }
  }

  @Test
  void atMostTheMaxAreKeptTheLeastRecentlyUsedClosedFirst() throws IOException {
    try (ReadChannels channels = new ReadChannels(3)) {
      List<Object> chunks = new ArrayList<>();
      List<FileChannel> opened = new ArrayList<>();
      for (long handle = 0; handle < 10; handle++) {
        chunks.add(new Object());
        ReadChannels.Entry entry = channels.acquire(handle, chunks.get((int) handle), file(handle));
        opened.add(entry.channel());
        channels.release(entry);
        assertTrue(channels.keptCount() <= 3, channels.keptCount() + " kept");
        assertEquals(channels.keptCount(), channels.openCount(), "every channel not kept is closed");
        if (handle == 2) {
          channels.release(channels.acquire(0, chunks.get(0), file(0))); // 0 is now used more recently than 1
        }
        if (handle == 3) {
          assertTrue(opened.get(0).isOpen(), "the recently read chunk 0 is kept");
          assertFalse(opened.get(1).isOpen(), "the least recently used, chunk 1, went first");
        }
      }
      assertEquals(3, channels.keptCount());
      for (int handle = 0; handle < 7; handle++) {
        assertFalse(opened.get(handle).isOpen(), "channel of chunk " + handle + " closed");
      }
      for (int handle = 7; handle < 10; handle++) {
        assertTrue(opened.get(handle).isOpen(), "channel of chunk " + handle + " kept");
      }
      assertEquals(10, channels.openedCount(), "chunk 0's second read reused its channel");
    }
  }

  @Test
  void aChannelEvictedWhileBeingReadStaysOpenUntilItsReaderIsDone() throws IOException {
    try (ReadChannels channels = new ReadChannels(1)) {
      ReadChannels.Entry reading = channels.acquire(1, new Object(), file(1));
      channels.release(channels.acquire(2, new Object(), file(2))); // evicts chunk 1's channel
      assertEquals(1, channels.keptCount());
      assertTrue(reading.channel().isOpen(), "an eviction never closes a channel under a read");
      assertEquals(2, channels.openCount());
      channels.release(reading);
      assertFalse(reading.channel().isOpen());
      assertEquals(1, channels.openCount());
    }
  }

  @Test
  void aNewChunkUnderTheSameHandleNeverGetsTheOldOnesChannel() throws IOException {
    try (ReadChannels channels = new ReadChannels(4)) {
      Path oldFile = file(5);
      ReadChannels.Entry old = channels.acquire(5, new Object(), oldFile);
      channels.release(old);
      Files.delete(oldFile); // as a delete and re-create would, without telling the channels
      Path newFile = file(5);
      ReadChannels.Entry fresh = channels.acquire(5, new Object(), newFile);
      assertNotSame(old.channel(), fresh.channel());
      assertFalse(old.channel().isOpen(), "the old chunk's channel is closed once it is replaced");
      assertEquals(1, fresh.channel().size());
      channels.release(fresh);
      assertEquals(1, channels.openCount());
    }
  }

  @Test
  void forgettingAChunkClosesItsChannelButNotAnotherChunksUnderTheSameHandle() throws IOException {
    try (ReadChannels channels = new ReadChannels(4)) {
      Object deleted = new Object();
      ReadChannels.Entry entry = channels.acquire(3, deleted, file(3));
      channels.release(entry);
      channels.forget(3, new Object()); // another chunk object: not its channel
      assertTrue(entry.channel().isOpen());
      channels.forget(3, deleted);
      assertFalse(entry.channel().isOpen());
      assertEquals(0, channels.keptCount());
      assertEquals(0, channels.openCount());
    }
  }

  @Test
  void closingClosesEveryChannelAndLaterReadsKeepNone() throws IOException {
    try (ReadChannels channels = new ReadChannels(8)) {
      List<FileChannel> opened = new ArrayList<>();
      for (long handle = 0; handle < 3; handle++) {
        ReadChannels.Entry entry = channels.acquire(handle, new Object(), file(handle));
        opened.add(entry.channel());
        channels.release(entry);
      }
      ReadChannels.Entry reading = channels.acquire(9, new Object(), file(9));
      channels.close();
      for (FileChannel channel : opened) {
        assertFalse(channel.isOpen());
      }
      assertTrue(reading.channel().isOpen(), "closed when its reader is done");
      channels.release(reading);
      assertFalse(reading.channel().isOpen());
      ReadChannels.Entry late = channels.acquire(1, new Object(), file(1));
      assertTrue(late.channel().isOpen());
      channels.release(late);
      assertFalse(late.channel().isOpen(), "a read after close opens and closes its own channel");
      assertEquals(0, channels.keptCount());
      assertEquals(0, channels.openCount());
    }
  }

  @Test
  void aChannelClosedUnderItsReadersIsReplacedAndAMissingFileIsReported() throws IOException {
    try (ReadChannels channels = new ReadChannels(4)) {
      Object chunk = new Object();
      ReadChannels.Entry entry = channels.acquire(1, chunk, file(1));
      channels.release(entry);
      entry.channel().close(); // what an interrupted reader does to a shared FileChannel
      ReadChannels.Entry again = channels.acquire(1, chunk, file(1));
      assertTrue(again.channel().isOpen());
      assertNotSame(entry.channel(), again.channel());
      channels.release(again);
      assertEquals(1, channels.openCount());
      assertThrows(NoSuchFileException.class, () -> channels.acquire(2, new Object(), dir.resolve("absent")));
      assertEquals(1, channels.openCount());
    }
  }
}
