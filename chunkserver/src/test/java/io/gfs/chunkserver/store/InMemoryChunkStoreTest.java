package io.gfs.chunkserver.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class InMemoryChunkStoreTest extends ChunkStoreContract {
  @Override
  AbstractChunkStore<?> newStore() {
    return new InMemoryChunkStore();
  }

  @Override
  void flipByte(long handle, long offset) throws IOException {
    ((InMemoryChunkStore) store).flipBits(handle, offset, 0x10);
  }

  @Test
  void aFullDiskFailsTheWriteAndTheChunkIsNoLongerTrusted() throws IOException {
    InMemoryChunkStore memory = (InMemoryChunkStore) store;
    memory.setCapacityBytes(store.usedBytes() + 1000);
    byte[] data = random(5000, 1);
    IOException e = assertThrows(IOException.class, () -> store.write(H, 0, data, 0, data.length, false));
    assertEquals(false, e instanceof ChecksumMismatchException);
    assertThrows(ChecksumMismatchException.class, () -> store.read(H, 0, 1));
  }
}
