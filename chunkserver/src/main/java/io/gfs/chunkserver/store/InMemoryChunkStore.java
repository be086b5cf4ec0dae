package io.gfs.chunkserver.store;

import io.gfs.chunkserver.store.BlockChecksums.ChangedBlocks;
import io.gfs.common.Check;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A chunk store in memory, for tests and simulation, with hooks to inject the faults real disks have: flipped bits
 * (caught by the CRCs on the next read) and a full disk. It runs the same checksum rules as {@link FileChunkStore}.
 */
public final class InMemoryChunkStore extends AbstractChunkStore<InMemoryChunkStore.Memory> {
  private volatile long capacityBytes = Long.MAX_VALUE;

  /** One chunk's bytes. Guarded by the chunk's lock, except for the fault hooks, which are deliberately racy. */
  static final class Memory implements BlockChecksums.Bytes {
    private byte[] bytes = new byte[0];
    private long lengthBytes;

    @Override
    public void read(long positionBytes, byte[] target, int targetOffset, int lengthBytesWanted) {
      Check.state(positionBytes + lengthBytesWanted <= lengthBytes, "read past the end %s", lengthBytes);
      System.arraycopy(bytes, (int) positionBytes, target, targetOffset, lengthBytesWanted);
    }

    @Override
    public void write(long positionBytes, byte[] source, int sourceOffset, int lengthBytesGiven) {
      long end = positionBytes + lengthBytesGiven;
      if (end > bytes.length) {
        bytes = Arrays.copyOf(bytes, (int) Math.max(end, Math.min(Integer.MAX_VALUE - 8, 2L * bytes.length)));
      }
      System.arraycopy(source, sourceOffset, bytes, (int) positionBytes, lengthBytesGiven);
      lengthBytes = Math.max(lengthBytes, end);
    }
  }

  @Override
  List<Found<Memory>> scan() {
    return new ArrayList<>();
  }

  @Override
  Memory createMedium(long handle, long version) {
    return new Memory();
  }

  @Override
  void persistVersion(Chunk<Memory> chunk, long version) {
    // Memory is "durable" at once.
  }

  @Override
  <T> T withBytes(Chunk<Memory> chunk, boolean write, boolean sync, BytesOperation<T> operation) throws IOException {
    if (!write) {
      return operation.apply(chunk.medium);
    }
    long available = availableBytes();
    return operation.apply(new BlockChecksums.Bytes() {
      @Override
      public void read(long positionBytes, byte[] target, int targetOffset, int lengthBytes) {
        chunk.medium.read(positionBytes, target, targetOffset, lengthBytes);
      }

      @Override
      public void write(long positionBytes, byte[] source, int sourceOffset, int lengthBytes) throws IOException {
        long growth = Math.max(0, positionBytes + lengthBytes - chunk.medium.lengthBytes);
        if (growth > available) {
          throw new IOException("disk full: " + growth + " more bytes wanted, " + available + " available");
        }
        chunk.medium.write(positionBytes, source, sourceOffset, lengthBytes);
      }
    });
  }

  @Override
  void persistChecksums(Chunk<Memory> chunk, ChangedBlocks changed, boolean sync) {
    // The CRCs live in the chunk's BlockChecksums already.
  }

  @Override
  void deleteMedium(Chunk<Memory> chunk) {
    chunk.medium.bytes = new byte[0];
  }

  @Override
  Memory createStaging(long handle, long version) {
    return new Memory();
  }

  @Override
  Memory publish(long handle, Memory staging) {
    return staging;
  }

  @Override
  void discardStaging(Memory staging) {
    staging.bytes = new byte[0];
  }

  @Override
  public long availableBytes() {
    return Math.max(0, capacityBytes - usedBytes());
  }

  /** Pretends the disk holds this many bytes in all; writes that would exceed it fail like a full disk. */
  public void setCapacityBytes(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  /** Flips the bits of {@code mask} in the stored byte at {@code offsetBytes}, behind the checksums' back. */
  public void flipBits(long handle, long offsetBytes, int mask) throws IOException {
    Memory memory = chunk(handle).medium;
    Check.argument(offsetBytes >= 0 && offsetBytes < memory.lengthBytes, "offset %s outside the chunk's %s bytes",
        offsetBytes, memory.lengthBytes);
    memory.bytes[(int) offsetBytes] ^= (byte) mask;
  }

  /** The raw stored bytes, unverified; for tests comparing replicas. */
  public byte[] rawBytes(long handle) throws IOException {
    Memory memory = chunk(handle).medium;
    return Arrays.copyOf(memory.bytes, (int) memory.lengthBytes);
  }

  @Override
  public void close() {
    // Nothing to release.
  }
}
