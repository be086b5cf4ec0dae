package io.gfs.common.metrics;

import io.gfs.common.Check;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Takes a sample every interval into a {@link SampleRing} on a daemon thread of its own, until closed. */
public final class Sampler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sampler.class);
  /** Samples kept: at the default 5 s interval, the last hour. */
  public static final int SAMPLES_MAX = 720;

  private final SampleRing ring;
  private final ScheduledExecutorService timer;

  private Sampler(String name, SampleRing ring, Supplier<double[]> sample, long intervalMillis) {
    this.ring = ring;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name + "-sampler");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(() -> {
      try {
        ring.add(System.currentTimeMillis(), sample.get());
      } catch (RuntimeException e) {
        LOG.warn("{}: sampling for the status page failed: {}", name, e.toString()); // next time, perhaps
      }
    }, 0, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /** Samples {@code width} values now and every {@code intervalMillis}. */
  public static Sampler start(String name, int width, long intervalMillis, Supplier<double[]> sample) {
    Check.argument(intervalMillis >= 10, "sample interval %s ms < 10", intervalMillis);
    return new Sampler(name, new SampleRing(SAMPLES_MAX, width), sample, intervalMillis);
  }

  public SampleRing ring() {
    return ring;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
