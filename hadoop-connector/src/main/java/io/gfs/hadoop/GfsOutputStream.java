package io.gfs.hadoop;

import static org.apache.hadoop.fs.statistics.StoreStatisticNames.OP_HFLUSH;
import static org.apache.hadoop.fs.statistics.StoreStatisticNames.OP_HSYNC;
import static org.apache.hadoop.fs.statistics.StreamStatisticNames.STREAM_WRITE_BYTES;
import static org.apache.hadoop.fs.statistics.StreamStatisticNames.STREAM_WRITE_EXCEPTIONS;

import io.gfs.client.GfsFileWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import org.apache.hadoop.fs.FSExceptionMessages;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.Syncable;
import org.apache.hadoop.fs.statistics.IOStatistics;
import org.apache.hadoop.fs.statistics.IOStatisticsSource;
import org.apache.hadoop.fs.statistics.impl.IOStatisticsBinding;
import org.apache.hadoop.fs.statistics.impl.IOStatisticsStore;

/**
 * A gfs file writer as a Hadoop output stream. hflush makes every byte written visible to new readers (the data is on
 * every replica and the master knows the length); hsync also has every replica fsync it. Both are real, so the stream
 * declares them. flush() is a no-op, as on HDFS: it does not cost a mutation per call. IOStatistics count the bytes
 * accepted by write (buffered or sent), hflush and hsync calls and failures; they stay readable after close.
 */
final class GfsOutputStream extends OutputStream implements Syncable, StreamCapabilities, IOStatisticsSource {
  private final GfsFileWriter writer;
  private final IOStatisticsStore ioStatistics = IOStatisticsBinding.iostatisticsStore()
      .withCounters(STREAM_WRITE_BYTES, STREAM_WRITE_EXCEPTIONS, OP_HFLUSH, OP_HSYNC)
      .build();

  GfsOutputStream(GfsFileWriter writer) {
    this.writer = writer;
  }

  @Override
  public void write(int b) throws IOException {
    checkOpen();
    try {
      writer.write(b);
    } catch (IOException e) {
      throw failed(e);
    }
    ioStatistics.incrementCounter(STREAM_WRITE_BYTES);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    checkOpen();
    if (offset < 0 || length < 0 || length > bytes.length - offset) {
      throw new IndexOutOfBoundsException("range [" + offset + ", +" + length + ") outside a buffer of "
          + bytes.length);
    }
    try {
      writer.write(bytes, offset, length);
    } catch (IOException e) {
      throw failed(e);
    }
    ioStatistics.incrementCounter(STREAM_WRITE_BYTES, length);
  }

  @Override
  public void flush() {
    // Nothing: hflush is the call that publishes data. A flush after close is harmless, as streams expect.
  }

  @Override
  public void hflush() throws IOException {
    checkOpen();
    ioStatistics.incrementCounter(OP_HFLUSH);
    try {
      writer.hflush();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public void hsync() throws IOException {
    checkOpen();
    ioStatistics.incrementCounter(OP_HSYNC);
    try {
      writer.hsync();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      writer.close();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean hasCapability(String capability) {
    String c = capability.toLowerCase(Locale.ROOT);
    return c.equals(StreamCapabilities.HFLUSH) || c.equals(StreamCapabilities.HSYNC)
        || c.equals(StreamCapabilities.IOSTATISTICS);
  }

  @Override
  public IOStatistics getIOStatistics() {
    return ioStatistics;
  }

  @Override
  public String toString() {
    return "GfsOutputStream{" + writer.path() + ", " + ioStatistics + "}";
  }

  private IOException failed(IOException e) {
    ioStatistics.incrementCounter(STREAM_WRITE_EXCEPTIONS);
    return GfsErrors.translate(e, GfsErrors.Op.OTHER);
  }

  private void checkOpen() throws IOException {
    if (writer.isClosed()) {
      throw new IOException(FSExceptionMessages.STREAM_IS_CLOSED + ": " + writer.path());
    }
  }
}
