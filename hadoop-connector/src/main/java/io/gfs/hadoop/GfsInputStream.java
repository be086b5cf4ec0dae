package io.gfs.hadoop;

import static org.apache.hadoop.fs.statistics.StreamStatisticNames.STREAM_READ_ACTIVE_PREFETCH_OPERATIONS;
import static org.apache.hadoop.fs.statistics.StreamStatisticNames.STREAM_READ_BYTES;
import static org.apache.hadoop.fs.statistics.StreamStatisticNames.STREAM_READ_CLOSE_OPERATIONS;
import static org.apache.hadoop.fs.statistics.StreamStatisticNames.STREAM_READ_EXCEPTIONS;
import static org.apache.hadoop.fs.statistics.StreamStatisticNames.STREAM_READ_OPERATIONS;
import static org.apache.hadoop.fs.statistics.StreamStatisticNames.STREAM_READ_PREFETCHED_BYTES;
import static org.apache.hadoop.fs.statistics.StreamStatisticNames.STREAM_READ_PREFETCH_OPERATIONS;
import static org.apache.hadoop.fs.statistics.StreamStatisticNames.STREAM_READ_SEEK_OPERATIONS;
import static org.apache.hadoop.fs.statistics.StreamStatisticNames.STREAM_READ_UNBUFFERED;

import io.gfs.client.GfsFileReader;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntFunction;
import org.apache.hadoop.fs.CanUnbuffer;
import org.apache.hadoop.fs.FileRange;
import org.apache.hadoop.fs.VectoredReadUtils;
import org.apache.hadoop.fs.FSExceptionMessages;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.statistics.IOStatistics;
import org.apache.hadoop.fs.statistics.IOStatisticsSource;
import org.apache.hadoop.fs.statistics.impl.IOStatisticsBinding;
import org.apache.hadoop.fs.statistics.impl.IOStatisticsStore;

/**
 * A gfs file as a Hadoop input stream: seek within [0, length at open], sequential reads through the reader's
 * one-piece read-ahead buffer, positioned reads that leave the position alone. Seeking before 0 or past the end raises
 * EOFException; after close every call but close, getPos and unbuffer raises IOException. unbuffer() drops the
 * read-ahead piece and any piece asked for ahead (the stream holds a connection only while a piece asked for ahead is
 * outstanding: connections are pooled per client). IOStatistics count bytes and calls, and the pieces that came from
 * a request sent ahead (prefetch operations and bytes).
 */
final class GfsInputStream extends FSInputStream implements StreamCapabilities, CanUnbuffer, IOStatisticsSource {
  private final GfsFileReader reader;
  private final FileSystem.Statistics statistics;
  private final IOStatisticsStore ioStatistics = IOStatisticsBinding.iostatisticsStore()
      .withCounters(STREAM_READ_BYTES, STREAM_READ_OPERATIONS, STREAM_READ_SEEK_OPERATIONS, STREAM_READ_EXCEPTIONS,
          STREAM_READ_UNBUFFERED, STREAM_READ_CLOSE_OPERATIONS, STREAM_READ_PREFETCH_OPERATIONS,
          STREAM_READ_PREFETCHED_BYTES)
      .withGauges(STREAM_READ_ACTIVE_PREFETCH_OPERATIONS)
      .build();
  private final byte[] oneByte = new byte[1];
  private long position;
  private volatile boolean closed;

  GfsInputStream(GfsFileReader reader, FileSystem.Statistics statistics) {
    this.reader = reader;
    this.statistics = statistics;
  }

  @Override
  public synchronized void seek(long target) throws IOException {
    checkOpen();
    if (target < 0) {
      throw new EOFException(FSExceptionMessages.NEGATIVE_SEEK + " " + target + ": " + reader.path());
    }
    if (target > reader.lengthBytes()) {
      throw new EOFException(FSExceptionMessages.CANNOT_SEEK_PAST_EOF + " " + target + " > " + reader.lengthBytes()
          + ": " + reader.path());
    }
    if (target != position) {
      ioStatistics.incrementCounter(STREAM_READ_SEEK_OPERATIONS);
    }
    position = target;
  }

