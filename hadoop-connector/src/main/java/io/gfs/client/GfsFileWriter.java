package io.gfs.client;

import io.gfs.client.state.ChunkMath;
import io.gfs.client.state.Lease;
import io.gfs.common.Check;
import io.gfs.common.GfsConfigKeys;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a file sequentially from a start offset (0 for create, the length for append). Bytes gather in a buffer of
 * fs.gfs.write.buffer.bytes that never spans a chunk boundary; each full buffer is one write mutation
 * ({@link MutationSender}), its data pushed while the writer fills the next buffers ({@link WritePipeline}): write()
 * may return before the replicas have the bytes; hflush, hsync and close wait for them. A mutation that completes a
 * chunk is sent with sync, so a chunk the writer has left is durable on every replica.
 *
 * <ul>
 *   <li>hflush: send what is buffered, then report the written chunks' lengths to the master so new readers see them;
 *   <li>hsync: the same, with the data fsync'd on every replica (if nothing is buffered but earlier mutations were not
 *       synced, the last bytes written are written again with sync: same bytes, same place);
 *   <li>close: hsync, then the writer is done.
 * </ul>
 *
 * After a mutation fails for good the writer is broken: later calls fail with that error. Thread-safe.
 */
public final class GfsFileWriter implements AutoCloseable {
  /** Bytes of the last unsynced mutation kept to force an fsync with (any non-empty rewrite syncs the chunk). */
  static final int SYNC_TAIL_BYTES_MAX = 512;

  private final ClientContext context;
  private final MutationSender sender;
  private final String path;
  private final long chunkSizeBytes;
  private final WritePipeline pipeline;
  /** Buffers the pipeline gave back, reused so a long write allocates AHEAD_MAX + 1 of them in all. */
  private final ArrayDeque<byte[]> spareBuffers = new ArrayDeque<>();
  private byte[] buffer;
  private long bufferStart;
  private int buffered;
  /** Chunks written since the last length report: chunk index to (handle, end offset in chunk). */
  private final Map<Long, Written> unreported = new TreeMap<>();
  private byte[] syncTail;
  private long syncTailOffset = -1;
  private IOException failure;
  private boolean closed;

  GfsFileWriter(ClientContext context, String path, long startOffset, long chunkSizeBytes) {
    Check.argument(startOffset >= 0, "start offset %s < 0", startOffset);
    Check.argument(chunkSizeBytes > 0 && chunkSizeBytes % GfsConfigKeys.CHECKSUM_BLOCK_BYTES == 0,
        "chunk size %s is not a positive multiple of the checksum block", chunkSizeBytes);
    this.context = context;
    this.sender = new MutationSender(context);
    this.pipeline = new WritePipeline(context, sender, path);
    this.path = path;
    this.chunkSizeBytes = chunkSizeBytes;
    this.buffer = new byte[(int) Math.min(context.options.writeBufferBytes(), chunkSizeBytes)];
    this.bufferStart = startOffset;
  }

  public String path() {
    return path;
  }

  /** The file offset the next byte goes to. */
  public synchronized long position() {
    return bufferStart + buffered;
  }

