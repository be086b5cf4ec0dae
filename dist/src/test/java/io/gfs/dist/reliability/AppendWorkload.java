package io.gfs.dist.reliability;

import io.gfs.client.GfsClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Record appenders: each thread appends framed records (writer id, seq, a payload fixed by the pair) to one file
 * until told to stop, and keeps every attempt with its outcome for the {@link RecordAppendChecker}. A failed append
 * is recorded and the writer goes on with its next record: the failed one may or may not be in the file [0109].
 */
final class AppendWorkload {
  private final GfsClient client;
  private final String path;
  private final int payloadBytesMax;
  private final List<AppendAttempt> attempts = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  /** Guarded by attempts: what the client view reports (bytes of acknowledged records, longest call, failures). */
  private long acknowledgedBytes;
  private long longestCallNanos;
  private long failures;

  AppendWorkload(GfsClient client, String path, int payloadBytesMax) {
    this.client = client;
    this.path = path;
    this.payloadBytesMax = payloadBytesMax;
  }

  void start(int writers, long writerIdBase) {
    for (int w = 0; w < writers; w++) {
      long writerId = writerIdBase + w;
      Thread t = new Thread(() -> appendUntilStopped(writerId), "appender-" + writerId);
      threads.add(t);
      t.start();
    }
  }

  private void appendUntilStopped(long writerId) {
    for (long seq = 0; !stop.get(); seq++) {
      byte[] frame = Payloads.recordFrame(writerId, seq, payloadBytesMax);
      long invoked = System.nanoTime();
      long offset;
      try {
        offset = client.recordAppend(path, frame, 0, frame.length);
      } catch (IOException | RuntimeException e) {
        offset = -1;
      }
      long completed = System.nanoTime();
      synchronized (attempts) {
        attempts.add(new AppendAttempt(writerId, seq, invoked, completed, offset));
        acknowledgedBytes += offset >= 0 ? frame.length : 0;
        failures += offset >= 0 ? 0 : 1;
        longestCallNanos = Math.max(longestCallNanos, completed - invoked);
      }
    }
  }

  /** What the appenders saw so far, over elapsedNanos of running. */
  ClientView view(long elapsedNanos) {
    synchronized (attempts) {
      return new ClientView(acknowledgedBytes, elapsedNanos, longestCallNanos, failures);
    }
  }

  List<AppendAttempt> stopAndCollect() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    synchronized (attempts) {
      return List.copyOf(attempts);
    }
  }
}
