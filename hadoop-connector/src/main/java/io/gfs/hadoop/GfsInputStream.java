package io.gfs.hadoop;

import io.gfs.client.GfsFileReader;
import java.io.EOFException;
import java.io.IOException;
import org.apache.hadoop.fs.FSExceptionMessages;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * A gfs file as a Hadoop input stream: seek within [0, length at open], sequential reads through the reader's
 * one-piece read-ahead buffer, positioned reads that leave the position alone. Seeking before 0 or past the end raises
 * EOFException; any call but close after close raises IOException.
 */
final class GfsInputStream extends FSInputStream implements StreamCapabilities {
  private final GfsFileReader reader;
  private final FileSystem.Statistics statistics;
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
    position = target;
  }

  @Override
  public synchronized long getPos() throws IOException {
    checkOpen();
    return position;
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
    int n = readAt(position, bytes, offset, length);
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
    return readAt(at, bytes, offset, length);
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
    closed = true;
    reader.close();
  }

  @Override
  public boolean hasCapability(String capability) {
    return false;
  }

  private int readAt(long at, byte[] bytes, int offset, int length) throws IOException {
    int n;
    try {
      n = reader.read(at, bytes, offset, length);
    } catch (IOException e) {
      throw GfsErrors.translate(e, GfsErrors.Op.OPEN);
    }
    if (n > 0 && statistics != null) {
      statistics.incrementBytesRead(n);
    }
    return n;
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException(FSExceptionMessages.STREAM_IS_CLOSED + ": " + reader.path());
    }
  }
}
