package io.gfs.hadoop;

import io.gfs.client.GfsFileWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import org.apache.hadoop.fs.FSExceptionMessages;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.Syncable;

/**
 * A gfs file writer as a Hadoop output stream. hflush makes every byte written visible to new readers (the data is on
 * every replica and the master knows the length); hsync also has every replica fsync it. Both are real, so the stream
 * declares them. flush() is a no-op, as on HDFS: it does not cost a mutation per call.
 */
final class GfsOutputStream extends OutputStream implements Syncable, StreamCapabilities {
  private final GfsFileWriter writer;

  GfsOutputStream(GfsFileWriter writer) {
    this.writer = writer;
  }

  @Override
  public void write(int b) throws IOException {
    checkOpen();
    try {
      writer.write(b);
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OTHER);
    }
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
      throw GfsErrors.translate(e, GfsErrors.Op.OTHER);
    }
  }

  @Override
  public void flush() {
    // Nothing: hflush is the call that publishes data. A flush after close is harmless, as streams expect.
  }

  @Override
  public void hflush() throws IOException {
    checkOpen();
    try {
      writer.hflush();
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OTHER);
    }
  }

  @Override
  public void hsync() throws IOException {
    checkOpen();
    try {
      writer.hsync();
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OTHER);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      writer.close();
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OTHER);
    }
  }

  @Override
  public boolean hasCapability(String capability) {
    String c = capability.toLowerCase(Locale.ROOT);
    return c.equals(StreamCapabilities.HFLUSH) || c.equals(StreamCapabilities.HSYNC);
  }

  private void checkOpen() throws IOException {
    if (writer.isClosed()) {
      throw new IOException(FSExceptionMessages.STREAM_IS_CLOSED + ": " + writer.path());
    }
  }
}
