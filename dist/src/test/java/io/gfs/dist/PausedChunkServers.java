package io.gfs.dist;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The first chunkservers of a cluster stopped (SIGSTOP) until {@link #resumeAfter} fires or the scope closes, so a
 * test holds back their reports to a master across its restart or a takeover. Closing resumes them all (SIGCONT twice
 * is harmless): a failed test leaves no stopped process.
 */
final class PausedChunkServers implements AutoCloseable {
  private final MiniGfsCluster cluster;
  private final int count;
  private final ScheduledExecutorService resumer = Executors.newSingleThreadScheduledExecutor();

  PausedChunkServers(MiniGfsCluster cluster, int count) {
    this.cluster = cluster;
    this.count = count;
    try {
      for (int i = 0; i < count; i++) {
        cluster.pauseChunkServer(i);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Resumes every paused chunkserver this long from now, on a thread of its own. */
  void resumeAfter(long seconds) {
    resumer.schedule(this::resumeAll, seconds, TimeUnit.SECONDS);
  }

  private void resumeAll() {
    for (int i = 0; i < count; i++) {
      cluster.resumeChunkServer(i);
    }
  }

  @Override
  public void close() {
    resumer.shutdownNow();
    resumeAll();
  }
}
