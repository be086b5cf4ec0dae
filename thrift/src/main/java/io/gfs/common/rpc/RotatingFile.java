package io.gfs.common.rpc;

import io.gfs.common.Check;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Lines appended to {@code dir/name}; once it reaches {@code fileBytesMax} it becomes {@code name.1}, the older ones
 * move up by one, and the oldest beyond {@code filesMax} is deleted. One writer thread only.
 */
final class RotatingFile implements AutoCloseable {
  private final Path dir;
  private final String name;
  private final long fileBytesMax;
  private final int filesMax;
  private BufferedWriter out;
  private long bytes;

  RotatingFile(Path dir, String name, long fileBytesMax, int filesMax) throws IOException {
    Check.argument(fileBytesMax > 0 && filesMax >= 1, "file size %s, files %s", fileBytesMax, filesMax);
    this.dir = dir;
    this.name = name;
    this.fileBytesMax = fileBytesMax;
    this.filesMax = filesMax;
    Files.createDirectories(dir);
    openCurrent();
  }

  Path current() {
    return dir.resolve(name);
  }

  /** The {@code index}-th older file (1 is the newest rotated one). */
  Path rotated(int index) {
    return dir.resolve(name + "." + index);
  }

  void append(String line) throws IOException {
    byte[] encoded = (line + "\n").getBytes(StandardCharsets.UTF_8);
    if (bytes > 0 && bytes + encoded.length > fileBytesMax) {
      rotate();
    }
    out.write(line);
    out.write('\n');
    bytes += encoded.length;
  }

  void flush() throws IOException {
    out.flush();
  }

  private void rotate() throws IOException {
    out.close();
    if (filesMax > 1) {
      Files.deleteIfExists(rotated(filesMax - 1));
    }
    for (int index = filesMax - 2; index >= 1; index--) {
      if (Files.exists(rotated(index))) {
        Files.move(rotated(index), rotated(index + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (filesMax > 1) {
      Files.move(current(), rotated(1), StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.delete(current());
    }
    openCurrent();
  }

  private void openCurrent() throws IOException {
    out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(current(), StandardOpenOption.CREATE,
        StandardOpenOption.APPEND), StandardCharsets.UTF_8), 64 * 1024);
    bytes = Files.size(current());
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      // the log is best effort; nothing depends on its last lines
    }
  }
}
