package io.gfs.client;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that push data ahead for writers ({@link WritePipeline}) and fetch pieces ahead for readers
 * ({@link GfsFileReader}), shared by every client of the process. Each stream bounds how many tasks it has queued, so
 * the pool stays as large as the streams' combined depth; the threads only wait on sockets, are daemons, and end after
 * a minute idle, so nothing needs closing.
 */
final class DataThreads {
  static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(new Factory());

  private DataThreads() {}

  private static final class Factory implements java.util.concurrent.ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "gfs-data-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
