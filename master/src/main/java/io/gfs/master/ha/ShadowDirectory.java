package io.gfs.master.ha;

import io.gfs.common.HostPort;
import io.gfs.zk.ShadowRegistry;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shadows registered in ZooKeeper, re-read in the background so that the op log writer never waits on ZooKeeper:
 * a new shadow starts receiving the stream within one refresh.
 */
public final class ShadowDirectory implements Supplier<List<HostPort>>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShadowDirectory.class);
  static final long REFRESH_MILLIS = 1000;

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gfs-shadow-directory");
    t.setDaemon(true);
    return t;
  });
  private volatile List<HostPort> shadows = List.of();

  public ShadowDirectory(CuratorFramework zk, String root, String cluster) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        List<HostPort> now = ShadowRegistry.list(zk, root, cluster);
        if (!now.equals(shadows)) {
          LOG.info("shadow masters of cluster '{}': {}", cluster, now);
        }
        shadows = List.copyOf(now);
      } catch (Exception e) {
        LOG.debug("cannot list shadows: {}", e.toString());
      }
    }, 0, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public List<HostPort> get() {
    return shadows;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
