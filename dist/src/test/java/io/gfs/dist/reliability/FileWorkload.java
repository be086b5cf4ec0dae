package io.gfs.dist.reliability;

import io.gfs.client.GfsClient;
import io.gfs.client.GfsFileWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * File writers: each thread writes files of deterministic bytes in pieces, hsyncs now and then and closes them, and
 * records for the {@link FileContentChecker} what each file was promised: the bytes up to its last returned hsync,
 * or all of them once close returned. A writer that fails abandons the file (its hsync'd prefix still counts) and
 * starts the next one.
 */
final class FileWorkload {
  private final GfsClient client;
  private final String directory;
  private final long seed;
  private final List<ExpectedFile> files = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private long failures;
  /** Guarded by files: bytes whose write call returned, and the longest single create, write, hsync or close. */
  private long writtenBytes;
  private long longestCallNanos;

  FileWorkload(GfsClient client, String directory, long seed) {
    this.client = client;
    this.directory = directory;
    this.seed = seed;
  }

  void start(int writers) {
    for (int w = 0; w < writers; w++) {
      int writer = w;
      Thread t = new Thread(() -> writeUntilStopped(writer), "file-writer-" + writer);
      threads.add(t);
      t.start();
    }
  }

  private void writeUntilStopped(int writer) {
    SplittableRandom random = new SplittableRandom(seed * 31 + writer);
    for (int n = 0; !stop.get(); n++) {
      String path = directory + "/w" + writer + "-" + n;
      long fileSeed = seed ^ ((long) writer << 32) ^ n;
      long length = 1 + random.nextLong(3 * ScenarioSupport.CHUNK_BYTES);
      ExpectedFile promised = writeOne(path, fileSeed, length, random);
      if (promised != null) {
        synchronized (files) {
          files.add(promised);
        }
      }
    }
  }

  /** The file's promise, or null if nothing of it was ever acknowledged. */
  private ExpectedFile writeOne(String path, long fileSeed, long length, SplittableRandom random) {
    long durable = 0;
    GfsFileWriter writer = null;
    try {
      long began = System.nanoTime();
      writer = client.create(path, false, true, 0);
      began = timed(began, 0);
      long written = 0;
      while (written < length) {
        int piece = (int) Math.min(length - written, 1 + random.nextInt(400_000));
        byte[] bytes = Payloads.bytes(fileSeed, written, piece);
        began = System.nanoTime();
        writer.write(bytes, 0, piece);
        timed(began, piece);
        written += piece;
        if (random.nextInt(3) == 0) {
          began = System.nanoTime();
          writer.hsync();
          timed(began, 0);
          durable = written;
        }
      }
      began = System.nanoTime();
      writer.close();
      timed(began, 0);
      return new ExpectedFile(path, fileSeed, length, true);
    } catch (IOException | RuntimeException e) {
      synchronized (files) {
        failures++;
      }
      closeQuietly(writer);
      return durable > 0 ? new ExpectedFile(path, fileSeed, durable, false) : null;
    }
  }

  /** Notes one returned call that began at beganNanos and wrote bytes; returns now. */
  private long timed(long beganNanos, long bytes) {
    long now = System.nanoTime();
    synchronized (files) {
      writtenBytes += bytes;
      longestCallNanos = Math.max(longestCallNanos, now - beganNanos);
    }
    return now;
  }

  /** What the writers saw so far, over elapsedNanos of running: a failed file counts as one error. */
  ClientView view(long elapsedNanos) {
    synchronized (files) {
      return new ClientView(writtenBytes, elapsedNanos, longestCallNanos, failures);
    }
  }

  private static void closeQuietly(GfsFileWriter writer) {
    if (writer == null) {
      return;
    }
    try {
      writer.close();
    } catch (IOException | RuntimeException e) {
      // the file is abandoned; only its hsync'd prefix was promised
    }
  }

  List<ExpectedFile> stopAndCollect() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    synchronized (files) {
      return List.copyOf(files);
    }
  }

  long failures() {
    synchronized (files) {
      return failures;
    }
  }
}
