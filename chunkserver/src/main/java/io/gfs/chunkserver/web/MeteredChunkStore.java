package io.gfs.chunkserver.web;

import io.gfs.chunkserver.store.ChecksumMismatchException;
import io.gfs.chunkserver.store.ChunkBuilder;
import io.gfs.chunkserver.store.ChunkCrc;
import io.gfs.chunkserver.store.ChunkStore;
import io.gfs.chunkserver.store.NoSuchChunkException;
import io.gfs.chunkserver.store.StoredChunk;
import io.gfs.chunkserver.store.WriteBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chunkserver's store with meters on it (issue 8): bytes read and written, checksum failures (reads, scrubber
 * verifications and overwrites alike [0127, 0131]) and disk errors, and the latest of those errors for the status
 * page. Everything else passes straight through; nothing is decided here.
 */
public final class MeteredChunkStore implements ChunkStore {
  /** Errors kept for the page. */
  static final int RECENT_ERRORS_MAX = 50;

  /** A store operation that failed: when, on which chunk, and what it said. */
  public record StoreError(long timeMillis, String operation, long handle, String message) {}

  private final ChunkStore store;
  private final AtomicLong readBytes = new AtomicLong();
  private final AtomicLong writtenBytes = new AtomicLong();
  private final AtomicLong checksumFailures = new AtomicLong();
  private final AtomicLong ioErrors = new AtomicLong();
  private final Deque<StoreError> recentErrors = new ArrayDeque<>();

  public MeteredChunkStore(ChunkStore store) {
    this.store = store;
  }

  @Override
  public List<StoredChunk> load() throws IOException {
    return store.load();
  }

  @Override
  public void create(long handle, long version) throws IOException {
    metered("create", handle, () -> store.create(handle, version));
  }

  @Override
  public void setVersion(long handle, long version) throws IOException {
    metered("setVersion", handle, () -> store.setVersion(handle, version));
  }

  @Override
  public long lengthBytes(long handle) throws IOException {
    return store.lengthBytes(handle);
  }

  @Override
  public byte[] read(long handle, long offsetBytes, int lengthBytes) throws IOException {
    byte[][] out = new byte[1][];
    metered("read", handle, () -> out[0] = store.read(handle, offsetBytes, lengthBytes));
    readBytes.addAndGet(out[0].length);
    return out[0];
  }

  @Override
  public ByteBuffer read(long handle, long offsetBytes, int lengthBytes, byte[] scratch) throws IOException {
    ByteBuffer[] out = new ByteBuffer[1];
    metered("read", handle, () -> out[0] = store.read(handle, offsetBytes, lengthBytes, scratch));
    readBytes.addAndGet(out[0].remaining());
    return out[0];
  }

  @Override
  public ByteBuffer read(long handle, long offsetBytes, int lengthBytes, ByteBuffer scratch) throws IOException {
    ByteBuffer[] out = new ByteBuffer[1];
    metered("read", handle, () -> out[0] = store.read(handle, offsetBytes, lengthBytes, scratch));
    readBytes.addAndGet(out[0].remaining());
    return out[0];
  }

  @Override
  public void write(long handle, long offsetBytes, WriteBytes data, boolean sync) throws IOException {
    metered("write", handle, () -> store.write(handle, offsetBytes, data, sync));
    writtenBytes.addAndGet(data.lengthBytes());
  }

  @Override
  public void padTo(long handle, long lengthBytes, boolean sync) throws IOException {
    metered("padTo", handle, () -> store.padTo(handle, lengthBytes, sync));
  }

  @Override
  public ChunkCrc chunkCrc(long handle) throws IOException {
    ChunkCrc[] out = new ChunkCrc[1];
    metered("chunkCrc", handle, () -> out[0] = store.chunkCrc(handle));
    return out[0];
  }

  @Override
  public void verify(long handle) throws IOException {
    metered("verify", handle, () -> store.verify(handle));
  }

  @Override
  public void verify(long handle, long offsetBytes, int lengthBytes, byte[] scratch) throws IOException {
    metered("verify", handle, () -> store.verify(handle, offsetBytes, lengthBytes, scratch));
  }

  @Override
  public ChunkBuilder build(long handle, long version) throws IOException {
    return store.build(handle, version);
  }

  @Override
  public void delete(long handle) throws IOException {
    metered("delete", handle, () -> store.delete(handle));
  }

  @Override
  public long usedBytes() {
    return store.usedBytes();
  }

  @Override
  public long availableBytes() throws IOException {
    return store.availableBytes();
  }

  @Override
  public void close() {
    store.close();
  }

  /** The store underneath (tests reach its files). */
  public ChunkStore unmetered() {
    return store;
  }

  public long readBytes() {
    return readBytes.get();
  }

  public long writtenBytes() {
    return writtenBytes.get();
  }

  public long checksumFailures() {
    return checksumFailures.get();
  }

  /** Failures other than checksum mismatches and absent chunks: the disk or the file system refused. */
  public long ioErrors() {
    return ioErrors.get();
  }

  /** The latest errors, oldest first. */
  public List<StoreError> recentErrors() {
    synchronized (recentErrors) {
      return new ArrayList<>(recentErrors);
    }
  }

  private interface Operation {
    void run() throws IOException;
  }

  private void metered(String operation, long handle, Operation op) throws IOException {
    try {
      op.run();
    } catch (ChecksumMismatchException e) {
      checksumFailures.incrementAndGet();
      remember(operation, handle, e);
      throw e;
    } catch (NoSuchChunkException e) {
      throw e; // an answer (UNKNOWN_CHUNK), not a fault
    } catch (IOException e) {
      ioErrors.incrementAndGet();
      remember(operation, handle, e);
      throw e;
    }
  }

  private void remember(String operation, long handle, IOException e) {
    synchronized (recentErrors) {
      recentErrors.addLast(new StoreError(System.currentTimeMillis(), operation, handle, e.toString()));
      while (recentErrors.size() > RECENT_ERRORS_MAX) {
        recentErrors.removeFirst();
      }
    }
  }
}