  /** Also after close, as on HDFS: callers log the position of streams they have closed. */
  @Override
  public synchronized long getPos() {
    return position;
  }

  /**
   * Hadoop's vectored read (ranges read with positioned reads), after checking every range against the length taken
   * at open: a range past it fails the whole call with EOFException before anything is read.
   */
  @Override
  public void readVectored(List<? extends FileRange> ranges, IntFunction<ByteBuffer> allocate) throws IOException {
    checkOpen();
    VectoredReadUtils.validateAndSortRanges(ranges, Optional.of(reader.lengthBytes()));
    super.readVectored(ranges, allocate);
  }

  @Override
  public boolean seekToNewSource(long targetPos) {
    return false;
  }

  @Override
  public synchronized int read() throws IOException {
    int n = read(oneByte, 0, 1);
    return n <= 0 ? -1 : oneByte[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] bytes, int offset, int length) throws IOException {
    checkOpen();
    if (bytes == null) {
      throw new NullPointerException("null buffer");
    }
    if (offset < 0 || length < 0 || length > bytes.length - offset) {
      throw new IndexOutOfBoundsException("range [" + offset + ", +" + length + ") outside a buffer of "
          + bytes.length);
    }
    if (length == 0) {
      return 0;
    }
    int n = readAt(position, bytes, offset, length, false);
    if (n > 0) {
      position += n;
    }
    return n;
  }

  @Override
  public int read(long at, byte[] bytes, int offset, int length) throws IOException {
    validatePositionedReadArgs(at, bytes, offset, length);
    checkOpen();
    if (length == 0) {
      return 0;
    }
    return readAt(at, bytes, offset, length, true);
  }

  @Override
  public synchronized long skip(long n) throws IOException {
    checkOpen();
    if (n <= 0) {
      return 0;
    }
    long target = Math.min(reader.lengthBytes(), position + n);
    long skipped = target - position;
    position = target;
    return skipped;
  }

  @Override
  public synchronized int available() throws IOException {
    checkOpen();
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, reader.lengthBytes() - position));
  }

  @Override
  public void close() {
    if (!closed) {
      ioStatistics.incrementCounter(STREAM_READ_CLOSE_OPERATIONS);
    }
    closed = true;
    reader.close();
  }

  @Override
  public void unbuffer() {
    ioStatistics.incrementCounter(STREAM_READ_UNBUFFERED);
    reader.unbuffer();
  }

  @Override
  public boolean hasCapability(String capability) {
    switch (capability.toLowerCase(Locale.ROOT)) {
      case StreamCapabilities.UNBUFFER:
      case StreamCapabilities.IOSTATISTICS:
        return true;
      default:
        return false;
    }
  }

  @Override
  public IOStatistics getIOStatistics() {
    ioStatistics.setCounter(STREAM_READ_PREFETCH_OPERATIONS, reader.piecesReadAhead());
    ioStatistics.setCounter(STREAM_READ_PREFETCHED_BYTES, reader.bytesReadAhead());
    ioStatistics.setGauge(STREAM_READ_ACTIVE_PREFETCH_OPERATIONS, reader.piecesAskedAhead());
    return ioStatistics;
  }

  @Override
  public String toString() {
    return "GfsInputStream{" + reader.path() + ", position=" + position + ", " + ioStatistics + "}";
  }

  /** positioned: a pread, fetched exactly; otherwise a stream read through the read-ahead piece. */
  private int readAt(long at, byte[] bytes, int offset, int length, boolean positioned) throws IOException {
    int n;
    ioStatistics.incrementCounter(STREAM_READ_OPERATIONS);
    try {
      n = positioned ? reader.readPositioned(at, bytes, offset, length) : reader.read(at, bytes, offset, length);
    } catch (IOException e) {
      ioStatistics.incrementCounter(STREAM_READ_EXCEPTIONS);
      throw GfsErrors.translate(e, GfsErrors.Op.OPEN);
    }
    if (n > 0) {
      ioStatistics.incrementCounter(STREAM_READ_BYTES, n);
      if (statistics != null) {
        statistics.incrementBytesRead(n);
      }
    }
    return n;
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException(FSExceptionMessages.STREAM_IS_CLOSED + ": " + reader.path());
    }
  }
}
