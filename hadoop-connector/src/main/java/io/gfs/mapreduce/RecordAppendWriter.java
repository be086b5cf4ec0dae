package io.gfs.mapreduce;

import io.gfs.common.Check;
import io.gfs.hadoop.GfsFileSystem;
import java.io.Closeable;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Appends framed records ({@link RecordFrame}) to one gfs file with record append [0104]; any number of writers, in
 * any number of processes, may append to the same file at once. Records are batched: frames collect in a buffer of at
 * most {@link #batchBytesMax()} bytes, and {@link #flush()} (called when the next frame would not fit, and by close)
 * appends the whole batch atomically, so a batch lands in one piece or is retried whole. Each record carries this
 * writer's id and its sequence number, so readers can tell copies of a retried batch apart. Not thread-safe: one
 * writer per thread.
 */
public final class RecordAppendWriter implements Closeable {
  /**
   * Batches never exceed this, nor a sixteenth of the chunk, to bound the padding a chunk may be left with when the
   * next batch does not fit [0107].
   */
  public static final int BATCH_BYTES_MAX = 256 * 1024;

  /** Told the file offset of every record once its batch was appended, in sequence order. */
  @FunctionalInterface
  public interface AckListener {
    void acknowledged(long seq, long offsetBytes) throws IOException;
  }

  private final GfsFileSystem fs;
  private final Path file;
  private final long writerId;
  private final int frameBytesMax;
  private final AckListener listener;
  private final byte[] batch;
  private int batchLength;
  private int batchRecords;
  private long nextSeq;
  private boolean closed;

  RecordAppendWriter(GfsFileSystem fs, Path file, long writerId, long chunkSizeBytes, AckListener listener) {
    this.fs = Check.notNull(fs, "fs");
    this.file = Check.notNull(file, "file");
    this.writerId = writerId;
    this.frameBytesMax = RecordFrame.frameBytesMax(chunkSizeBytes);
    this.listener = listener;
    this.batch = new byte[(int) Math.min(BATCH_BYTES_MAX, Math.max(RecordFrame.HEADER_BYTES, chunkSizeBytes / 16))];
  }

  /**
   * A writer with a random id for file, which is created if missing. file must be on gfs (record append is a gfs
   * operation). listener may be null.
   */
  public static RecordAppendWriter open(FileSystem fs, Path file, AckListener listener) throws IOException {
    return open(fs, file, new SecureRandom().nextLong(), listener);
  }

  static RecordAppendWriter open(FileSystem fs, Path file, long writerId, AckListener listener) throws IOException {
    if (!(fs instanceof GfsFileSystem gfs)) {
      throw new IOException("record append needs a gfs:// file system, not " + fs.getUri() + " (for " + file + ")");
    }
    if (!fs.exists(file)) {
      try {
        fs.create(file, false).close();
      } catch (FileAlreadyExistsException e) {
        // another writer created it first: fine, all of them append to it
      }
    }
    return new RecordAppendWriter(gfs, file, writerId, fs.getFileStatus(file).getBlockSize(), listener);
  }

  public long writerId() {
    return writerId;
  }

  /** Records written so far (the next record's sequence number). */
  public long recordCount() {
    return nextSeq;
  }

  public int batchBytesMax() {
    return batch.length;
  }

  /** Frames payload[offset, offset + length) as the next record; it reaches the file at the next flush. */
  public void write(byte[] payload, int offset, int length) throws IOException {
    Check.state(!closed, "writer for %s is closed", file);
    int frameBytes = RecordFrame.HEADER_BYTES + length;
    if (length < 0 || frameBytes > frameBytesMax) {
      throw new IOException(String.format("%s: a record of %d bytes does not fit a frame of at most %d bytes (a"
          + " quarter of the chunk, less the %d-byte header)", file, length, frameBytesMax, RecordFrame.HEADER_BYTES));
    }
    if (batchLength + frameBytes > batch.length) {
      flush();
    }
    long seq = nextSeq++;
    if (frameBytes > batch.length) {
      appendAlone(RecordFrame.encode(writerId, seq, payload, offset, length), seq);
      return;
    }
    RecordFrame.encodeInto(batch, batchLength, writerId, seq, payload, offset, length);
    batchLength += frameBytes;
    batchRecords++;
  }

  public void write(byte[] payload) throws IOException {
    write(payload, 0, payload.length);
  }

  /** Appends the batched records (one atomic record append) and reports their offsets to the listener. */
  public void flush() throws IOException {
    if (batchLength == 0) {
      return;
    }
    byte[] bytes = batchLength == batch.length ? batch : Arrays.copyOf(batch, batchLength);
    long offset = fs.recordAppend(file, bytes);
    long firstSeq = nextSeq - batchRecords;
    int at = 0;
    for (int i = 0; i < batchRecords; i++) {
      if (listener != null) {
        listener.acknowledged(firstSeq + i, offset + at);
      }
      at += RecordFrame.HEADER_BYTES + RecordFrame.intAt(batch, at + 4);
    }
    batchLength = 0;
    batchRecords = 0;
  }

  private void appendAlone(byte[] frame, long seq) throws IOException {
    long offset = fs.recordAppend(file, frame);
    if (listener != null) {
      listener.acknowledged(seq, offset);
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      flush();
      closed = true;
    }
  }
}