  public synchronized void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
    Check.argument(offset >= 0 && length >= 0 && length <= bytes.length - offset,
        "range [%s, +%s) outside a buffer of %s", offset, length, bytes.length);
    ensureUsable();
    int done = 0;
    while (done < length) {
      int capacity = ChunkMath.writeCapacity(bufferStart, chunkSizeBytes, buffer.length);
      int n = Math.min(length - done, capacity - buffered);
      System.arraycopy(bytes, offset + done, buffer, buffered, n);
      buffered += n;
      done += n;
      if (buffered == capacity) {
        sendBuffer(false);
      }
    }
  }

  /** Sends the buffer and reports lengths: new readers see every byte written so far. */
  public synchronized void hflush() throws IOException {
    ensureUsable();
    sendBuffer(false);
    drain();
    reportLengths();
  }

  /** As hflush, and every replica has fsync'd the data. */
  public synchronized void hsync() throws IOException {
    ensureUsable();
    sync();
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (failure == null) {
        sync();
      }
    } finally {
      closed = true;
    }
    if (failure != null) {
      throw new IOException(path + ": closed after a failed write: " + failure.getMessage(), failure);
    }
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  private void sync() throws IOException {
    if (buffered > 0) {
      sendBuffer(true);
      drain();
    } else if (syncTail != null) {
      drain();
      resendTailWithSync();
    } else {
      drain();
    }
    reportLengths();
  }

  private void sendBuffer(boolean sync) throws IOException {
    if (buffered == 0) {
      return;
    }
    long chunkIndex = ChunkMath.chunkIndex(bufferStart, chunkSizeBytes);
    long offsetInChunk = ChunkMath.offsetInChunk(bufferStart, chunkSizeBytes);
    boolean completesChunk = offsetInChunk + buffered == chunkSizeBytes;
    boolean synced = sync || completesChunk;
    byte[] full = buffer;
    int length = buffered;
    rememberTail(synced);
    bufferStart += buffered;
    buffered = 0;
    buffer = spareBuffers.isEmpty() ? new byte[full.length] : spareBuffers.pop();
    try {
      committed(pipeline.submit(chunkIndex, offsetInChunk, full, length, synced));
    } catch (IOException e) {
      fail(e);
      throw e;
    }
  }

  /** Waits until every mutation sent is acknowledged by all replicas. */
  private void drain() throws IOException {
    try {
      committed(pipeline.drain());
    } catch (IOException e) {
      fail(e);
      throw e;
    }
  }

  private void committed(List<WritePipeline.Committed> done) {
    for (WritePipeline.Committed c : done) {
      unreported.merge(c.chunkIndex(), new Written(c.lease().handle(), c.endInChunk()), Written::max);
      spareBuffers.push(c.bytes());
    }
  }

  private void fail(IOException e) {
    failure = e;
    pipeline.abandon();
  }

  private void rememberTail(boolean synced) {
    if (synced) {
      syncTail = null;
      syncTailOffset = -1;
      return;
    }
    int n = Math.min(buffered, SYNC_TAIL_BYTES_MAX);
    syncTail = new byte[n];
    System.arraycopy(buffer, buffered - n, syncTail, 0, n);
    syncTailOffset = bufferStart + buffered - n;
  }

  private void resendTailWithSync() throws IOException {
    long chunkIndex = ChunkMath.chunkIndex(syncTailOffset, chunkSizeBytes);
    long offsetInChunk = ChunkMath.offsetInChunk(syncTailOffset, chunkSizeBytes);
    mutate(chunkIndex, offsetInChunk, syncTail, 0, syncTail.length, true);
    syncTail = null;
    syncTailOffset = -1;
  }

  private Lease mutate(long chunkIndex, long offsetInChunk, byte[] bytes, int offset, int length, boolean sync)
      throws IOException {
    try {
      return sender.write(path, chunkIndex, offsetInChunk, bytes, offset, length, sync);
    } catch (IOException e) {
      fail(e);
      throw e;
    }
  }

  private void reportLengths() throws IOException {
    while (!unreported.isEmpty()) {
      Map.Entry<Long, Written> first = unreported.entrySet().iterator().next();
      Written written = first.getValue();
      try {
        context.reportChunkLength(path, first.getKey(), written.handle, written.endInChunk);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
      unreported.remove(first.getKey());
    }
  }

  private void ensureUsable() throws IOException {
    if (closed) {
      throw new IOException(path + ": stream is closed");
    }
    if (failure != null) {
      throw new IOException(path + ": an earlier write failed: " + failure.getMessage(), failure);
    }
  }

  private record Written(long handle, long endInChunk) {
    static Written max(Written a, Written b) {
      // The newer handle wins: the same chunk index can only change handle if the file was replaced under us.
      return new Written(b.handle, Math.max(a.endInChunk, b.endInChunk));
    }
  }
}
